import ForgeCore
import Foundation

/// The overlays of a render: view label, scale bar and colour legend.
struct RenderDecorations {
    let camera: Camera
    let title: String
    let legend: (title: String, range: ClosedRange<Float>, colormap: Colormap)?
    var scaleBar = true

    static let ink = SIMD3<UInt8>(30, 30, 36)

    func draw(on image: inout RGBImage) {
        let scale = image.width >= 480 ? 2 : 1
        let pad = 8 * scale
        image.draw(text: title, x: pad, y: pad, scale: scale, color: Self.ink)
        if scaleBar { drawScaleBar(on: &image, scale: scale, pad: pad) }
        if let legend { drawLegend(legend, on: &image, scale: scale, pad: pad) }
    }

    /// The bar's length in mm: 1, 2 or 5 × 10ⁿ, near a quarter of the image width.
    static func barLengthMM(pixelsPerMM: Double, imageWidth: Int) -> Double {
        let target = 0.25 * Double(imageWidth) / pixelsPerMM
        let decade = pow(10, floor(log10(target)))
        return [1.0, 2, 5, 10].map { $0 * decade }.min { abs(log($0 / target)) < abs(log($1 / target)) }!
    }

    static func format(mm: Double) -> String {
        if mm >= 1 { return mm == mm.rounded() ? "\(Int(mm)) mm" : String(format: "%.1f mm", mm) }
        return "\(Int((mm * 1000).rounded())) µm"
    }

    private func drawScaleBar(on image: inout RGBImage, scale: Int, pad: Int) {
        let lengthMM = Self.barLengthMM(pixelsPerMM: camera.pixelsPerMM, imageWidth: image.width)
        let length = Int((lengthMM * camera.pixelsPerMM).rounded())
        let thickness = 3 * scale
        let y = image.height - pad - thickness
        let x = pad + 2 * scale
        image.fill(x: x, y: y, width: length, height: thickness, color: Self.ink)
        image.fill(x: x, y: y - 3 * scale, width: scale, height: thickness + 3 * scale, color: Self.ink)
        image.fill(x: x + length - scale, y: y - 3 * scale, width: scale, height: thickness + 3 * scale, color: Self.ink)
        let label = Self.format(mm: lengthMM)
        image.draw(text: label, x: x + length + 4 * scale, y: y + thickness - RGBImage.textHeight(scale: scale),
                   scale: scale, color: Self.ink)
    }

    private func drawLegend(_ legend: (title: String, range: ClosedRange<Float>, colormap: Colormap),
                            on image: inout RGBImage, scale: Int, pad: Int) {
        let barWidth = 10 * scale, barHeight = image.height * 3 / 10
        let x = image.width - pad - barWidth
        let top = pad + 3 * RGBImage.textHeight(scale: scale)
        for row in 0..<barHeight {
            let t = 1 - Float(row) / Float(max(barHeight - 1, 1))
            image.fill(x: x, y: top + row, width: barWidth, height: 1, color: legend.colormap.bytes(at: t))
        }
        let high = String(format: "%.2f", legend.range.upperBound), low = String(format: "%.2f", legend.range.lowerBound)
        let titleWidth = RGBImage.textWidth(legend.title, scale: scale)
        image.draw(text: legend.title, x: image.width - pad - titleWidth, y: pad, scale: scale, color: Self.ink)
        image.draw(text: high, x: x - RGBImage.textWidth(high, scale: scale) - 3 * scale, y: top, scale: scale, color: Self.ink)
        image.draw(text: low, x: x - RGBImage.textWidth(low, scale: scale) - 3 * scale,
                   y: top + barHeight - RGBImage.textHeight(scale: scale), scale: scale, color: Self.ink)
    }
}
