import ForgeCore

/// Area-weighted vertex normals: the sum of the (unnormalised) normals of the triangles
/// around each vertex, normalised. A vertex with no area gets (0, 0, 1).
enum VertexNormals {
    static func of(_ mesh: Mesh) -> [Float] {
        var sums = [SIMD3<Float>](repeating: .zero, count: mesh.vertexCount)
        mesh.positions.withUnsafeBufferPointer { p in
            mesh.indices.withUnsafeBufferPointer { idx in
                sums.withUnsafeMutableBufferPointer { s in
                    var t = 0
                    while t < idx.count {
                        let a = Int(idx[t]), b = Int(idx[t + 1]), c = Int(idx[t + 2])
                        let pa = SIMD3(p[3 * a], p[3 * a + 1], p[3 * a + 2])
                        let pb = SIMD3(p[3 * b], p[3 * b + 1], p[3 * b + 2])
                        let pc = SIMD3(p[3 * c], p[3 * c + 1], p[3 * c + 2])
                        let e1 = pb - pa, e2 = pc - pa
                        let n = SIMD3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
                        s[a] += n
                        s[b] += n
                        s[c] += n
                        t += 3
                    }
                }
            }
        }
        var normals = [Float](repeating: 0, count: 3 * mesh.vertexCount)
        for (i, n) in sums.enumerated() {
            let length = (n * n).sum().squareRoot()
            let unit = length > 0 ? n / length : SIMD3(0, 0, 1)
            normals[3 * i] = unit.x
            normals[3 * i + 1] = unit.y
            normals[3 * i + 2] = unit.z
        }
        return normals
    }
}
