import CDeflate
import ForgeCore
import Foundation

/// A zip archive written front to back (PKWARE APPNOTE 6.3): stored and deflated entries,
/// then the central directory. Deflated entries are made of pieces that are produced and
/// compressed side by side, in batches, and written in order as one deflate stream. Every
/// timestamp is 1980-01-01 00:00, so the same entries always give the same bytes. An
/// entry marked `large` carries ZIP64 sizes, and ZIP64 records close the archive when an
/// entry or the directory starts beyond 4 GiB.
public final class ZipWriter {
    private struct Entry {
        let name: [UInt8]
        let method: UInt16
        var crc: UInt32 = 0
        var compressed: UInt64 = 0
        var uncompressed: UInt64 = 0
        let offset: UInt64
        let large: Bool
    }

    private let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var offset: UInt64 = 0
    private var entries: [Entry] = []

    /// Creates (or truncates) the archive at `path`.
    public init(path: String) throws {
        self.path = path
        guard let file = fopen(path, "wb") else {
            throw FormatError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        self.file = file
    }

    deinit { if let file { fclose(file) } }

    /// Adds `data` uncompressed.
    public func add(_ name: String, stored data: [UInt8]) throws {
        var entry = Entry(name: Array(name.utf8), method: 0, offset: offset, large: false)
        entry.crc = cf_crc32(0, data, data.count)
        entry.compressed = UInt64(data.count)
        entry.uncompressed = UInt64(data.count)
        try emit(localHeader(entry))
        try emit(data)
        entries.append(entry)
    }

    /// Adds the concatenation of `piece(0) … piece(pieces − 1)`, deflated at `level`.
    /// `large` must be set when the entry may reach 4 GiB (before or after compression).
    public func add(_ name: String, pieces: Int, level: Int32 = 1, large: Bool,
                    piece: @Sendable @escaping (Int) -> [UInt8]) throws {
        precondition(pieces >= 1)
        var entry = Entry(name: Array(name.utf8), method: 8, offset: offset, large: large)
        let header = localHeader(entry)
        try emit(header)
        let batch = 2 * ProcessInfo.processInfo.activeProcessorCount
        for first in stride(from: 0, to: pieces, by: batch) {
            let count = min(batch, pieces - first)
            let done = ChunkSlots<(data: [UInt8], crc: UInt32, length: Int)?>(count: count, initial: nil)
            parallelForChunks(count, chunks: count) { c, _ in
                let index = first + c
                let text = piece(index)
                var out = [UInt8](repeating: 0, count: cf_deflate_bound(text.count))
                let written = out.withUnsafeMutableBytes { o in
                    text.withUnsafeBytes { t in
                        cf_deflate_piece(t.baseAddress, t.count, o.baseAddress, o.count, level, index == pieces - 1 ? 1 : 0)
                    }
                }
                guard written >= 0 else { return }
                out.removeLast(out.count - written)
                done.store((out, cf_crc32(0, text, text.count), text.count), at: c)
            }
            for c in 0..<count {
                guard let part = done.take(c, leaving: nil) else {
                    throw FormatError.cannotWrite(path: path, reason: "zlib could not compress \(name)")
                }
                entry.crc = entry.uncompressed == 0 ? part.crc : cf_crc32_combine(entry.crc, part.crc, Int64(part.length))
                entry.uncompressed += UInt64(part.length)
                entry.compressed += UInt64(part.data.count)
                try emit(part.data)
            }
        }
        guard large || (entry.uncompressed < 0xFFFF_FFFF && entry.compressed < 0xFFFF_FFFF) else {
            throw FormatError.cannotWrite(path: path, reason: "\(name) grew past 4 GiB without ZIP64 fields")
        }
        // Sizes and CRC go back into the local header.
        guard let file, fseeko(file, off_t(entry.offset), SEEK_SET) == 0 else { throw ioError() }
        offset = entry.offset
        try emit(localHeader(entry))
        guard fseeko(file, 0, SEEK_END) == 0 else { throw ioError() }
        offset = UInt64(ftello(file))
        entries.append(entry)
    }

    /// Writes the central directory and closes the archive.
    public func finish() throws {
        let directoryStart = offset
        for entry in entries { try emit(centralHeader(entry)) }
        let directorySize = offset - directoryStart
        let needs64 = entries.contains { $0.large || $0.offset >= 0xFFFF_FFFF } || offset >= 0xFFFF_FFFF
        if needs64 {
            let record = offset
            var z = Bytes()
            z.u32(0x0606_4b50); z.u64(44); z.u16(45); z.u16(45); z.u32(0); z.u32(0)
            z.u64(UInt64(entries.count)); z.u64(UInt64(entries.count)); z.u64(directorySize); z.u64(directoryStart)
            z.u32(0x0706_4b50); z.u32(0); z.u64(record); z.u32(1)
            try emit(z.bytes)
        }
        var e = Bytes()
        e.u32(0x0605_4b50); e.u16(0); e.u16(0)
        e.u16(UInt16(min(entries.count, 0xFFFF))); e.u16(UInt16(min(entries.count, 0xFFFF)))
        e.u32(UInt32(min(directorySize, 0xFFFF_FFFF))); e.u32(UInt32(min(directoryStart, 0xFFFF_FFFF))); e.u16(0)
        try emit(e.bytes)
        let closed = fclose(file!) == 0
        file = nil
        guard closed else { throw ioError() }
    }

    private func localHeader(_ entry: Entry) -> [UInt8] {
        var h = Bytes()
        h.u32(0x0403_4b50); h.u16(entry.large ? 45 : 20); h.u16(0); h.u16(entry.method)
        h.u16(0); h.u16(0x21)  // 00:00, 1980-01-01
        h.u32(entry.crc)
        h.u32(entry.large ? 0xFFFF_FFFF : UInt32(entry.compressed))
        h.u32(entry.large ? 0xFFFF_FFFF : UInt32(entry.uncompressed))
        h.u16(UInt16(entry.name.count)); h.u16(entry.large ? 20 : 0)
        h.bytes += entry.name
        if entry.large { h.u16(1); h.u16(16); h.u64(entry.uncompressed); h.u64(entry.compressed) }
        return h.bytes
    }

    private func centralHeader(_ entry: Entry) -> [UInt8] {
        let farOffset = entry.offset >= 0xFFFF_FFFF
        var extra = Bytes()
        if entry.large { extra.u64(entry.uncompressed); extra.u64(entry.compressed) }
        if farOffset { extra.u64(entry.offset) }
        var h = Bytes()
        h.u32(0x0201_4b50); h.u16(0x031E); h.u16(entry.large || farOffset ? 45 : 20); h.u16(0); h.u16(entry.method)
        h.u16(0); h.u16(0x21)
        h.u32(entry.crc)
        h.u32(entry.large ? 0xFFFF_FFFF : UInt32(entry.compressed))
        h.u32(entry.large ? 0xFFFF_FFFF : UInt32(entry.uncompressed))
        h.u16(UInt16(entry.name.count)); h.u16(extra.bytes.isEmpty ? 0 : UInt16(4 + extra.bytes.count)); h.u16(0)
        h.u16(0); h.u16(0); h.u32(0o100644 << 16)
        h.u32(farOffset ? 0xFFFF_FFFF : UInt32(entry.offset))
        h.bytes += entry.name
        if !extra.bytes.isEmpty {
            h.u16(1); h.u16(UInt16(extra.bytes.count))
            h.bytes += extra.bytes
        }
        return h.bytes
    }

    private func emit(_ bytes: [UInt8]) throws {
        guard let file else { throw ioError() }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw ioError() }
        offset += UInt64(bytes.count)
    }

    private func ioError() -> FormatError {
        FormatError.cannotWrite(path: path, reason: errno == 0 ? "write failed" : String(cString: strerror(errno)))
    }
}

/// Little-endian fields of zip records.
private struct Bytes {
    var bytes: [UInt8] = []
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    mutating func u64(_ v: UInt64) { for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
}
