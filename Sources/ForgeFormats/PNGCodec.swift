import CPNG
import Foundation

/// Grayscale PNG through libpng: writing with a text chunk (the low-level API, behind the
/// C shim's setjmp), reading with libpng's simplified API.
public enum PNGCodec {
    /// Writes an 8-bit image from `pixels` (row-major, top row first) atomically to `url`,
    /// with an optional tEXt chunk `textKey` = `text`. `twoLevel` images (only 0 and 255)
    /// are written unfiltered with run-length deflate. `pixelMM` (when given) is recorded in
    /// a pHYs chunk, so image tools know the pixel size.
    public static func writeGray8(_ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                                  to url: URL, textKey: String? = nil, text: String? = nil, pixelMM: Double? = nil,
                                  compressionLevel: Int = 6, twoLevel: Bool = false) throws {
        precondition(pixels.count >= width * height)
        try AtomicFile.write(to: url) { temporary in
            var message = [CChar](repeating: 0, count: 256)
            let status = cf_png_write_gray(temporary.path, UInt32(width), UInt32(height), 8,
                                           pixels.baseAddress, width, textKey, text, pixelsPerMetre(pixelMM),
                                           Int32(compressionLevel), twoLevel ? 1 : 0, &message, message.count)
            guard status == 0 else {
                let text = cMessage(message)
                throw FormatError.png(path: url.path, message: text.isEmpty ? "libpng status \(status)" : text)
            }
        }
    }

    /// Writes `image` (8- or 16-bit) atomically to `url`.
    public static func write(_ image: GrayImage, to url: URL, textKey: String? = nil, text: String? = nil,
                             pixelMM: Double? = nil) throws {
        if image.bitDepth == 8 {
            let bytes = image.pixels.map { UInt8(truncatingIfNeeded: $0) }
            try bytes.withUnsafeBufferPointer {
                try writeGray8($0, width: image.width, height: image.height, to: url, textKey: textKey, text: text,
                               pixelMM: pixelMM)
            }
            return
        }
        try AtomicFile.write(to: url) { temporary in
            var message = [CChar](repeating: 0, count: 256)
            let status = image.pixels.withUnsafeBufferPointer {
                cf_png_write_gray(temporary.path, UInt32(image.width), UInt32(image.height), 16,
                                  $0.baseAddress, image.width * 2, textKey, text, pixelsPerMetre(pixelMM), 6, 0,
                                  &message, message.count)
            }
            guard status == 0 else {
                throw FormatError.png(path: url.path, message: "libpng status \(status)")
            }
        }
    }

    /// pHYs's whole pixels per metre for a pixel `mm` wide (0: no chunk).
    static func pixelsPerMetre(_ mm: Double?) -> UInt32 {
        guard let mm, mm.isFinite, mm > 0 else { return 0 }
        let perMetre = (1000 / mm).rounded()
        return perMetre >= 1 && perMetre <= Double(Int32.max) ? UInt32(perMetre) : 0
    }

    /// The most pixels a PNG may declare to be read (64 megapixels): the header is checked
    /// before anything is decoded, so a small file declaring a huge picture costs nothing.
    public static let maximumPixels = 64 << 20

    /// Opens `url` for libpng's simplified reader after checking that it is a regular file
    /// and that its declared size is within `maximumPixels`.
    static func beginRead(_ url: URL, _ image: inout png_image) throws {
        try InputFile.requireRegular(url)
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, url.path) != 0 else {
            throw FormatError.png(path: url.path, message: message(of: &image))
        }
        let pixels = Int(image.width).multipliedReportingOverflow(by: Int(image.height))
        guard !pixels.overflow, pixels.partialValue <= maximumPixels else {
            let declared = "\(image.width) × \(image.height)"
            png_image_free(&image)
            throw FormatError.png(path: url.path, message: "it declares \(declared) pixels, more than the \(maximumPixels >> 20) megapixels "
                                  + "CephaloForge reads; scale it down first")
        }
    }

    /// Reads any PNG as grayscale (colour becomes luminance), keeping 16-bit depth when the
    /// file has it.
    public static func read(_ url: URL) throws -> GrayImage {
        var image = png_image()
        try beginRead(url, &image)
        let sixteen = image.format & UInt32(CF_PNG_FORMAT_LINEAR_Y) != 0
        image.format = sixteen ? UInt32(CF_PNG_FORMAT_LINEAR_Y) : UInt32(CF_PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt16](repeating: 0, count: width * height)
        var ok: Int32
        if sixteen {
            ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        } else {
            var bytes = [UInt8](repeating: 0, count: width * height)
            ok = bytes.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            for i in 0..<bytes.count { pixels[i] = UInt16(bytes[i]) }
        }
        guard ok != 0 else {
            let text = message(of: &image)
            png_image_free(&image)
            throw FormatError.png(path: url.path, message: text)
        }
        return GrayImage(width: width, height: height, bitDepth: sixteen ? 16 : 8, pixels: pixels)
    }

    static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The tEXt chunks of a PNG file as keyword → text (Latin-1 decoded).
    public static func textChunks(_ url: URL) throws -> [String: String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        guard bytes.count > 8, bytes[0] == 0x89, bytes[1] == 0x50 else {
            throw FormatError.png(path: url.path, message: "not a PNG file")
        }
        var result: [String: String] = [:]
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard body + length + 4 <= bytes.count else { break }
            if type == "tEXt", let zero = bytes[body..<body + length].firstIndex(of: 0) {
                let key = String(bytes[body..<zero].map { Character(Unicode.Scalar($0)) })
                let text = String(bytes[(zero + 1)..<(body + length)].map { Character(Unicode.Scalar($0)) })
                result[key] = text
            }
            if type == "IEND" { break }
            offset = body + length + 4
        }
        return result
    }
}
