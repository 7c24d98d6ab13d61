import ForgeCore

/// The connected shells of a closed mesh and the sign of each one's enclosed volume:
/// outer surfaces of bodies are positive, cavities inside a body negative.
public struct MeshShells: Sendable, Equatable {
    public let outer: Int
    public let cavities: Int

    public init(of mesh: Mesh) {
        var sets = DisjointSets(count: mesh.vertexCount)
        let idx = mesh.indices
        for t in stride(from: 0, to: idx.count, by: 3) {
            sets.union(Int32(idx[t]), Int32(idx[t + 1]))
            sets.union(Int32(idx[t]), Int32(idx[t + 2]))
        }
        // Dense shell numbers per vertex, then one volume sum per shell.
        var shellOf = [Int32](repeating: -1, count: mesh.vertexCount)
        var shellCount = 0
        for v in 0..<mesh.vertexCount {
            let root = Int(sets.find(Int32(v)))
            if shellOf[root] < 0 {
                shellOf[root] = Int32(shellCount)
                shellCount += 1
            }
            shellOf[v] = shellOf[root]
        }
        var sums = [Double](repeating: 0, count: shellCount)
        for t in stride(from: 0, to: idx.count, by: 3) {
            let p = mesh.vertex(Int(idx[t])), q = mesh.vertex(Int(idx[t + 1])), r = mesh.vertex(Int(idx[t + 2]))
            let (px, py, pz) = (Double(p.x), Double(p.y), Double(p.z))
            let (qx, qy, qz) = (Double(q.x), Double(q.y), Double(q.z))
            let (rx, ry, rz) = (Double(r.x), Double(r.y), Double(r.z))
            sums[Int(shellOf[Int(idx[t])])] += (px * (qy * rz - qz * ry) + py * (qz * rx - qx * rz) + pz * (qx * ry - qy * rx)) / 6
        }
        // Vertices that no triangle uses form no shell.
        var used = [Bool](repeating: false, count: shellCount)
        for v in idx { used[Int(shellOf[Int(v)])] = true }
        let volume = sums.indices.filter { used[$0] }.map { sums[$0] }
        outer = volume.filter { $0 > 0 }.count
        cavities = volume.filter { $0 <= 0 }.count
    }
}
