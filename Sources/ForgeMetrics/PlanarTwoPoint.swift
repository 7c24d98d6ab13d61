import ForgeCore
import ForgeFFT
import Foundation

/// Two-point statistics of a two-phase image (one z layer), without assuming it is
/// periodic: S₂(d) = Σ I(x) I(x + d) / N(d) over the N(d) pixel pairs that both lie in the
/// image, by FFT of the zero-padded indicator. Displacements reach half the image.
public struct PlanarTwoPoint: Sendable {
    /// Solid fraction φ of the image.
    public let fraction: Double
    /// Largest displacement kept along x and y, in pixels.
    public let radiusX: Int
    public let radiusY: Int
    /// S₂ at displacement (dx, dy), dx in −radiusX…radiusX (fastest), dy in −radiusY…radiusY.
    public let s2: [Double]

    /// `solid` holds width × height values, row-major, 1 for solid and 0 for void; row 0 is
    /// y = 0 (the orientation does not matter for the statistics).
    public init(solid: [UInt8], width: Int, height: Int) throws {
        precondition(solid.count == width * height && width >= 4 && height >= 4)
        fraction = Double(solid.reduce(0) { $0 + Int($1) }) / Double(solid.count)
        radiusX = width / 2 - 1
        radiusY = height / 2 - 1
        let pw = 2 * width, ph = 2 * height
        let buffer = try RealSpectralBuffer(size: GridSize(nx: pw, ny: ph, nz: 1))
        let row = buffer.paddedRowLength
        let p = buffer.pointer
        for i in 0..<buffer.floatCount { p[i] = 0 }
        for y in 0..<height {
            for x in 0..<width { p[y * row + x] = Float(solid[y * width + x]) }
        }
        buffer.forward()
        // |F|², then back: the (circular on the padded grid, so linear) autocorrelation.
        let complexCount = buffer.complexRowLength * ph
        for c in 0..<complexCount {
            let re = p[2 * c], im = p[2 * c + 1]
            p[2 * c] = re * re + im * im
            p[2 * c + 1] = 0
        }
        buffer.inverse()
        let scale = 1 / Double(pw * ph)
        var map = [Double](repeating: 0, count: (2 * radiusX + 1) * (2 * radiusY + 1))
        for dy in -radiusY...radiusY {
            for dx in -radiusX...radiusX {
                let sx = (dx + pw) % pw, sy = (dy + ph) % ph
                let pairs = Double((width - abs(dx)) * (height - abs(dy)))
                map[(dy + radiusY) * (2 * radiusX + 1) + dx + radiusX] = Double(p[sy * row + sx]) * scale / pairs
            }
        }
        s2 = map
    }

    public init(fraction: Double, radiusX: Int, radiusY: Int, s2: [Double]) {
        precondition(s2.count == (2 * radiusX + 1) * (2 * radiusY + 1))
        self.fraction = fraction
        self.radiusX = radiusX
        self.radiusY = radiusY
        self.s2 = s2
    }

    /// The mean of several measurements of the same size (e.g. the z sections of a volume).
    public static func average(_ parts: [PlanarTwoPoint]) -> PlanarTwoPoint {
        precondition(!parts.isEmpty)
        let n = Double(parts.count)
        var s2 = [Double](repeating: 0, count: parts[0].s2.count)
        for p in parts { for i in s2.indices { s2[i] += p.s2[i] / n } }
        return PlanarTwoPoint(fraction: parts.map(\.fraction).reduce(0, +) / n, radiusX: parts[0].radiusX,
                              radiusY: parts[0].radiusY, s2: s2)
    }

    public func value(dx: Int, dy: Int) -> Double { s2[(dy + radiusY) * (2 * radiusX + 1) + dx + radiusX] }

    /// (S₂ − φ²)/(φ − φ²): 1 at d = 0, 0 for uncorrelated points.
    public func normalised(dx: Int, dy: Int) -> Double {
        let f = fraction
        return (value(dx: dx, dy: dy) - f * f) / max(f - f * f, 1e-12)
    }

    /// Pixels along +x and +y at which the normalised correlation first falls below 1/e
    /// (linearly interpolated; the radius when it never does).
    public var correlationLengthsPixels: (x: Double, y: Double) {
        func length(_ step: (Int) -> Double, _ radius: Int) -> Double {
            let e = exp(-1.0)
            for d in 1...max(radius, 1) where step(d) < e {
                let a = step(d - 1), b = step(d)
                return Double(d - 1) + (a - e) / max(a - b, 1e-12)
            }
            return Double(radius)
        }
        return (length({ normalised(dx: $0, dy: 0) }, radiusX), length({ normalised(dx: 0, dy: $0) }, radiusY))
    }

    /// In-plane anisotropy of the central correlation lobe (the displacements connected to
    /// d = 0 where the normalised correlation exceeds 1/e), from its second moments weighted
    /// by the correlation: the direction of its long axis (degrees from +x, in −90…90) and
    /// the ratio of its long to short extent (1 for isotropic).
    public var anisotropy: (angleDeg: Double, ratio: Double) {
        let e = exp(-1.0), w = 2 * radiusX + 1
        var inside = [Bool](repeating: false, count: s2.count)
        var stack = [(0, 0)]
        inside[radiusY * w + radiusX] = true
        var mxx = 0.0, myy = 0.0, mxy = 0.0
        while let (dx, dy) = stack.popLast() {
            let c = normalised(dx: dx, dy: dy)
            mxx += c * Double(dx * dx)
            myy += c * Double(dy * dy)
            mxy += c * Double(dx * dy)
            for (ox, oy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let nx = dx + ox, ny = dy + oy
                guard abs(nx) <= radiusX, abs(ny) <= radiusY else { continue }
                let i = (ny + radiusY) * w + nx + radiusX
                if !inside[i] && normalised(dx: nx, dy: ny) > e {
                    inside[i] = true
                    stack.append((nx, ny))
                }
            }
        }
        let angle = 0.5 * atan2(2 * mxy, mxx - myy) * 180 / .pi
        let mean = (mxx + myy) / 2, spread = (((mxx - myy) / 2) * ((mxx - myy) / 2) + mxy * mxy).squareRoot()
        let major = mean + spread, minor = max(mean - spread, 1e-12)
        return (angle, (major / minor).squareRoot())
    }
}
