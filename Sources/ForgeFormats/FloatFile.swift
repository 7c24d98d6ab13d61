import ForgeCore
import Foundation

/// Files that are mostly one array of little-endian Float32 (a raw volume, a VTI's appended
/// data), written without a copy of the whole file in memory.
enum FloatFile {
    static let floatsPerBlock = 1 << 22

    /// Writes `prefix`, `values` and `suffix` to `url` (see `PartedFile`), the values in
    /// blocks of 16 MB converted by every core.
    static func write(_ values: [Float], prefix: Data = Data(), suffix: Data = Data(), to url: URL) throws {
        let blocks = stride(from: 0, to: values.count, by: floatsPerBlock).map { $0..<min($0 + floatsPerBlock, values.count) }
        let sizes = [prefix.count] + blocks.map { 4 * $0.count } + [suffix.count]
        try values.withUnsafeBufferPointer { floats in
            try PartedFile.write(to: url, partSizes: sizes) { part, out in
                if part == 0 {
                    prefix.copyBytes(to: out.assumingMemoryBound(to: UInt8.self), count: prefix.count)
                } else if part == sizes.count - 1 {
                    suffix.copyBytes(to: out.assumingMemoryBound(to: UInt8.self), count: suffix.count)
                } else {
                    let range = blocks[part - 1]
                    let from = SendableReadOnlyPointer(floats.baseAddress! + range.lowerBound), to = SendableRawPointer(out)
                    parallelForRanges(range.count, minimumChunk: 1 << 16) { r in
                        store(from.base + r.lowerBound, count: r.count, to: to.base + 4 * r.lowerBound)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func store(_ source: UnsafePointer<Float>, count: Int, to out: UnsafeMutableRawPointer) {
        for i in 0..<count {
            out.storeBytes(of: source[i].bitPattern.littleEndian, toByteOffset: 4 &* i, as: UInt32.self)
        }
    }
}
