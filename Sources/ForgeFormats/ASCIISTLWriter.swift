import ForgeCore
import Foundation

/// ASCII STL: `solid NAME`, one `facet normal … outer loop … endloop endfacet` per
/// triangle, `endsolid NAME`. Streamed in blocks; coordinates in millimetres, each the
/// shortest decimal that reads back as the same Float32.
public enum ASCIISTLWriter {
    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let solid = name.replacingOccurrences(of: " ", with: "_")
        try AtomicFile.write(to: url) { temporary in
            guard let file = fopen(temporary.path, "wb") else {
                throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
            var ok = fputs("solid \(solid)\n", file) >= 0
            var block = ""
            block.reserveCapacity(1 << 20)
            for t in 0..<mesh.triangleCount where ok {
                let a = mesh.vertex(Int(mesh.indices[3 * t])), b = mesh.vertex(Int(mesh.indices[3 * t + 1]))
                let c = mesh.vertex(Int(mesh.indices[3 * t + 2]))
                let u = b - a, v = c - a
                var n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                let length = (n * n).sum().squareRoot()
                n = length > 0 ? n / length : .zero
                block += "facet normal \(format(n))\n outer loop\n  vertex \(format(a))\n  vertex \(format(b))\n"
                    + "  vertex \(format(c))\n endloop\nendfacet\n"
                if block.utf8.count > 1 << 20 {
                    ok = fputs(block, file) >= 0
                    block.removeAll(keepingCapacity: true)
                }
            }
            ok = ok && fputs(block + "endsolid \(solid)\n", file) >= 0
            let closed = fclose(file) == 0
            guard ok && closed else { throw FormatError.cannotWrite(path: url.path, reason: "write failed (disk full?)") }
        }
    }

    private static func format(_ v: SIMD3<Float>) -> String {
        "\(v.x.description) \(v.y.description) \(v.z.description)"
    }
}
