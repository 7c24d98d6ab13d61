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
        var volume: [Int32: Double] = [:]
        for t in stride(from: 0, to: idx.count, by: 3) {
            let p = mesh.vertex(Int(idx[t])), q = mesh.vertex(Int(idx[t + 1])), r = mesh.vertex(Int(idx[t + 2]))
            let (px, py, pz) = (Double(p.x), Double(p.y), Double(p.z))
            let (qx, qy, qz) = (Double(q.x), Double(q.y), Double(q.z))
            let (rx, ry, rz) = (Double(r.x), Double(r.y), Double(r.z))
            volume[sets.find(Int32(idx[t])), default: 0] += (px * (qy * rz - qz * ry) + py * (qz * rx - qx * rz)
                                                         + pz * (qx * ry - qy * rx)) / 6
        }
        outer = volume.values.filter { $0 > 0 }.count
        cavities = volume.values.filter { $0 <= 0 }.count
    }
}
