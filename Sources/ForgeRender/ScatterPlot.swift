import ForgeCore
import Foundation

/// A labelled scatter plot as a raster image (for PNG output).
public struct ScatterPlot {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width = 720
    public var height = 560

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    static let palette: [SIMD3<UInt8>] = [SIMD3(31, 119, 180), SIMD3(214, 39, 40), SIMD3(44, 160, 44), SIMD3(148, 103, 189),
                                          SIMD3(255, 127, 14), SIMD3(23, 190, 207), SIMD3(140, 86, 75), SIMD3(227, 119, 194)]

    /// Points with a label and a group (the group picks the colour); `legend` names the
    /// groups in order. Labels are drawn for up to 40 points.
    public func render(_ points: [(x: Double, y: Double, label: String, group: Int)], legend: [String] = []) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let left = 70, right = 20, top = 48, bottom = 56
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        image.draw(text: title, x: left, y: 10, scale: 2)
        var lx = left
        for (g, name) in legend.enumerated() {
            image.fill(x: lx, y: 30, width: 8, height: 8, color: Self.palette[g % Self.palette.count])
            image.draw(text: name, x: lx + 12, y: 31, scale: 1)
            lx += 24 + RGBImage.textWidth(name, scale: 1)
        }
        func span(_ values: [Double]) -> (Double, Double) {
            var lo = values.min() ?? 0, hi = values.max() ?? 1
            if hi - lo < 1e-12 { lo -= 1; hi += 1 }
            let pad = 0.08 * (hi - lo)
            return (lo - pad, hi + pad)
        }
        let (xa, xb) = span(points.map(\.x)), (ya, yb) = span(points.map(\.y))
        func px(_ x: Double) -> Int { x0 + Int((x - xa) / (xb - xa) * Double(x1 - x0)) }
        func py(_ y: Double) -> Int { y0 - Int((y - ya) / (yb - ya) * Double(y0 - y1)) }
        let axis = SIMD3<UInt8>(120, 120, 128)
        image.fill(x: x0, y: y1, width: x1 - x0, height: 1, color: axis)
        image.fill(x: x0, y: y0, width: x1 - x0, height: 1, color: axis)
        image.fill(x: x0, y: y1, width: 1, height: y0 - y1, color: axis)
        image.fill(x: x1, y: y1, width: 1, height: y0 - y1 + 1, color: axis)
        if xa < 0 && xb > 0 { image.fill(x: px(0), y: y1, width: 1, height: y0 - y1, color: SIMD3(220, 220, 226)) }
        if ya < 0 && yb > 0 { image.fill(x: x0, y: py(0), width: x1 - x0, height: 1, color: SIMD3(220, 220, 226)) }
        for t in SVGPlot.ticks(xa...xb) {
            let x = px(t)
            image.fill(x: x, y: y0, width: 1, height: 5, color: axis)
            let text = SVGPlot.label(t)
            image.draw(text: text, x: x - RGBImage.textWidth(text, scale: 1) / 2, y: y0 + 8, scale: 1)
        }
        for t in SVGPlot.ticks(ya...yb) {
            let y = py(t)
            image.fill(x: x0 - 5, y: y, width: 5, height: 1, color: axis)
            let text = SVGPlot.label(t)
            image.draw(text: text, x: x0 - 8 - RGBImage.textWidth(text, scale: 1), y: y - 3, scale: 1)
        }
        image.draw(text: xLabel, x: (x0 + x1 - RGBImage.textWidth(xLabel, scale: 2)) / 2, y: height - 24, scale: 2)
        image.draw(text: yLabel, x: 8, y: top - 10, scale: 1)
        for p in points {
            let x = px(p.x), y = py(p.y), color = Self.palette[p.group % Self.palette.count]
            image.disc(x: x, y: y, radius: 4, color: color)
            if points.count <= 40 { image.draw(text: p.label, x: x + 7, y: y - 3, scale: 1, color: SIMD3(60, 60, 70)) }
        }
        return image
    }
}
