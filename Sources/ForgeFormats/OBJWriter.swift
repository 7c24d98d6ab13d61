import ForgeCore
import Foundation

/// Wavefront OBJ without normals or materials, in the conventions meshio, trimesh, Open3D
/// and MeshLab all read: `v x y z` per vertex (millimetres, each the shortest decimal that
/// reads back as the same Float32), `f a b c` per triangle (1-based). Streamed in blocks.
public enum OBJWriter {
    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let object = name.unicodeScalars.map { $0.properties.isWhitespace || !$0.isASCII ? "_" : String($0) }.joined()
        try BlockTextFile.write(to: url) { out in
            out.append("# CephaloForge \(object), millimetres\no \(object)\n")
            for i in 0..<mesh.vertexCount {
                let p = mesh.vertex(i)
                out.append("v \(p.x.description) \(p.y.description) \(p.z.description)\n")
            }
            for t in 0..<mesh.triangleCount {
                out.append("f \(mesh.indices[3 * t] + 1) \(mesh.indices[3 * t + 1] + 1) \(mesh.indices[3 * t + 2] + 1)\n")
            }
        }
    }
}
