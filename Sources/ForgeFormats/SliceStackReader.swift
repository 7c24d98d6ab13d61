import ForgeCore
import Foundation

/// Reads a slice stack written by `SliceStackWriter` back into solid bits (1 = solid),
/// x fastest, y up, z in file-name order.
public enum SliceStackReader {
    public static func read(_ folder: URL) throws -> (size: GridSize, bits: [UInt8]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("z") && $0.hasSuffix(".png") }.sorted()
        guard let first = names.first else {
            throw FormatError.cannotRead(path: folder.path, reason: "no z*.png slices")
        }
        let head = try PNGCodec.read(folder.appendingPathComponent(first))
        let size = GridSize(nx: head.width, ny: head.height, nz: names.count)
        var bits = [UInt8](repeating: 0, count: size.count)
        let threshold: UInt16 = head.bitDepth == 16 ? 32768 : 128
        for (z, name) in names.enumerated() {
            let image = z == 0 ? head : try PNGCodec.read(folder.appendingPathComponent(name))
            guard image.width == size.nx, image.height == size.ny else {
                throw FormatError.cannotRead(path: folder.appendingPathComponent(name).path,
                                             reason: "\(image.width)×\(image.height) differs from the first slice")
            }
            let layer = z * size.nx * size.ny
            for y in 0..<size.ny {
                let row = size.nx * (size.ny - 1 - y)
                for x in 0..<size.nx where image.pixels[row + x] >= threshold { bits[layer + y * size.nx + x] = 1 }
            }
        }
        return (size, bits)
    }
}
