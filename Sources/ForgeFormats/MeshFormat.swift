import ForgeCore
import Foundation

/// The mesh files a design folder can hold: `model.<extension>`.
public enum MeshFormat: String, CaseIterable, Sendable {
    /// Binary STL, streamed by the project's own writer (the default).
    case stl
    /// ASCII STL, streamed by the project's own writer.
    case stlASCII = "stl-ascii"
    /// 3MF with millimetre units (the project's own writer: assimp's takes seconds per
    /// million triangles).
    case threeMF = "3mf"
    /// Wavefront OBJ without normals or a material file (the project's own writer).
    case obj
    /// Binary PLY with `vertex_indices` faces (the project's own writer).
    case ply
    /// Binary glTF 2 in metres, as glTF defines (the project's own writer).
    case glb

    /// The file name inside a design folder.
    public var fileName: String {
        switch self {
        case .stl: return "model.stl"
        case .stlASCII: return "model-ascii.stl"
        case .threeMF: return "model.3mf"
        case .obj: return "model.obj"
        case .ply: return "model.ply"
        case .glb: return "model.glb"
        }
    }

    /// Parses a comma-separated list such as `stl,3mf`.
    public static func list(_ text: String) throws -> [MeshFormat] { try formatList(text) }

    /// Writes `mesh` (millimetres) in this format to `url`, atomically.
    public func write(_ mesh: Mesh, name: String, to url: URL) throws {
        switch self {
        case .stl: try BinarySTLWriter.write(mesh, to: url, header: "CephaloForge \(name) mm")
        case .stlASCII: try ASCIISTLWriter.write(mesh, name: name, to: url)
        case .threeMF: try ThreeMFWriter.write(mesh, name: name, to: url)
        case .obj: try OBJWriter.write(mesh, name: name, to: url)
        case .ply: try PLYWriter.write(mesh, name: name, to: url)
        case .glb: try GLBWriter.write(mesh, name: name, to: url)
        }
    }
}

/// Parses a comma-separated list of format names, naming the known ones on a typo.
func formatList<T: RawRepresentable & CaseIterable>(_ text: String) throws -> [T] where T.RawValue == String {
    try text.split(separator: ",").map { part in
        let name = part.trimmingCharacters(in: .whitespaces).lowercased()
        guard let format = T(rawValue: name) else {
            throw FormatError.unknownFormat(name, known: T.allCases.map(\.rawValue))
        }
        return format
    }
}
