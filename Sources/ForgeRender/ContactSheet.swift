import ForgeCore

/// A grid of thumbnails, each with a few lines of text under it.
public enum ContactSheet {
    public struct Tile: Sendable {
        public var image: RGBImage?
        public var lines: [String]
        public init(image: RGBImage?, lines: [String]) {
            self.image = image
            self.lines = lines
        }
    }

    /// Tiles of `thumbnail` pixels in rows of `columns`; a missing image leaves a grey box.
    public static func render(_ tiles: [Tile], thumbnail: Int = 200, columns: Int? = nil, title: String? = nil) -> RGBImage {
        let cols = max(1, columns ?? min(tiles.count, 6))
        let rows = max(1, (tiles.count + cols - 1) / cols)
        let lineHeight = RGBImage.textHeight(scale: 1) + 4
        let textLines = tiles.map(\.lines.count).max() ?? 0
        let gap = 10
        let cellW = thumbnail, cellH = thumbnail + 6 + textLines * lineHeight
        let top = title == nil ? gap : gap + RGBImage.textHeight(scale: 2) + gap
        var sheet = RGBImage(width: gap + cols * (cellW + gap), height: top + rows * (cellH + gap))
        if let title { sheet.draw(text: title, x: gap, y: gap, scale: 2) }
        for (k, tile) in tiles.enumerated() {
            let left = gap + (k % cols) * (cellW + gap), y = top + (k / cols) * (cellH + gap)
            if let image = tile.image {
                let thumb = image.scaled(toFit: thumbnail)
                sheet.paste(thumb, x: left + (thumbnail - thumb.width) / 2, y: y + (thumbnail - thumb.height) / 2)
            } else {
                sheet.fill(x: left, y: y, width: thumbnail, height: thumbnail, color: SIMD3(225, 225, 228))
            }
            for (i, line) in tile.lines.enumerated() {
                sheet.draw(text: String(line.prefix(thumbnail / BitmapFont.advance)), x: left, y: y + thumbnail + 6 + i * lineHeight,
                           scale: 1)
            }
        }
        return sheet
    }
}
