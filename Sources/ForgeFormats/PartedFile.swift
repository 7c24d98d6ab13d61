import Foundation

/// A new file of known size, written as consecutive parts that a closure formats into
/// memory: straight into windows of the reserved, mapped file (`MappedFile`) where the file
/// system allows it, otherwise into one buffer that is written after each part (`RawFile`).
/// Through a temporary file, renamed when complete.
enum PartedFile {
    /// Writes parts of `partSizes` bytes in order; `fill(i, pointer)` formats part `i` into
    /// `pointer` (its first byte).
    static func write(to url: URL, partSizes: [Int],
                      _ fill: (_ part: Int, _ into: UnsafeMutableRawPointer) throws -> Void) throws {
        try AtomicFile.write(to: url) { temporary in
            let parts = partSizes.enumerated().filter { $0.element > 0 }
            if let file = try MappedFile(creating: temporary, byteCount: partSizes.reduce(0, +), finalPath: url.path) {
                var offset = 0
                for (i, size) in parts {
                    try file.fill(offset..<(offset + size)) { try fill(i, $0) }
                    offset += size
                }
                try file.finish()
                return
            }
            let file = try RawFile(creating: temporary, finalPath: url.path)
            let block = UnsafeMutableRawBufferPointer.allocate(byteCount: max(partSizes.max() ?? 1, 1), alignment: 64)
            defer { block.deallocate() }
            for (i, size) in parts {
                try fill(i, block.baseAddress!)
                try file.write(UnsafeRawBufferPointer(start: block.baseAddress, count: size))
            }
            try file.finish()
        }
    }
}
