import Foundation

/// Small self-contained SVG charts (text rendered by the viewer, no fonts shipped).
public struct SVGPlot {
    public struct Series {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var color: String
        /// Drawn dashed (a target or reference curve).
        public var dashed: Bool
        public init(name: String, x: [Double], y: [Double], color: String, dashed: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.color = color
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width = 560.0
    public var height = 360.0
    /// A horizontal reference line (a target), drawn dashed.
    public var reference: (y: Double, label: String)?

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    private let left = 64.0, right = 16.0, top = 36.0, bottom = 48.0

    /// Lines through each series' points.
    public func lines(_ series: [Series]) -> String {
        let xs = series.flatMap(\.x), ys = series.flatMap(\.y) + (reference.map { [$0.y] } ?? [])
        let xr = Self.range(xs, pad: false), yr = Self.range(ys + [0], pad: true)
        var body = ""
        for s in series {
            let points = zip(s.x, s.y).map { String(format: "%.1f,%.1f", px($0, xr), py($1, yr)) }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            body += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash) points=\"\(points)\"/>\n"
        }
        return document(body + legend(series), xr: xr, yr: yr)
    }

    /// Vertical bars over bins `[edges[i], edges[i+1])`.
    public func bars(edges: [Double], heights: [Double], color: String) -> String {
        let xr = Self.range(edges, pad: false), yr = Self.range(heights + [0], pad: true)
        var body = ""
        for (i, h) in heights.enumerated() where i + 1 < edges.count {
            let x0 = px(edges[i], xr), x1 = px(edges[i + 1], xr), y = py(h, yr), y0 = py(0, yr)
            body += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"/>\n",
                           x0 + 0.5, y, max(x1 - x0 - 1, 0.5), max(y0 - y, 0), color)
        }
        return document(body, xr: xr, yr: yr)
    }

    private func px(_ x: Double, _ r: ClosedRange<Double>) -> Double {
        left + (x - r.lowerBound) / (r.upperBound - r.lowerBound) * (width - left - right)
    }

    private func py(_ y: Double, _ r: ClosedRange<Double>) -> Double {
        height - bottom - (y - r.lowerBound) / (r.upperBound - r.lowerBound) * (height - top - bottom)
    }

    static func range(_ values: [Double], pad: Bool) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-12 { hi = lo + 1 }
        if pad { hi += 0.05 * (hi - lo) }
        if lo > 0 && !pad { lo = min(lo, 0) }
        return lo...hi
    }

    /// 1, 2 or 5 × 10ⁿ steps giving about five ticks.
    public static func ticks(_ r: ClosedRange<Double>) -> [Double] {
        let raw = (r.upperBound - r.lowerBound) / 5
        let decade = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * decade }.first { $0 >= raw } ?? raw
        var k = (r.lowerBound / step).rounded(.up), out: [Double] = []
        while k * step <= r.upperBound + 1e-9 * step {
            // Twelve significant digits: 3 × 0.2 is 0.6, not 0.6000000000000001.
            out.append(Double(String(format: "%.12g", k * step)) ?? k * step)
            k += 1
        }
        return out
    }

    private func legend(_ series: [Series]) -> String {
        guard series.count > 1 else { return "" }
        var out = "", x = left + 10
        for s in series {
            out += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%@\"/>", x, top + 8, s.color)
            out += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%@</text>\n", x + 18, top + 13, Self.escape(s.name))
            x += 30 + 7 * Double(s.name.count)
        }
        return out
    }

    private func document(_ body: String, xr: ClosedRange<Double>, yr: ClosedRange<Double>) -> String {
        var axes = ""
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        axes += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafc\" stroke=\"#888\"/>\n",
                       x0, y1, x1 - x0, y0 - y1)
        for t in Self.ticks(xr) {
            let x = px(t, xr)
            axes += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", x, y1, x, y0)
            axes += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%@</text>\n",
                           x, y0 + 15, Self.label(t))
        }
        for t in Self.ticks(yr) {
            let y = py(t, yr)
            axes += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", x0, y, x1, y)
            axes += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%@</text>\n",
                           x0 - 5, y + 4, Self.label(t))
        }
        if let reference {
            let y = py(reference.y, yr)
            axes += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c33\" stroke-dasharray=\"6 4\"/>", x0, y, x1, y)
            axes += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#c33\" text-anchor=\"end\">%@</text>\n",
                           x1 - 4, y - 4, Self.escape(reference.label))
        }
        let head = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">\n",
                          width, height, width, height)
        let labels = String(format: "<text x=\"%.1f\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%@</text>\n", left, Self.escape(title))
            + String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%@</text>\n",
                     (x0 + x1) / 2, height - 10, Self.escape(xLabel))
            + String(format: "<text x=\"14\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%@</text>\n",
                     (y0 + y1) / 2, (y0 + y1) / 2, Self.escape(yLabel))
        return head + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + axes + body + labels + "</svg>\n"
    }

    public static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        return String(format: abs(v) < 0.1 ? "%.3g" : "%.2g", v)
    }

    static func escape(_ text: String) -> String { text.markupEscaped }
}

extension String {
    /// The text with &, <, > and " escaped for HTML or SVG.
    public var markupEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
