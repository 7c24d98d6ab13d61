/// An orthographic camera: a view direction, a scale in pixels per millimetre, and the
/// pixel where the model point `centreMM` lands. Pixel coordinates count from the image's
/// top-left corner, x to the right and y down.
public struct Camera: Sendable, Equatable {
    public var view: ViewDirection
    public var centreMM: SIMD3<Double>
    public var pixelsPerMM: Double
    public var width: Int
    public var height: Int
    /// Pixel (x from the left, y from the top) that `centreMM` projects to.
    public var centrePixel: SIMD2<Double>

    public init(view: ViewDirection, centreMM: SIMD3<Double>, pixelsPerMM: Double, width: Int, height: Int,
                centrePixel: SIMD2<Double>? = nil) {
        self.view = view
        self.centreMM = centreMM
        self.pixelsPerMM = pixelsPerMM
        self.width = width
        self.height = height
        self.centrePixel = centrePixel ?? SIMD2(Double(width) / 2, Double(height) / 2)
    }

    /// A camera that fits the box `minMM…maxMM` inside the pixel rectangle `region`
    /// (x, y, width, height from the top-left), leaving `margin` of it free on each side.
    public static func framing(minMM: SIMD3<Double>, maxMM: SIMD3<Double>, view: ViewDirection,
                               width: Int, height: Int, region: (x: Double, y: Double, w: Double, h: Double)? = nil,
                               margin: Double = 0.06) -> Camera {
        let r = region ?? (0, 0, Double(width), Double(height))
        let centre = (minMM + maxMM) / 2
        let basis = view.basis
        var extentU = 0.0, extentV = 0.0
        for corner in 0..<8 {
            let p = SIMD3(corner & 1 == 0 ? minMM.x : maxMM.x, corner & 2 == 0 ? minMM.y : maxMM.y,
                          corner & 4 == 0 ? minMM.z : maxMM.z) - centre
            extentU = max(extentU, abs((p * basis.right).sum()))
            extentV = max(extentV, abs((p * basis.up).sum()))
        }
        let usableW = r.w * (1 - 2 * margin), usableH = r.h * (1 - 2 * margin)
        let scale = min(usableW / max(2 * extentU, 1e-9), usableH / max(2 * extentV, 1e-9))
        return Camera(view: view, centreMM: centre, pixelsPerMM: scale, width: width, height: height,
                      centrePixel: SIMD2(r.x + r.w / 2, r.y + r.h / 2))
    }

    /// The pixel position (x right, y down) of a model point, and its distance towards the
    /// viewer along the view direction (larger is closer), in mm from `centreMM`.
    public func project(_ pointMM: SIMD3<Double>) -> (x: Double, y: Double, towardsViewerMM: Double) {
        let p = pointMM - centreMM, b = view.basis
        return (centrePixel.x + (p * b.right).sum() * pixelsPerMM,
                centrePixel.y - (p * b.up).sum() * pixelsPerMM,
                (p * b.back).sum())
    }

    /// Column-major model-view matrix: model mm → view space (x right, y up, z towards the
    /// viewer), with the whole scene at negative z (`depthOffsetMM` in front of the eye).
    func modelViewMatrix(depthOffsetMM: Double) -> [Float] {
        let b = view.basis
        let rows = [b.right, b.up, b.back]
        var m = [Float](repeating: 0, count: 16)
        for (row, axis) in rows.enumerated() {
            m[0 * 4 + row] = Float(axis.x)
            m[1 * 4 + row] = Float(axis.y)
            m[2 * 4 + row] = Float(axis.z)
            m[3 * 4 + row] = Float(-(axis * centreMM).sum())
        }
        m[3 * 4 + 2] -= Float(depthOffsetMM)
        m[15] = 1
        return m
    }

    /// Column-major orthographic projection matching `project`, keeping view depths
    /// `nearMM…farMM` (distances in front of the eye).
    func projectionMatrix(nearMM: Double, farMM: Double) -> [Float] {
        let sx = 2 * pixelsPerMM / Double(width), sy = 2 * pixelsPerMM / Double(height)
        // Pixel y counts down from the top; normalised y counts up from the bottom.
        let tx = 2 * centrePixel.x / Double(width) - 1, ty = 1 - 2 * centrePixel.y / Double(height)
        var m = [Float](repeating: 0, count: 16)
        m[0] = Float(sx)
        m[5] = Float(sy)
        m[10] = Float(-2 / (farMM - nearMM))
        m[12] = Float(tx)
        m[13] = Float(ty)
        m[14] = Float(-(farMM + nearMM) / (farMM - nearMM))
        m[15] = 1
        return m
    }
}
