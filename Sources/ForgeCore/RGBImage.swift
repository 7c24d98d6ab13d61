/// An 8-bit RGB image, row-major with the top row first, three bytes per pixel.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: SIMD3<UInt8> = SIMD3(255, 255, 255)) {
        precondition(width > 0 && height > 0)
        self.width = width
        self.height = height
        var row = [UInt8](repeating: 0, count: 3 * width * height)
        for i in 0..<(width * height) {
            row[3 * i] = fill.x
            row[3 * i + 1] = fill.y
            row[3 * i + 2] = fill.z
        }
        pixels = row
    }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == 3 * width * height)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int) -> SIMD3<UInt8> {
        get {
            let i = 3 * (y * width + x)
            return SIMD3(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = 3 * (y * width + x)
            pixels[i] = newValue.x
            pixels[i + 1] = newValue.y
            pixels[i + 2] = newValue.z
        }
    }

    /// Copies `other` with its top-left corner at (`x`, `y`), clipped to this image.
    public mutating func paste(_ other: RGBImage, x: Int, y: Int) {
        let x0 = max(0, x), x1 = min(width, x + other.width)
        guard x0 < x1 else { return }
        for row in max(0, y)..<min(height, y + other.height) {
            let from = 3 * ((row - y) * other.width + (x0 - x))
            let to = 3 * (row * width + x0)
            pixels.replaceSubrange(to..<(to + 3 * (x1 - x0)), with: other.pixels[from..<(from + 3 * (x1 - x0))])
        }
    }
}
