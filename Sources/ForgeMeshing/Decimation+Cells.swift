import ForgeCore

extension Mesh {
    /// One round of edge collapse toward `maxTriangles` in a grid of cells, side by side:
    /// `cellsPerAxis` cells along each axis of the mesh's bounds, or with `shifted`, that
    /// grid moved by half a cell (one more cell per axis, the outer ones half as wide), so
    /// that its walls run through the middle of the unshifted cells.
    ///
    /// Each triangle goes to the cell holding its centroid. A vertex all of whose triangles
    /// lie in one cell is that cell's own; the others (where cells meet) are held in place.
    /// A collapse whose two ends are a cell's own sees their whole neighbourhoods inside the
    /// cell, so every check of the full decimation holds there, and the cells join again on
    /// the unmoved vertices. Each cell removes its share of the triangles, in proportion to
    /// its size and rounded up, as far as its own vertices allow. A cell is small enough for its working
    /// data to stay in the processor's caches while it is worked on.
    func cellDecimated(maxTriangles: Int, box: SIMD3<Float>, cellsPerAxis: Int, shifted: Bool,
                       maxDeviation: Double) -> Mesh {
        let cells = CellSplit(self, cellsPerAxis: cellsPerAxis, shifted: shifted)
        let count = cells.cellCount
        let remove = Double(triangleCount - maxTriangles) / Double(triangleCount)
        let results = ChunkSlots<(mesh: Mesh, survivors: [Int32], global: [Int32])?>(count: count, initial: nil)
        // Cells in runs of a few, so that a run's renumbering table is made once.
        let runs = min(count, 8)
        parallelForChunks(count, chunks: runs) { _, range in
            var local = [Int32](repeating: -1, count: vertexCount)
            for b in range {
                let (part, global) = cells.part(b, of: self, local: &local)
                guard part.triangleCount > 0 else {
                    results.store((part, [], global), at: b)
                    continue
                }
                let held = global.map { cells.owner[Int($0)] != Int32(b) }
                var state = CollapseState(mesh: part, box: SIMD3<Double>(box), held: held, maxDeviation: maxDeviation)
                state.run(target: part.triangleCount - Int((remove * Double(part.triangleCount)).rounded(.up)))
                let (reduced, survivors) = state.compacted()
                state.release()
                results.store((reduced, survivors, global), at: b)
            }
        }
        // Join: a held vertex appears in several cells under one global number.
        var joined = [Int32](repeating: -1, count: vertexCount)
        var positions: [Float] = [], indices: [UInt32] = []
        indices.reserveCapacity(3 * maxTriangles + 3 * count)
        positions.reserveCapacity(3 * (maxTriangles * 3 / 4 + 64))
        for b in 0..<count {
            let (mesh, survivors, global) = results.take(b, leaving: nil)!
            var local = [UInt32](repeating: 0, count: mesh.vertexCount)
            for j in 0..<mesh.vertexCount {
                let g = Int(global[Int(survivors[j])])
                let isHeld = cells.owner[g] != Int32(b)
                if isHeld && joined[g] >= 0 {
                    local[j] = UInt32(joined[g])
                    continue
                }
                local[j] = UInt32(positions.count / 3)
                if isHeld { joined[g] = Int32(positions.count / 3) }
                for k in 0..<3 { positions.append(mesh.positions[3 * j + k]) }
            }
            for i in mesh.indices { indices.append(local[Int(i)]) }
        }
        return Mesh(positions: positions, indices: indices)
    }
}

/// The triangles of a mesh sorted into a grid of cells by centroid, and which vertices
/// belong to one cell alone.
private struct CellSplit: Sendable {
    /// Triangle numbers in cell order; cell b's are `order[first[b] ..< first[b + 1]]`.
    let order: [Int32]
    let first: [Int]
    /// Per vertex: the cell all its triangles lie in, or −2 where cells meet.
    let owner: [Int32]
    var cellCount: Int { first.count - 1 }

    init(_ mesh: Mesh, cellsPerAxis k: Int, shifted: Bool) {
        var bounds = (min: SIMD3<Float>(repeating: .infinity), max: SIMD3<Float>(repeating: -.infinity))
        mesh.positions.withUnsafeBufferPointer { p in
            for v in 0..<mesh.vertexCount {
                let point = SIMD3(p[3 * v], p[3 * v + 1], p[3 * v + 2])
                bounds.min = pointwiseMin(bounds.min, point)
                bounds.max = pointwiseMax(bounds.max, point)
            }
        }
        let span = pointwiseMax(bounds.max - bounds.min, SIMD3(repeating: .leastNormalMagnitude))
        let perAxis = shifted ? k + 1 : k
        let scale = SIMD3<Float>(repeating: Float(k)) / span
        let offset: Float = shifted ? 0.5 : 0
        var cellOf = [Int32](repeating: 0, count: mesh.triangleCount)
        var owner = [Int32](repeating: -1, count: mesh.vertexCount)
        var counts = [Int](repeating: 0, count: perAxis * perAxis * perAxis)
        mesh.indices.withUnsafeBufferPointer { idx in
            mesh.positions.withUnsafeBufferPointer { p in
                func point(_ v: Int) -> SIMD3<Float> { SIMD3(p[3 * v], p[3 * v + 1], p[3 * v + 2]) }
                for t in 0..<mesh.triangleCount {
                    let (a, b, c) = (Int(idx[3 * t]), Int(idx[3 * t + 1]), Int(idx[3 * t + 2]))
                    let centroid = (point(a) + point(b) + point(c)) / 3
                    let f = (centroid - bounds.min) * scale + offset
                    var cell = 0
                    for axis in (0..<3).reversed() {
                        cell = cell * perAxis + min(perAxis - 1, max(0, Int(f[axis].rounded(.down))))
                    }
                    cellOf[t] = Int32(cell)
                    counts[cell] += 1
                    let mine = Int32(cell)
                    if owner[a] != mine { owner[a] = owner[a] == -1 ? mine : -2 }
                    if owner[b] != mine { owner[b] = owner[b] == -1 ? mine : -2 }
                    if owner[c] != mine { owner[c] = owner[c] == -1 ? mine : -2 }
                }
            }
        }
        // A counting sort keeps the triangles' order within each cell.
        var first = [0]
        for b in counts.indices { first.append(first[b] + counts[b]) }
        var order = [Int32](repeating: 0, count: mesh.triangleCount)
        var fill = first
        for t in 0..<mesh.triangleCount {
            order[fill[Int(cellOf[t])]] = Int32(t)
            fill[Int(cellOf[t])] += 1
        }
        self.order = order
        self.first = first
        self.owner = owner
    }

    /// Cell `b` as a mesh of its own (vertices numbered in order of first use), with each
    /// vertex's number in `mesh`. `local` (−1 for every vertex of `mesh`) is used while
    /// numbering and left as it was found.
    func part(_ b: Int, of mesh: Mesh, local: inout [Int32]) -> (Mesh, [Int32]) {
        var positions: [Float] = [], indices: [UInt32] = [], global: [Int32] = []
        let triangles = first[b + 1] - first[b]
        indices.reserveCapacity(3 * triangles)
        // A closed surface has about half as many vertices as triangles; a cell's piece more.
        positions.reserveCapacity(3 * (triangles * 3 / 4 + 64))
        global.reserveCapacity(triangles * 3 / 4 + 64)
        mesh.indices.withUnsafeBufferPointer { idx in
            mesh.positions.withUnsafeBufferPointer { p in
                for t in order[first[b]..<first[b + 1]] {
                    for k in 0..<3 {
                        let v = Int(idx[3 * Int(t) + k])
                        if local[v] < 0 {
                            local[v] = Int32(global.count)
                            global.append(Int32(v))
                            for k in 0..<3 { positions.append(p[3 * v + k]) }
                        }
                        indices.append(UInt32(local[v]))
                    }
                }
            }
        }
        for v in global { local[Int(v)] = -1 }
        return (Mesh(positions: positions, indices: indices), global)
    }
}
