import ForgeCore

extension Mesh {
    /// Edge collapse toward `maxTriangles` in `blocks` slabs along z, side by side.
    ///
    /// Each triangle goes to the slab holding its centroid. A vertex all of whose triangles
    /// lie in one slab is that slab's own; the others (where slabs meet) are held in place.
    /// A collapse whose two ends are a slab's own sees their whole neighbourhoods inside the
    /// slab, so every check of the full decimation holds there, and the slabs join again on
    /// the unmoved vertices. Each slab removes its share of the triangles, in proportion to
    /// its size, as far as its own vertices allow.
    func blockDecimated(maxTriangles: Int, box: SIMD3<Float>, blocks: Int, maxDeviation: Double) -> Mesh {
        let slabs = SlabSplit(self, blocks: blocks)
        let remove = Double(triangleCount - maxTriangles) / Double(triangleCount)
        let results = ChunkSlots<(mesh: Mesh, survivors: [Int32], global: [Int32])?>(count: blocks, initial: nil)
        parallelForChunks(blocks, chunks: blocks) { b, _ in
            let (part, global) = slabs.part(b, of: self)
            let held = global.map { slabs.owner[Int($0)] != Int32(b) }
            var state = CollapseState(mesh: part, box: SIMD3<Double>(box), held: held, maxDeviation: maxDeviation)
            state.run(target: part.triangleCount - Int(remove * Double(part.triangleCount)))
            let (reduced, survivors) = state.compacted()
            state.release()
            results.store((reduced, survivors, global), at: b)
        }
        // Join: a held vertex appears in several slabs under one global number.
        var joined = [Int32](repeating: -1, count: vertexCount)
        var positions: [Float] = [], indices: [UInt32] = []
        for b in 0..<blocks {
            let (mesh, survivors, global) = results.take(b, leaving: nil)!
            var local = [UInt32](repeating: 0, count: mesh.vertexCount)
            for j in 0..<mesh.vertexCount {
                let g = Int(global[Int(survivors[j])])
                let isHeld = slabs.owner[g] != Int32(b)
                if isHeld && joined[g] >= 0 {
                    local[j] = UInt32(joined[g])
                    continue
                }
                local[j] = UInt32(positions.count / 3)
                if isHeld { joined[g] = Int32(positions.count / 3) }
                positions.append(contentsOf: mesh.positions[3 * j..<3 * j + 3])
            }
            indices.append(contentsOf: mesh.indices.map { local[Int($0)] })
        }
        return Mesh(positions: positions, indices: indices)
    }
}

/// The triangles of a mesh sorted into slabs along z by centroid, and which vertices
/// belong to one slab alone.
private struct SlabSplit: Sendable {
    /// Triangle numbers in slab order; slab b's are `order[first[b] ..< first[b + 1]]`.
    let order: [Int32]
    let first: [Int]
    /// Per vertex: the slab all its triangles lie in, or −2 where slabs meet.
    let owner: [Int32]

    init(_ mesh: Mesh, blocks: Int) {
        let zs = stride(from: 2, to: mesh.positions.count, by: 3).map { mesh.positions[$0] }
        let low = zs.min() ?? 0, span = max((zs.max() ?? 0) - low, .leastNormalMagnitude)
        var slabOf = [Int32](repeating: 0, count: mesh.triangleCount)
        var owner = [Int32](repeating: -1, count: mesh.vertexCount)
        var counts = [Int](repeating: 0, count: blocks)
        mesh.indices.withUnsafeBufferPointer { idx in
            for t in 0..<mesh.triangleCount {
                let (a, b, c) = (Int(idx[3 * t]), Int(idx[3 * t + 1]), Int(idx[3 * t + 2]))
                let z = (zs[a] + zs[b] + zs[c]) / 3
                let slab = min(blocks - 1, max(0, Int(Float(blocks) * (z - low) / span)))
                slabOf[t] = Int32(slab)
                counts[slab] += 1
                for k in 0..<3 {
                    let v = k == 0 ? a : k == 1 ? b : c
                    owner[v] = owner[v] == -1 || owner[v] == Int32(slab) ? Int32(slab) : -2
                }
            }
        }
        // A counting sort keeps the triangles' order within each slab.
        var first = [0]
        for b in 0..<blocks { first.append(first[b] + counts[b]) }
        var order = [Int32](repeating: 0, count: mesh.triangleCount)
        var fill = first
        for t in 0..<mesh.triangleCount {
            order[fill[Int(slabOf[t])]] = Int32(t)
            fill[Int(slabOf[t])] += 1
        }
        self.order = order
        self.first = first
        self.owner = owner
    }

    /// Slab `b` as a mesh of its own (vertices numbered in order of first use), with each
    /// vertex's number in `mesh`.
    func part(_ b: Int, of mesh: Mesh) -> (Mesh, [Int32]) {
        var local = [Int32](repeating: -1, count: mesh.vertexCount)
        var positions: [Float] = [], indices: [UInt32] = [], global: [Int32] = []
        indices.reserveCapacity(3 * (first[b + 1] - first[b]))
        mesh.indices.withUnsafeBufferPointer { idx in
            mesh.positions.withUnsafeBufferPointer { p in
                for t in order[first[b]..<first[b + 1]] {
                    for k in 0..<3 {
                        let v = Int(idx[3 * Int(t) + k])
                        if local[v] < 0 {
                            local[v] = Int32(global.count)
                            global.append(Int32(v))
                            positions.append(contentsOf: p[3 * v..<3 * v + 3])
                        }
                        indices.append(UInt32(local[v]))
                    }
                }
            }
        }
        return (Mesh(positions: positions, indices: indices), global)
    }
}
