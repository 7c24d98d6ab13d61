import CAssimp
import ForgeCore
import Foundation

/// Mesh formats written through assimp (OBJ, PLY, GLB), and meshes read through it (those
/// and STL, 3MF).
public enum AssimpMeshIO {
    /// Writes `mesh` with assimp's exporter `formatID` atomically to `url`.
    public static func write(_ mesh: Mesh, formatID: String, name: String, to url: URL) throws {
        try AtomicFile.write(to: url) { temporary in
            var message = [CChar](repeating: 0, count: 512)
            let status = mesh.positions.withUnsafeBufferPointer { p in
                mesh.indices.withUnsafeBufferPointer { i in
                    cf_assimp_export_mesh(p.baseAddress, mesh.vertexCount, i.baseAddress, mesh.triangleCount,
                                          name, formatID, temporary.path, &message, message.count)
                }
            }
            guard status == 0 else {
                throw FormatError.cannotWrite(path: url.path, reason: cMessage(message))
            }
        }
    }

    /// Reads every mesh of a file assimp can import, joined into one, vertices welded.
    public static func read(_ url: URL) throws -> Mesh {
        var imported = cf_assimp_mesh()
        var message = [CChar](repeating: 0, count: 512)
        guard cf_assimp_import_mesh(url.path, &imported, &message, message.count) == 0 else {
            throw FormatError.cannotRead(path: url.path, reason: cMessage(message))
        }
        defer { cf_assimp_free(&imported) }
        let positions = Array(UnsafeBufferPointer(start: imported.positions, count: 3 * imported.vertex_count))
        let indices = Array(UnsafeBufferPointer(start: imported.indices, count: 3 * imported.triangle_count))
        return Mesh(positions: positions, indices: indices)
    }
}
