import ForgeCore
import Foundation

/// ASCII STL: `solid NAME`, one `facet normal … outer loop … endloop endfacet` per
/// triangle, `endsolid NAME`. Streamed in blocks; coordinates in millimetres, each the
/// shortest decimal that reads back as the same Float32.
public enum ASCIISTLWriter {
    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let solid = name.replacingOccurrences(of: " ", with: "_")
        try BlockTextFile.write(to: url) { out in
            out.append("solid \(solid)\n")
            for t in 0..<mesh.triangleCount {
                let a = mesh.vertex(Int(mesh.indices[3 * t])), b = mesh.vertex(Int(mesh.indices[3 * t + 1]))
                let c = mesh.vertex(Int(mesh.indices[3 * t + 2]))
                let u = b - a, v = c - a
                var n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                let length = (n * n).sum().squareRoot()
                n = length > 0 ? n / length : .zero
                out.append("facet normal \(format(n))\n outer loop\n  vertex \(format(a))\n  vertex \(format(b))\n"
                    + "  vertex \(format(c))\n endloop\nendfacet\n")
            }
            out.append("endsolid \(solid)\n")
        }
    }

    private static func format(_ v: SIMD3<Float>) -> String {
        "\(v.x.description) \(v.y.description) \(v.z.description)"
    }
}
