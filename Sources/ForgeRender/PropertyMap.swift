import ForgeCore
import Foundation

/// An Ashby-style chart of a batch: relative stiffness E/E_s against relative density φ on
/// log–log axes, with the Gibson–Ashby guide lines E/E_s = φ (stretching-dominated) and
/// E/E_s = φ² (bending-dominated). Each variant is drawn at its stiffest axis (a disc) and
/// its softest (a ring, joined to the disc), coloured by its anisotropy E_max/E_min on a
/// log scale from 1 to 30 (30 and above alike), so families of one anisotropy sit together.
/// Variants of nearly the same density are spread a few pixels apart.
public struct PropertyMap {
    public struct Point: Sendable {
        public var density: Double
        /// E/E_s along x, y and z.
        public var relativeModuli: [Double]
        public var label: String

        public init(density: Double, relativeModuli: [Double], label: String) {
            self.density = density
            self.relativeModuli = relativeModuli
            self.label = label
        }

        var stiffest: Double { relativeModuli.max() ?? 0 }
        var softest: Double { relativeModuli.min() ?? 0 }
        var anisotropy: Double { softest > 0 ? stiffest / softest : .infinity }
    }

    public var title: String
    public var width = 760
    public var height = 600

    public init(title: String) { self.title = title }

    /// The colour ramp of anisotropy: blue (isotropic) → teal → yellow → red (most anisotropic).
    static let ramp = Colormap(stops: [SIMD3(40, 90, 190), SIMD3(40, 170, 170), SIMD3(230, 200, 60), SIMD3(210, 40, 40)]
        .map { $0 / 255 })

    public func render(_ points: [Point]) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let left = 76, right = 110, top = 52, bottom = 60
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        image.draw(text: title, x: left, y: 12, scale: 2)
        let usable = points.filter { $0.density > 0 && $0.softest > 0 && $0.stiffest.isFinite }
        // Axes: whole decades around the data.
        let densities = usable.map(\.density), moduli = usable.flatMap { [$0.softest, $0.stiffest] }
        let xa = floor(log10(densities.min() ?? 0.1)), xb = max(ceil(log10(densities.max() ?? 1)), xa + 1)
        let ya = floor(log10(moduli.min() ?? 1e-3)), yb = max(ceil(log10(moduli.max() ?? 1)), ya + 1)
        func px(_ v: Double) -> Int { x0 + Int(((log10(v) - xa) / (xb - xa) * Double(x1 - x0)).rounded()) }
        func py(_ v: Double) -> Int { y0 - Int(((log10(v) - ya) / (yb - ya) * Double(y0 - y1)).rounded()) }
        let axis = SIMD3<UInt8>(120, 120, 128), grid = SIMD3<UInt8>(232, 232, 238)
        for d in Int(xa)...Int(xb) {
            for m in 1...9 {
                let v = Double(m) * pow(10, Double(d))
                guard log10(v) <= xb else { continue }
                image.fill(x: px(v), y: y1, width: 1, height: y0 - y1, color: m == 1 ? SIMD3(210, 210, 218) : grid)
            }
            let text = Self.decade(d)
            image.draw(text: text, x: px(pow(10, Double(d))) - RGBImage.textWidth(text, scale: 1) / 2, y: y0 + 8, scale: 1)
        }
        for d in Int(ya)...Int(yb) {
            for m in 1...9 {
                let v = Double(m) * pow(10, Double(d))
                guard log10(v) <= yb else { continue }
                image.fill(x: x0, y: py(v), width: x1 - x0, height: 1, color: m == 1 ? SIMD3(210, 210, 218) : grid)
            }
            let text = Self.decade(d)
            image.draw(text: text, x: x0 - 8 - RGBImage.textWidth(text, scale: 1), y: py(pow(10, Double(d))) - 3, scale: 1)
        }
        image.fill(x: x0, y: y0, width: x1 - x0, height: 1, color: axis)
        image.fill(x: x0, y: y1, width: 1, height: y0 - y1, color: axis)
        // Guide lines E/E_s = C φⁿ with C = 1 (Gibson–Ashby).
        for (n, name, color) in [(1.0, "E/Es = phi (stretching)", SIMD3<UInt8>(90, 90, 100)),
                                 (2.0, "E/Es = phi squared (bending)", SIMD3<UInt8>(150, 150, 160))] {
            var last: (Int, Int)?
            let steps = 400
            for i in 0...steps {
                let lx = xa + (xb - xa) * Double(i) / Double(steps)
                let ly = n * lx
                guard ly >= ya, ly <= yb else { last = nil; continue }
                let p = (px(pow(10, lx)), py(pow(10, ly)))
                if let q = last { image.line(from: q, to: p, color: color) }
                last = p
            }
            let labelX = xa + 0.04 * (xb - xa)
            if n * labelX >= ya, n * labelX <= yb {
                image.draw(text: name, x: px(pow(10, labelX)) + 4, y: py(pow(10, n * labelX)) - 14, scale: 1, color: color)
            }
        }
        let widest = Self.widestAnisotropy
        func shade(_ a: Double) -> SIMD3<UInt8> { Self.ramp.bytes(at: Float(log(max(a, 1)) / log(widest))) }
        func drawPoint(_ p: Point, spread: Int) {
            let color = shade(p.anisotropy)
            let x = px(p.density) + spread, ys = py(p.stiffest), yw = py(p.softest)
            if ys != yw { image.fill(x: x, y: min(ys, yw), width: 1, height: abs(yw - ys), color: color) }
            image.disc(x: x, y: yw, radius: 4, color: color)
            image.disc(x: x, y: yw, radius: 2, color: SIMD3(255, 255, 255))
            image.disc(x: x, y: ys, radius: 4, color: color)
        }
        // Spread variants of one density (within 2%) side by side, 6 px apart.
        var groups: [[Point]] = []
        for p in usable.sorted(by: { ($0.density, $0.anisotropy) < ($1.density, $1.anisotropy) }) {
            if let first = groups.last?.first, p.density <= first.density * 1.02 {
                groups[groups.count - 1].append(p)
            } else {
                groups.append([p])
            }
        }
        for group in groups {
            for (i, p) in group.enumerated() {
                drawPoint(p, spread: 6 * i - 3 * (group.count - 1))
            }
        }
        image.draw(text: "relative density (solid fraction)", x: (x0 + x1) / 2 - 140, y: height - 26, scale: 2)
        image.draw(text: "E/Es: disc stiffest axis, ring softest", x: 8, y: top - 20, scale: 1)
        // The colour bar of anisotropy.
        let barX = x1 + 30, barTop = y1 + 20, barHeight = y0 - y1 - 40
        for i in 0..<barHeight {
            let t = 1 - Double(i) / Double(barHeight - 1)
            image.fill(x: barX, y: barTop + i, width: 14, height: 1, color: Self.ramp.bytes(at: Float(t)))
        }
        image.draw(text: "Emax/Emin", x: barX - 14, y: barTop - 16, scale: 1)
        image.draw(text: String(format: "%.0f+", widest), x: barX + 18, y: barTop - 3, scale: 1)
        image.draw(text: "1", x: barX + 18, y: barTop + barHeight - 5, scale: 1)
        return image
    }

    /// The anisotropy at the red end of the colour scale.
    static let widestAnisotropy = 30.0

    static func decade(_ d: Int) -> String {
        switch d {
        case 0: return "1"
        case -1: return "0.1"
        case -2: return "0.01"
        case 1: return "10"
        default: return "1e\(d)"
        }
    }
}

extension RGBImage {
    /// A filled disc, clipped to the image.
    mutating func disc(x: Int, y: Int, radius r: Int, color: SIMD3<UInt8>) {
        for dy in -r...r {
            for dx in -r...r where dx * dx + dy * dy <= r * r {
                let sx = x + dx, sy = y + dy
                if sx >= 0, sx < width, sy >= 0, sy < height { self[sx, sy] = color }
            }
        }
    }

    /// A one-pixel line (Bresenham), clipped to the image.
    mutating func line(from a: (Int, Int), to b: (Int, Int), color: SIMD3<UInt8>) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y), sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            if x >= 0, x < width, y >= 0, y < height { self[x, y] = color }
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}
