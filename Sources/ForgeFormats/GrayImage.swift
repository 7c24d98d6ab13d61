/// An 8- or 16-bit grayscale image, rows top to bottom, x fastest.
public struct GrayImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// 8 or 16.
    public let bitDepth: Int
    /// One sample per pixel; 8-bit images use 0…255.
    public var pixels: [UInt16]

    public init(width: Int, height: Int, bitDepth: Int = 8, pixels: [UInt16]) {
        precondition(pixels.count == width * height && (bitDepth == 8 || bitDepth == 16))
        self.width = width
        self.height = height
        self.bitDepth = bitDepth
        self.pixels = pixels
    }
}
