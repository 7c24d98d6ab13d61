extension Mesh {
    /// The same triangles with exactly equal vertex positions merged into one vertex
    /// (numbered in order of first use), as a file that repeats vertices per triangle means.
    public func weldingEqualVertices() -> Mesh {
        var lookup: [SIMD3<Float>: UInt32] = [:]
        lookup.reserveCapacity(vertexCount)
        var renumbered = [UInt32](repeating: 0, count: vertexCount)
        var welded: [Float] = []
        welded.reserveCapacity(positions.count)
        for i in 0..<vertexCount {
            let v = vertex(i)
            if let j = lookup[v] {
                renumbered[i] = j
            } else {
                let j = UInt32(welded.count / 3)
                lookup[v] = j
                renumbered[i] = j
                welded.append(v.x)
                welded.append(v.y)
                welded.append(v.z)
            }
        }
        return Mesh(positions: welded, indices: indices.map { renumbered[Int($0)] })
    }
}
