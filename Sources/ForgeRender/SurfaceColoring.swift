import ForgeCore

/// How the surface is coloured.
public enum SurfaceColoring: Sendable {
    /// One material colour.
    case uniform
    /// By height (z), low to high on `Colormap.height`.
    case height
    /// One value per vertex mapped through `colormap` over `range`, with a legend title.
    case perVertex(values: [Float], range: ClosedRange<Float>, legend: String, colormap: Colormap)

    /// Local thickness per vertex in mm, thin in red. The range runs from 0 to the largest
    /// value, so the same colour means the same thickness across views.
    public static func thickness(valuesMM: [Float]) -> SurfaceColoring {
        let top = max(valuesMM.max() ?? 1, 1e-6)
        return .perVertex(values: valuesMM, range: 0...top, legend: "thickness mm", colormap: .thickness)
    }

    /// The material colour of the uniform colouring.
    static let material = SIMD3<Float>(0.93, 0.88, 0.78)

    /// One RGB triple (0…1) per vertex, and the legend to draw (nil for none).
    func vertexColors(of mesh: Mesh, zRange: ClosedRange<Float>) throws(RenderError)
        -> (colors: [Float], legend: (title: String, range: ClosedRange<Float>, colormap: Colormap)?) {
        let n = mesh.vertexCount
        var colors = [Float](repeating: 0, count: 3 * n)
        func paint(_ value: (Int) -> SIMD3<Float>) {
            for i in 0..<n {
                let c = value(i)
                colors[3 * i] = c.x
                colors[3 * i + 1] = c.y
                colors[3 * i + 2] = c.z
            }
        }
        switch self {
        case .uniform:
            paint { _ in Self.material }
            return (colors, nil)
        case .height:
            let span = max(zRange.upperBound - zRange.lowerBound, 1e-9)
            paint { Colormap.height.color(at: (mesh.positions[3 * $0 + 2] - zRange.lowerBound) / span) }
            return (colors, ("height mm", zRange, .height))
        case .perVertex(let values, let range, let legend, let colormap):
            guard values.count == n else { throw .colourValuesMismatch(values: values.count, vertices: n) }
            let span = max(range.upperBound - range.lowerBound, 1e-9)
            paint { colormap.color(at: (values[$0] - range.lowerBound) / span) }
            return (colors, (legend, range, colormap))
        }
    }
}
