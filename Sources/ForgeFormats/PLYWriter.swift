import ForgeCore
import Foundation

/// Binary little-endian PLY in the conventions meshio, trimesh, Open3D and MeshLab all
/// read: `vertex` with float x, y, z (millimetres), `face` with `list uchar int
/// vertex_indices`. Written in chunks the cores format in turn (see `ChunkedFile`).
public enum PLYWriter {
    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let comment = name.unicodeScalars.map { $0.properties.isWhitespace || !$0.isASCII ? "_" : String($0) }.joined()
        let header = Array("""
            ply
            format binary_little_endian 1.0
            comment CephaloForge \(comment), millimetres
            element vertex \(mesh.vertexCount)
            property float x
            property float y
            property float z
            element face \(mesh.triangleCount)
            property list uchar int vertex_indices
            end_header

            """.utf8)
        try ChunkedFile.writeMesh(mesh, header: header, bytesPerVertex: 12, bytesPerTriangle: 13, to: url) { p, v, out in
            for k in 0..<3 { out.storeBytes(of: p[3 * v + k].bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        } triangle: { idx, t, out in
            out.storeBytes(of: 3, as: UInt8.self)
            for k in 0..<3 { out.storeBytes(of: idx[3 * t + k].littleEndian, toByteOffset: 1 + 4 * k, as: UInt32.self) }
        }
    }
}
