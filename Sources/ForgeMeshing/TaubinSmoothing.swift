import ForgeCore

extension Mesh {
    /// Taubin's λ|μ smoothing (a shrink step λ = 0.5 and an inflate step μ = −0.53 per
    /// iteration, umbrella operator over edge neighbours): removes the grid's stair-step
    /// ripple while keeping the volume nearly unchanged. Connectivity is untouched, so a
    /// closed mesh stays closed. Vertices on the faces of `box` (mm, from the origin) slide
    /// only within their face, so the part keeps its flat caps and its extent.
    public func smoothed(iterations: Int, box: SIMD3<Float>, lambda: Float = 0.5, mu: Float = -0.53) -> Mesh {
        guard iterations > 0, vertexCount > 0 else { return self }
        let n = vertexCount
        // Edge neighbours in compressed rows.
        var degree = [Int32](repeating: 0, count: n + 1)
        for v in indices { degree[Int(v) + 1] += 2 }
        for i in 0..<n { degree[i + 1] += degree[i] }
        var fill = degree
        var neighbours = [UInt32](repeating: 0, count: Int(degree[n]))
        for t in stride(from: 0, to: indices.count, by: 3) {
            let (a, b, c) = (indices[t], indices[t + 1], indices[t + 2])
            for (p, q, r) in [(a, b, c), (b, c, a), (c, a, b)] {
                neighbours[Int(fill[Int(p)])] = q
                neighbours[Int(fill[Int(p)]) + 1] = r
                fill[Int(p)] += 2
            }
        }
        // Which coordinates each vertex may not change (on a box face).
        let tolerance = box.max() * 1e-6
        var free = [SIMD3<Float>](repeating: SIMD3(1, 1, 1), count: n)
        for i in 0..<n {
            let p = vertex(i)
            for k in 0..<3 where abs(p[k]) <= tolerance || abs(p[k] - box[k]) <= tolerance { free[i][k] = 0 }
        }
        var current = (0..<n).map { vertex($0) }
        var next = current
        for step in 0..<(2 * iterations) {
            let factor = step % 2 == 0 ? lambda : mu
            for i in 0..<n {
                let begin = Int(degree[i]), end = Int(degree[i + 1])
                var sum = SIMD3<Float>.zero
                for j in begin..<end { sum += current[Int(neighbours[j])] }
                let average = sum / Float(end - begin)
                next[i] = current[i] + factor * (average - current[i]) * free[i]
            }
            swap(&current, &next)
        }
        var positions = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            positions[3 * i] = current[i].x
            positions[3 * i + 1] = current[i].y
            positions[3 * i + 2] = current[i].z
        }
        return Mesh(positions: positions, indices: indices)
    }
}
