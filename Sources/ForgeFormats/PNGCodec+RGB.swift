import CPNG
import ForgeCore
import Foundation

/// Colour PNG through libpng's simplified API.
extension PNGCodec {
    /// Writes an 8-bit RGB image atomically to `url`.
    public static func write(_ image: RGBImage, to url: URL) throws {
        try AtomicFile.write(to: url) { temporary in
            var png = png_image()
            png.version = UInt32(PNG_IMAGE_VERSION)
            png.width = UInt32(image.width)
            png.height = UInt32(image.height)
            png.format = UInt32(CF_PNG_FORMAT_RGB)
            let ok = image.pixels.withUnsafeBytes {
                png_image_write_to_file(&png, temporary.path, 0, $0.baseAddress, Int32(3 * image.width), nil)
            }
            guard ok != 0 else {
                let text = message(of: &png)
                png_image_free(&png)
                throw FormatError.png(path: url.path, message: text)
            }
        }
    }

    /// Reads any PNG as 8-bit RGB (gray is replicated, alpha composited on white by libpng's
    /// rules for dropping alpha).
    public static func readRGB(_ url: URL) throws -> RGBImage {
        var png = png_image()
        try beginRead(url, &png)
        png.format = UInt32(CF_PNG_FORMAT_RGB)
        let width = Int(png.width), height = Int(png.height)
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        var background = png_color(red: 255, green: 255, blue: 255)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&png, &background, $0.baseAddress, 0, nil) }
        guard ok != 0 else {
            let text = message(of: &png)
            png_image_free(&png)
            throw FormatError.png(path: url.path, message: text)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The PNG file of an 8-bit RGB image, in memory.
    public static func encode(_ image: RGBImage) throws -> Data {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = UInt32(CF_PNG_FORMAT_RGB)
        var size: png_alloc_size_t = 0
        let stride = Int32(3 * image.width)
        let sized = image.pixels.withUnsafeBytes { png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, stride, nil) }
        guard sized != 0, size > 0 else {
            let text = message(of: &png)
            png_image_free(&png)
            throw FormatError.png(path: "(memory)", message: text)
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let ok = bytes.withUnsafeMutableBytes { out in
            image.pixels.withUnsafeBytes { png_image_write_to_memory(&png, out.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        guard ok != 0 else {
            let text = message(of: &png)
            png_image_free(&png)
            throw FormatError.png(path: "(memory)", message: text)
        }
        return Data(bytes.prefix(Int(size)))
    }
}
