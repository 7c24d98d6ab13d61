import ForgeCore

/// Simple raster drawing for labels, bars and legends.
extension RGBImage {
    /// Fills the rectangle (clipped to the image).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: SIMD3<UInt8>) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 { self[column, row] = color }
        }
    }

    /// Draws `text` with its top-left corner at (x, y), each font pixel `scale` image
    /// pixels wide.
    public mutating func draw(text: String, x: Int, y: Int, scale: Int = 2, color: SIMD3<UInt8> = SIMD3(20, 20, 24)) {
        var left = x
        for character in text {
            let rows = BitmapFont.rows(of: character)
            for (r, bits) in rows.enumerated() {
                for c in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(c)) != 0 {
                    fill(x: left + c * scale, y: y + r * scale, width: scale, height: scale, color: color)
                }
            }
            left += BitmapFont.advance * scale
        }
    }

    /// Draws `text` on a padded plate of `background`, so it stays readable over anything.
    public mutating func draw(label text: String, x: Int, y: Int, scale: Int = 2,
                              color: SIMD3<UInt8> = SIMD3(20, 20, 24),
                              background: SIMD3<UInt8> = SIMD3(255, 255, 255)) {
        let pad = scale * 2
        fill(x: x - pad, y: y - pad, width: Self.textWidth(text, scale: scale) + 2 * pad,
             height: Self.textHeight(scale: scale) + 2 * pad, color: background)
        draw(text: text, x: x, y: y, scale: scale, color: color)
    }

    public static func textWidth(_ text: String, scale: Int) -> Int { BitmapFont.width(of: text, scale: scale) }
    public static func textHeight(scale: Int) -> Int { BitmapFont.glyphHeight * scale }
}
