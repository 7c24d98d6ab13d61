import ForgeCore

/// The connected shells of a closed mesh and the sign of each one's enclosed volume:
/// outer surfaces of bodies are positive, cavities inside a body negative.
public struct MeshShells: Sendable, Equatable {
    public let outer: Int
    public let cavities: Int

    public init(of mesh: Mesh) {
        var parent = [Int32](unsafeUninitializedCapacity: mesh.vertexCount) { buffer, count in
            for i in 0..<buffer.count { buffer[i] = Int32(i) }
            count = buffer.count
        }
        func find(_ i: Int32) -> Int32 {
            var r = i
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var j = i
            while parent[Int(j)] != r {
                let next = parent[Int(j)]
                parent[Int(j)] = r
                j = next
            }
            return r
        }
        let idx = mesh.indices
        for t in stride(from: 0, to: idx.count, by: 3) {
            let a = find(Int32(idx[t]))
            for k in 1...2 {
                let b = find(Int32(idx[t + k]))
                if a != b { parent[Int(max(a, b))] = min(a, b) }
            }
        }
        var volume: [Int32: Double] = [:]
        for t in stride(from: 0, to: idx.count, by: 3) {
            let p = mesh.vertex(Int(idx[t])), q = mesh.vertex(Int(idx[t + 1])), r = mesh.vertex(Int(idx[t + 2]))
            let (px, py, pz) = (Double(p.x), Double(p.y), Double(p.z))
            let (qx, qy, qz) = (Double(q.x), Double(q.y), Double(q.z))
            let (rx, ry, rz) = (Double(r.x), Double(r.y), Double(r.z))
            volume[find(Int32(idx[t])), default: 0] += (px * (qy * rz - qz * ry) + py * (qz * rx - qx * rz)
                                                         + pz * (qx * ry - qy * rx)) / 6
        }
        outer = volume.values.filter { $0 > 0 }.count
        cavities = volume.values.filter { $0 <= 0 }.count
    }
}
