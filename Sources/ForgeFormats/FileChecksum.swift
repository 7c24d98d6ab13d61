import CDeflate
import Foundation

/// CRC-32 (zlib's) of a whole file, read in 4 MiB pieces: the fingerprint a design records
/// for its mesh, so that a damaged copy of the same size is told apart.
public enum FileChecksum {
    public static func crc32(of url: URL) throws -> UInt32 {
        try InputFile.requireRegular(url)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let size = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        var crc: UInt32 = 0
        while true {
            let n = Glibc.read(fd, buffer, size)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno))) }
            if n == 0 { return crc }
            crc = cf_crc32(crc, buffer, n)
        }
    }

    /// `crc` as eight hex digits, as recorded.
    public static func hex(_ crc: UInt32) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// What a PNG says of itself without being decoded: its size from the IHDR chunk, and
/// whether it ends with IEND (a truncated file does not).
public struct PNGHeader: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bitDepth: Int
    public var endsComplete: Bool

    public static func read(_ url: URL) throws -> PNGHeader {
        let head = try InputFile.head(url, bytes: 26)
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard head.count == 26, Array(head.prefix(8)) == signature, Array(head[12..<16]) == Array("IHDR".utf8) else {
            throw FormatError.png(path: url.path, message: "not a PNG file")
        }
        func big(_ at: Int) -> Int { head[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var tail = [UInt8](repeating: 0, count: 12)
        let end = lseek(fd, 0, SEEK_END)
        let got = end >= 12 ? pread(fd, &tail, 12, end - 12) : -1
        let complete = got == 12 && Array(tail) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        return PNGHeader(width: big(16), height: big(20), bitDepth: Int(head[24]), endsComplete: complete)
    }
}
