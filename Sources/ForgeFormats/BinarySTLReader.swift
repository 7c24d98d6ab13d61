import ForgeCore
import Foundation

/// Reads binary STL back into an indexed mesh, welding exactly equal vertices.
public enum BinarySTLReader {
    public static func read(_ url: URL) throws -> Mesh {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        guard data.count >= 84 else { throw FormatError.cannotRead(path: url.path, reason: "shorter than an STL header") }
        let count = data.withUnsafeBytes {
            Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 80, as: UInt32.self)))
        }
        guard data.count == 84 + 50 * count else {
            throw FormatError.cannotRead(path: url.path, reason: "not a binary STL of \(count) triangles")
        }
        return data.withUnsafeBytes { raw -> Mesh in
            var lookup: [SIMD3<Float>: UInt32] = [:]
            var positions: [Float] = []
            var indices: [UInt32] = []
            indices.reserveCapacity(3 * count)
            for t in 0..<count {
                for k in 0..<3 {
                    let offset = 84 + 50 * t + 12 + 12 * k
                    let v = SIMD3((0..<3).map { Float(bitPattern: UInt32(littleEndian:
                        raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self))) })
                    if let i = lookup[v] {
                        indices.append(i)
                    } else {
                        let i = UInt32(positions.count / 3)
                        lookup[v] = i
                        positions += [v.x, v.y, v.z]
                        indices.append(i)
                    }
                }
            }
            return Mesh(positions: positions, indices: indices)
        }
    }
}
