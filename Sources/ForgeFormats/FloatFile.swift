import ForgeCore
import Foundation

/// Files that are mostly one array of little-endian Float32 (a raw volume, a VTI's appended
/// data), written without a copy of the whole file in memory.
enum FloatFile {
    static let floatsPerBlock = 1 << 20

    /// Writes `prefix`, `values` and `suffix` to `url` through a temporary file: reserved at
    /// its final size and filled in place by every core, 16 MB at a time, where the file
    /// system allows it, otherwise written in blocks of 4 MB.
    static func write(_ values: [Float], prefix: Data = Data(), suffix: Data = Data(), to url: URL) throws {
        try AtomicFile.write(to: url) { temporary in
            let total = prefix.count + 4 * values.count + suffix.count
            try values.withUnsafeBufferPointer { floats in
                if let file = try MappedFile(creating: temporary, byteCount: total, finalPath: url.path) {
                    try file.fill(0..<prefix.count) {
                        prefix.copyBytes(to: $0.assumingMemoryBound(to: UInt8.self), count: prefix.count)
                    }
                    for first in stride(from: 0, to: floats.count, by: 4 * floatsPerBlock) {
                        let count = min(4 * floatsPerBlock, floats.count - first)
                        let from = SendableReadOnlyPointer(floats.baseAddress! + first)
                        try file.fill((prefix.count + 4 * first)..<(prefix.count + 4 * (first + count))) { out in
                            let to = SendableRawPointer(out)
                            parallelForRanges(count, minimumChunk: 1 << 16) { range in
                                store(from.base + range.lowerBound, count: range.count, to: to.base + 4 * range.lowerBound)
                            }
                        }
                    }
                    let end = prefix.count + 4 * floats.count
                    try file.fill(end..<(end + suffix.count)) {
                        suffix.copyBytes(to: $0.assumingMemoryBound(to: UInt8.self), count: suffix.count)
                    }
                    try file.finish()
                    return
                }
                let file = try RawFile(creating: temporary, finalPath: url.path)
                try prefix.withUnsafeBytes { try file.write($0) }
                let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 * floatsPerBlock, alignment: 64)
                defer { block.deallocate() }
                for first in stride(from: 0, to: floats.count, by: floatsPerBlock) {
                    let count = min(floatsPerBlock, floats.count - first)
                    store(floats.baseAddress! + first, count: count, to: block.baseAddress!)
                    try file.write(UnsafeRawBufferPointer(start: block.baseAddress, count: 4 * count))
                }
                try suffix.withUnsafeBytes { try file.write($0) }
                try file.finish()
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
