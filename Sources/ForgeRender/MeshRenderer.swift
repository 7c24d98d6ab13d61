import ForgeCore
import ForgeMetrics

/// A rendered image and the camera that made it.
public struct RenderedImage: Sendable {
    public let image: RGBImage
    public let camera: Camera
}

/// Shaded offscreen renders of a mesh (smooth, with creases kept sharp: `CreaseNormals`):
/// two directional lights and a sky term, depth fog,
/// screen-space ambient occlusion and outlines, orthographic projection (so a scale bar
/// holds everywhere in the image).
public enum MeshRenderer {
    /// The GL driver's name, or why there is none.
    public static func rendererName() throws(RenderError) -> String {
        try OffscreenGL.shared().rendererName
    }

    /// Renders `mesh` (mm). With no `camera`, the part's bounding box is framed in the
    /// image, leaving room for the scale bar. The same input gives the same pixels.
    public static func render(_ mesh: Mesh, options: RenderOptions = RenderOptions(),
                              camera: Camera? = nil) throws(RenderError) -> RenderedImage {
        guard (64...4096).contains(options.width), (64...4096).contains(options.height) else {
            throw .badImageSize(width: options.width, height: options.height)
        }
        guard mesh.triangleCount > 0 else { throw .emptyMesh }
        let gl = try OffscreenGL.shared()
        let bounds = mesh.bounds
        let lo = SIMD3<Double>(bounds.min), hi = SIMD3<Double>(bounds.max)
        // Room for the scale bar below and a colour legend to the right.
        let band = options.decorations ? Double(options.height) * 0.1 : 0
        let hasLegend: Bool
        if case .uniform = options.coloring { hasLegend = false } else { hasLegend = true }
        let side = options.decorations && hasLegend ? Double(options.width) * 0.16 : 0
        let cam = camera ?? Camera.framing(minMM: lo, maxMM: hi, view: options.view, width: options.width,
                                           height: options.height,
                                           region: (0, 0, Double(options.width) - side, Double(options.height) - band))
        let s = max(1, options.supersampling)
        var big = cam
        big.width *= s
        big.height *= s
        big.pixelsPerMM *= Double(s)
        big.centrePixel *= Double(s)

        // Depths of the box corners towards the viewer fix the clip range and the fog.
        var nearest = -Double.infinity, farthest = Double.infinity
        for corner in 0..<8 {
            let p = SIMD3(corner & 1 == 0 ? lo.x : hi.x, corner & 2 == 0 ? lo.y : hi.y, corner & 4 == 0 ? lo.z : hi.z)
            let w = cam.project(p).towardsViewerMM
            nearest = max(nearest, w)
            farthest = min(farthest, w)
        }
        let depthSpan = max(nearest - farthest, 1e-6)
        let eyeGap = 1.0 + 0.01 * depthSpan
        let nearClip = 0.5 * eyeGap, farClip = eyeGap + depthSpan * 1.01 + 0.5 * eyeGap

        let (colors, legend) = try options.coloring.vertexColors(of: mesh, zRange: bounds.min.z...max(bounds.max.z, bounds.min.z))
        let background = SIMD3<Float>(RenderOptions.background) / 255
        let key = normalised(SIMD3(-0.45, 0.55, 0.70)), fill = normalised(SIMD3(0.65, -0.15, 0.45))
        let drawn = CreaseNormals(mesh)
        var drawnColors = [Float](repeating: 0, count: 3 * drawn.source.count)
        for (i, v) in drawn.source.enumerated() {
            for k in 0..<3 { drawnColors[3 * i + k] = colors[3 * Int(v) + k] }
        }
        let scene = GLScene(
            positions: drawn.positions, normals: drawn.normals, colors: drawnColors, indices: drawn.indices,
            modelView: big.modelViewMatrix(depthOffsetMM: nearest + eyeGap),
            projection: big.projectionMatrix(nearMM: nearClip, farMM: farClip),
            lightDirections: [key.x, key.y, key.z, fill.x, fill.y, fill.z], lightIntensities: [0.62, 0.28],
            ambient: 0.34, specular: 0.12,
            fogNear: Float(eyeGap), fogFar: Float(eyeGap + depthSpan), fogStrength: 0.3,
            background: [background.x, background.y, background.z])
        var (rgba, depth) = try gl.draw(scene, width: big.width, height: big.height)

        // GL rows come bottom-up; flip to top-first and turn depth into mm from the eye.
        let w = big.width, h = big.height
        var flipped = [UInt8](repeating: 0, count: rgba.count)
        var distance = [Float](repeating: .infinity, count: w * h)
        for y in 0..<h {
            let from = (h - 1 - y) * w
            flipped.replaceSubrange((4 * y * w)..<(4 * (y + 1) * w), with: rgba[(4 * from)..<(4 * (from + w))])
            for x in 0..<w where depth[from + x] < 1 {
                distance[y * w + x] = Float(nearClip + Double(depth[from + x]) * (farClip - nearClip))
            }
        }
        rgba = flipped
        var effects = ScreenSpaceEffects(width: w, height: h, pixelsPerMM: big.pixelsPerMM)
        effects.occlusion = options.ambientOcclusion
        effects.outlines = options.outlines
        var image = effects.apply(rgba: &rgba, viewDistanceMM: distance, supersampling: s)
        if options.decorations {
            RenderDecorations(camera: cam, title: options.title ?? "\(options.view.rawValue) view",
                              legend: legend, scaleBar: options.scaleBar).draw(on: &image)
        }
        return RenderedImage(image: image, camera: cam)
    }

    private static func normalised(_ v: SIMD3<Float>) -> SIMD3<Float> { v / (v * v).sum().squareRoot() }
}

extension SIMD3 where Scalar == Float {
    init(_ bytes: SIMD3<UInt8>) { self.init(Float(bytes.x), Float(bytes.y), Float(bytes.z)) }
}
