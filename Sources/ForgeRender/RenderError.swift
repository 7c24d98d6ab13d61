/// Errors of the render layer.
public enum RenderError: Error, CustomStringConvertible, Equatable {
    /// No offscreen OpenGL context could be made (no EGL, no Mesa driver, no GPU driver).
    case glUnavailable(reason: String)
    /// The GL driver failed while drawing.
    case drawingFailed(reason: String)
    /// The mesh has nothing to draw.
    case emptyMesh
    /// An image size outside what can be rendered.
    case badImageSize(width: Int, height: Int)
    /// A colouring needs one value per vertex.
    case colourValuesMismatch(values: Int, vertices: Int)

    public var description: String {
        switch self {
        case .glUnavailable(let reason):
            return "offscreen OpenGL is not available (\(reason)); install Mesa's EGL driver "
                + "(apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri) or a GPU driver"
        case .drawingFailed(let reason):
            return "rendering failed: \(reason)"
        case .emptyMesh:
            return "the mesh has no triangles to render"
        case .badImageSize(let width, let height):
            return "an image of \(width)×\(height) pixels cannot be rendered; use 64 to 4096 pixels a side"
        case .colourValuesMismatch(let values, let vertices):
            return "colouring has \(values) values for \(vertices) vertices"
        }
    }
}
