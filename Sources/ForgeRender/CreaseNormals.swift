import ForgeCore
import Foundation

/// The mesh as drawn: smooth normals where the surface is smooth, and where triangles
/// around a vertex meet at a crease sharper than `creaseDegrees`, a copy of the vertex per
/// triangle corner with the normal of the triangles on its own side (area-weighted over
/// those within the angle of that triangle). A box's 90° edges so stay sharp while a
/// sphere stays smooth, whether its file repeats vertices per triangle or shares them.
struct CreaseNormals {
    var positions: [Float] = []
    var normals: [Float] = []
    var indices: [UInt32] = []
    /// For each vertex drawn, the mesh vertex it copies (to carry colours over).
    var source: [Int32] = []

    static let creaseDegrees: Float = 40

    init(_ mesh: Mesh, creaseDegrees: Float = Self.creaseDegrees) {
        let v = mesh.vertexCount, t = mesh.triangleCount
        // Face normals, unnormalised (length = twice the area) and unit.
        var weighted = [SIMD3<Float>](repeating: .zero, count: t)
        var unit = [SIMD3<Float>](repeating: .zero, count: t)
        for f in 0..<t {
            let a = mesh.vertex(Int(mesh.indices[3 * f])), b = mesh.vertex(Int(mesh.indices[3 * f + 1]))
            let c = mesh.vertex(Int(mesh.indices[3 * f + 2]))
            let e1 = b - a, e2 = c - a
            let n = SIMD3(e1.y * e2.z - e1.z * e2.y, e1.z * e2.x - e1.x * e2.z, e1.x * e2.y - e1.y * e2.x)
            let length = (n * n).sum().squareRoot()
            weighted[f] = n
            unit[f] = length > 0 ? n / length : .zero
        }
        // Triangle corners at each vertex (compressed rows); corner c is of triangle c / 3.
        var first = [Int](repeating: 0, count: v + 1)
        for i in mesh.indices { first[Int(i) + 1] += 1 }
        for i in 0..<v { first[i + 1] += first[i] }
        var around = [Int32](repeating: 0, count: 3 * t)
        var fill = first
        for (corner, i) in mesh.indices.enumerated() {
            around[fill[Int(i)]] = Int32(corner)
            fill[Int(i)] += 1
        }
        let cosine = Float(cos(Double(creaseDegrees) * .pi / 180))
        // Smooth when each triangle is within half the crease angle of the mean.
        let halfCosine = Float(cos(Double(creaseDegrees) * .pi / 360))
        // Per vertex: one drawn vertex when no two of its triangles meet at a crease
        // (every unit normal within the angle of the first ones' mean), else one per corner.
        var drawn = [Int32](repeating: -1, count: v)
        var cornerVertex = [Int32](repeating: -1, count: 3 * t)
        positions.reserveCapacity(3 * v)
        normals.reserveCapacity(3 * v)
        func emit(_ vertex: Int, _ normal: SIMD3<Float>) -> Int32 {
            let length = (normal * normal).sum().squareRoot()
            let n = length > 0 ? normal / length : SIMD3<Float>(0, 0, 1)
            for k in 0..<3 { positions.append(mesh.positions[3 * vertex + k]) }
            normals.append(n.x)
            normals.append(n.y)
            normals.append(n.z)
            source.append(Int32(vertex))
            return Int32(source.count - 1)
        }
        for vertex in 0..<v {
            let corners = around[first[vertex]..<first[vertex + 1]]
            var sum = SIMD3<Float>.zero
            for c in corners { sum += weighted[Int(c) / 3] }
            let sumLength = (sum * sum).sum().squareRoot()
            let mean = sumLength > 0 ? sum / sumLength : .zero
            if sumLength > 0, corners.allSatisfy({ (unit[Int($0) / 3] * mean).sum() >= halfCosine || unit[Int($0) / 3] == .zero }) {
                drawn[vertex] = emit(vertex, sum)
                continue
            }
            for c in corners {
                let f = Int(c) / 3
                var own = SIMD3<Float>.zero
                for g in corners where (unit[Int(g) / 3] * unit[f]).sum() >= cosine { own += weighted[Int(g) / 3] }
                cornerVertex[Int(c)] = emit(vertex, own == .zero ? weighted[f] : own)
            }
        }
        indices = mesh.indices.enumerated().map { corner, i in
            UInt32(cornerVertex[corner] >= 0 ? cornerVertex[corner] : drawn[Int(i)])
        }
    }
}
