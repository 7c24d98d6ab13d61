import ForgeCore
import Foundation

/// Files that are mostly one array of little-endian Float32 (a raw volume, a VTI's appended
/// data), written without a copy of the whole file in memory.
enum FloatFile {
    static let floatsPerChunk = 1 << 18

    /// Writes `prefix`, `values` and `suffix` to `url` (see `ChunkedFile`), the values in
    /// chunks of 1 MB that the cores convert in turn.
    static func write(_ values: [Float], prefix: Data = Data(), suffix: Data = Data(), to url: URL) throws {
        let chunks = stride(from: 0, to: values.count, by: floatsPerChunk).map { $0..<min($0 + floatsPerChunk, values.count) }
        let sizes = [prefix.count] + chunks.map { 4 * $0.count } + [suffix.count]
        try values.withUnsafeBufferPointer { floats in
            let from = floats.baseAddress.map(SendableReadOnlyPointer.init)  // nil: no values, no chunk
            try ChunkedFile.write(to: url, chunkSizes: sizes) { i, out in
                if i == 0 {
                    prefix.copyBytes(to: out.assumingMemoryBound(to: UInt8.self), count: prefix.count)
                } else if i == sizes.count - 1 {
                    suffix.copyBytes(to: out.assumingMemoryBound(to: UInt8.self), count: suffix.count)
                } else if let from {
                    let range = chunks[i - 1]
                    store(from.base + range.lowerBound, count: range.count, to: out)
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
