import ForgeCore
import Foundation

/// Binary STL (little-endian): 80-byte header, triangle count, then per triangle a unit
/// normal, three vertices (Float32, millimetres) and a zero attribute word.
public enum BinarySTLWriter {
    static let bytesPerTriangle = 50
    static let headerBytes = 84
    /// Triangles per chunk: about 0.8 MB.
    static let trianglesPerChunk = 1 << 14

    /// Writes `mesh` to `url` (see `ChunkedFile`): the header, then chunks of triangles
    /// that the cores format in turn.
    public static func write(_ mesh: Mesh, to url: URL, header: String = "CephaloForge binary STL, mm") throws {
        let count = mesh.triangleCount
        var head = [UInt8](repeating: 0, count: headerBytes)
        for (i, byte) in header.utf8.prefix(80).enumerated() { head[i] = byte }
        withUnsafeBytes(of: UInt32(count).littleEndian) { bytes in
            for i in 0..<4 { head[80 + i] = bytes[i] }
        }
        let chunks = stride(from: 0, to: count, by: trianglesPerChunk).map { $0..<min($0 + trianglesPerChunk, count) }
        try mesh.positions.withUnsafeBufferPointer { p in
            try mesh.indices.withUnsafeBufferPointer { idx in
                // Nil for an empty mesh, which has no chunk after the header.
                let positions = p.baseAddress.map(SendableReadOnlyPointer.init)
                let indices = idx.baseAddress.map(SendableReadOnlyPointer.init)
                let header = head
                try ChunkedFile.write(to: url, chunkSizes: [headerBytes] + chunks.map { $0.count * bytesPerTriangle }) { i, out in
                    if i == 0 {
                        header.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: headerBytes) }
                    } else if let positions, let indices {
                        let range = chunks[i - 1]
                        fill(out, positions: positions.base, indices: indices.base + 3 * range.lowerBound, count: range.count)
                    }
                }
            }
        }
    }

    /// Formats `count` triangles (three vertex indices each) into `out`.
    @inline(__always)
    private static func fill(_ out: UnsafeMutableRawPointer, positions p: UnsafePointer<Float>,
                             indices: UnsafePointer<UInt32>, count: Int) {
        var o = out
        @inline(__always) func put(_ value: Float, _ offset: Int) {
            o.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
        }
        for t in 0..<count {
            let a = Int(indices[3 &* t]) &* 3, b = Int(indices[3 &* t &+ 1]) &* 3, c = Int(indices[3 &* t &+ 2]) &* 3
            let ax = p[a], ay = p[a &+ 1], az = p[a &+ 2]
            let bx = p[b], by = p[b &+ 1], bz = p[b &+ 2]
            let cx = p[c], cy = p[c &+ 1], cz = p[c &+ 2]
            let ux = bx - ax, uy = by - ay, uz = bz - az
            let vx = cx - ax, vy = cy - ay, vz = cz - az
            let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx
            let length = (nx * nx + ny * ny + nz * nz).squareRoot()
            let inverse: Float = length > 0 ? 1 / length : 0
            put(nx * inverse, 0)
            put(ny * inverse, 4)
            put(nz * inverse, 8)
            put(ax, 12)
            put(ay, 16)
            put(az, 20)
            put(bx, 24)
            put(by, 28)
            put(bz, 32)
            put(cx, 36)
            put(cy, 40)
            put(cz, 44)
            o.storeBytes(of: 0, toByteOffset: 48, as: UInt16.self)
            o += bytesPerTriangle
        }
    }
}
