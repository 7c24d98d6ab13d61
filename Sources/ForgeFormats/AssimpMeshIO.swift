import CAssimp
import ForgeCore
import Foundation

/// Meshes read through assimp: STL, OBJ, PLY, glTF/GLB, 3MF and the other formats it imports.
public enum AssimpMeshIO {
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
        // assimp keeps vertices apart that differ in a normal (an STL's per-face normals).
        return Mesh(positions: positions, indices: indices).weldingEqualVertices()
    }
}
