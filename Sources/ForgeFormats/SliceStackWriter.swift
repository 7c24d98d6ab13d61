import ForgeCore
import Foundation

/// A z stack of 8-bit PNG slices of a level set: `z0000.png`, `z0001.png`, … (name order
/// is z order), solid (f > 0) = 255, void = 0. Each image is the layer seen from above:
/// x to the right, y up (the first row is the largest y).
public enum SliceStackWriter {
    /// zlib level for slices. Slices are two-level images, written unfiltered with
    /// run-length deflate: at 256³ about 20% faster and 37% smaller than adaptive filtering.
    static let compressionLevel = 1

    /// The file name of slice `z`.
    public static func fileName(z: Int) -> String {
        "z" + String(repeating: "0", count: max(0, 4 - String(z).count)) + String(z) + ".png"
    }

    /// Writes every z layer of `field` into `folder` (which must exist), in parallel.
    /// Each file carries `text` under the tEXt keyword `textKey`.
    public static func write(_ field: ScalarGrid, to folder: URL, textKey: String, text: String,
                             progress: (@Sendable (Double) -> Void)? = nil) throws {
        let size = field.size
        let failures = FailureBox()
        let done = Counter()
        field.values.withUnsafeBufferPointer { values in
            let source = SendableReadOnlyPointer(values.baseAddress!)
            parallelForRanges(size.nz) { zs in
                var pixels = [UInt8](repeating: 0, count: size.nx * size.ny)
                for z in zs where !failures.hasFailed {
                    let layer = source.base + size.nx * size.ny * z
                    for y in 0..<size.ny {
                        let src = layer + size.nx * y
                        let row = size.nx * (size.ny - 1 - y)
                        for x in 0..<size.nx { pixels[row + x] = src[x] > 0 ? 255 : 0 }
                    }
                    do {
                        try pixels.withUnsafeBufferPointer {
                            try PNGCodec.writeGray8($0, width: size.nx, height: size.ny,
                                                    to: folder.appendingPathComponent(fileName(z: z)),
                                                    textKey: textKey, text: text, pixelMM: field.voxelSizeMM,
                                                    compressionLevel: Self.compressionLevel,
                                                    twoLevel: true)
                        }
                    } catch {
                        failures.record(error)
                    }
                    progress?(Double(done.increment()) / Double(size.nz))
                }
            }
        }
        if let error = failures.first { throw error }
    }
}

/// The first error raised by any of several parallel tasks.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    var hasFailed: Bool { lock.withLock { error != nil } }
    var first: Error? { lock.withLock { error } }
    func record(_ error: Error) { lock.withLock { if self.error == nil { self.error = error } } }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}

extension SliceStackWriter {
    /// Writes every z layer of `field` as a 16-bit PNG, the value range mapped linearly onto
    /// 0…65535; the mapping is recorded in each file's tEXt chunk `value_range`
    /// ("min max" in field units), so the zero level is at (0 − min)/(max − min)·65535.
    public static func write16(_ field: ScalarGrid, to folder: URL) throws {
        let size = field.size
        let lo = field.values.min() ?? 0, hi = field.values.max() ?? 1
        let scale = hi > lo ? 65535 / (hi - lo) : 0
        let range = "\(lo) \(hi)"
        for z in 0..<size.nz {
            var pixels = [UInt16](repeating: 0, count: size.nx * size.ny)
            for y in 0..<size.ny {
                for x in 0..<size.nx {
                    pixels[x + size.nx * (size.ny - 1 - y)] = UInt16(((field[x, y, z] - lo) * scale).rounded())
                }
            }
            try PNGCodec.write(GrayImage(width: size.nx, height: size.ny, bitDepth: 16, pixels: pixels),
                               to: folder.appendingPathComponent(fileName(z: z)), textKey: "value_range", text: range,
                               pixelMM: field.voxelSizeMM)
        }
    }
}
