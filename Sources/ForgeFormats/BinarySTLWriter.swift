import ForgeCore
import Foundation

/// Binary STL (little-endian): 80-byte header, triangle count, then per triangle a unit
/// normal, three vertices (Float32, millimetres) and a zero attribute word.
public enum BinarySTLWriter {
    static let bytesPerTriangle = 50
    static let trianglesPerBlock = 1 << 16

    /// Streams `mesh` to `url` in large blocks through a temporary file.
    public static func write(_ mesh: Mesh, to url: URL, header: String = "CephaloForge binary STL, mm") throws {
        try AtomicFile.write(to: url) { temporary in
            guard let file = fopen(temporary.path, "wb") else {
                throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
            var ok = true
            var head = [UInt8](repeating: 0, count: 84)
            for (i, byte) in header.utf8.prefix(80).enumerated() { head[i] = byte }
            withUnsafeBytes(of: UInt32(mesh.triangleCount).littleEndian) { count in
                for i in 0..<4 { head[80 + i] = count[i] }
            }
            ok = fwrite(head, 1, 84, file) == 84
            var block = [UInt8](repeating: 0, count: trianglesPerBlock * bytesPerTriangle)
            var first = 0
            while ok && first < mesh.triangleCount {
                let count = min(trianglesPerBlock, mesh.triangleCount - first)
                block.withUnsafeMutableBytes { fill($0, mesh: mesh, first: first, count: count) }
                ok = fwrite(block, 1, count * bytesPerTriangle, file) == count * bytesPerTriangle
                first += count
            }
            let closed = fclose(file) == 0
            guard ok && closed else {
                throw FormatError.cannotWrite(path: url.path, reason: "write failed (disk full?)")
            }
        }
    }

    private static func fill(_ out: UnsafeMutableRawBufferPointer, mesh: Mesh, first: Int, count: Int) {
        mesh.positions.withUnsafeBufferPointer { p in
            mesh.indices.withUnsafeBufferPointer { idx in
                var offset = 0
                for t in first..<(first + count) {
                    let a = Int(idx[3 * t]) * 3, b = Int(idx[3 * t + 1]) * 3, c = Int(idx[3 * t + 2]) * 3
                    let pa = SIMD3(p[a], p[a + 1], p[a + 2])
                    let pb = SIMD3(p[b], p[b + 1], p[b + 2])
                    let pc = SIMD3(p[c], p[c + 1], p[c + 2])
                    let u = pb - pa, v = pc - pa
                    var n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                    let length = (n * n).sum().squareRoot()
                    n = length > 0 ? n / length : .zero
                    for (k, value) in [n.x, n.y, n.z, pa.x, pa.y, pa.z, pb.x, pb.y, pb.z, pc.x, pc.y, pc.z].enumerated() {
                        out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset + 4 * k, as: UInt32.self)
                    }
                    out.storeBytes(of: 0, toByteOffset: offset + 48, as: UInt16.self)
                    offset += bytesPerTriangle
                }
            }
        }
    }
}
