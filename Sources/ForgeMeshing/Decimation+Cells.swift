import ForgeCore

/// A mesh between rounds of cell decimation, with each vertex's error quadric.
struct CellRoundMesh {
    var mesh: Mesh
    /// One per vertex of `mesh`, or empty before the first round.
    var quadrics: [Quadric]
}

extension CellRoundMesh {
    /// One round of edge collapse toward `goal` triangles in a grid of cells, side by side:
    /// `cellsPerAxis` cells along each axis of the mesh's bounds, or with `shifted`, that
    /// grid moved by half a cell (one more cell per axis, the outer ones half as wide), so
    /// that its walls run through the middle of the unshifted cells.
    ///
    /// Each triangle goes to the cell holding its centroid. A vertex all of whose triangles
    /// lie in one cell is that cell's own; the others (where cells meet) are held in place.
    /// A collapse whose two ends are a cell's own sees their whole neighbourhoods inside the
    /// cell, so every check of the full decimation holds there, and the cells join again on
    /// the unmoved vertices. A cell is small enough for its working data to stay in the
    /// processor's caches while it is worked on.
    ///
    /// The cells share the reduction by cost, as one queue over the whole mesh would: every
    /// cell collapses its edges cheapest first up to one cost, so a flat piece of surface
    /// loses more of its triangles than a curved one. That cost is the one at which a
    /// sample of the cells, worked through first, would have made their share of the
    /// reduction.
    func reduced(toward goal: Int, box: SIMD3<Float>, cellsPerAxis: Int, shifted: Bool,
                 maxDeviation: Double) -> CellRoundMesh {
        let cells = CellSplit(mesh, cellsPerAxis: cellsPerAxis, shifted: shifted)
        let count = cells.cellCount
        let box3 = SIMD3<Double>(box)
        let quadrics = self.quadrics
        let mesh = self.mesh
        @Sendable func state(_ b: Int, local: inout [Int32]) -> (CollapseState, [Int32]) {
            let (part, global) = cells.part(b, of: mesh, local: &local)
            let held = global.map { cells.owner[Int($0)] != Int32(b) }
            let partQuadrics = quadrics.isEmpty ? [] : global.map { quadrics[Int($0)] }
            let state = CollapseState(mesh: part, box: box3, held: held, quadrics: partQuadrics,
                                      maxDeviation: maxDeviation)
            return (state, global)
        }

        // The sample: every `stride`-th cell, worked through well past its share, counting
        // the collapses made below each cost.
        let occupied = (0..<count).filter { cells.first[$0 + 1] > cells.first[$0] }
        let sampleCount = max(Self.sampleCells.lowerBound, min(Self.sampleCells.upperBound, occupied.count / 16))
        let stride = max(1, occupied.count / sampleCount)
        let sample = Swift.stride(from: stride / 2, to: occupied.count, by: stride).map { occupied[$0] }
        let share = Double(mesh.triangleCount - goal) / Double(mesh.triangleCount)
        let histograms = ChunkSlots<[Int]>(count: sample.count, initial: [])
        parallelForChunks(sample.count, chunks: min(sample.count, 8)) { _, range in
            var local = [Int32](repeating: -1, count: mesh.vertexCount)
            let histogram = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1024)
            defer { histogram.deallocate() }
            for i in range {
                histogram.initialize(repeating: 0)
                var (state, _) = state(sample[i], local: &local)
                let triangles = state.aliveTriangles
                state.run(target: triangles - Int(min(0.99, 1.5 * share) * Double(triangles)), histogram: histogram)
                state.release()
                histograms.store(Array(histogram), at: i)
            }
        }
        var made = [Int](repeating: 0, count: 1024)
        for i in sample.indices { for (b, n) in histograms.take(i, leaving: []).enumerated() { made[b] += n } }
        let sampled = sample.reduce(0) { $0 + cells.first[$1 + 1] - cells.first[$1] }
        let wanted = Double(mesh.triangleCount - goal) / 2 * Double(sampled) / Double(mesh.triangleCount)
        // The cost at which the sample made its share: every collapse in the buckets below
        // it, and in its own bucket the part of them that the share still wants, spread over
        // the cells by their size.
        var maxBucket = -1, below = 0
        for b in 0..<1024 where made[b] > 0 {
            maxBucket = b
            if Double(below + made[b]) >= wanted { break }
            below += made[b]
        }
        guard maxBucket >= 0 else { return self }
        // Collapses per triangle of a cell to make in the last bucket.
        let lastShare = min(Double(made[maxBucket]), max(0, wanted - Double(below))) / Double(sampled)
        let cap = maxBucket
        let results = ChunkSlots<(mesh: Mesh, survivors: [Int32], global: [Int32], quadrics: [Quadric])?>(
            count: count, initial: nil)
        // Cells in runs of a few, so that a run's renumbering table is made once.
        parallelForChunks(count, chunks: min(count, 8)) { _, range in
            var local = [Int32](repeating: -1, count: mesh.vertexCount)
            for b in range {
                guard cells.first[b + 1] > cells.first[b] else { continue }
                var (state, global) = state(b, local: &local)
                state.run(target: 0, maxBucket: cap - 1)
                let quota = Int((lastShare * Double(cells.first[b + 1] - cells.first[b])).rounded())
                state.run(target: state.aliveTriangles - 2 * quota, maxBucket: cap)
                let (reduced, survivors) = state.compacted()
                let kept = survivors.map { state.quadric[Int($0)] }
                state.release()
                results.store((reduced, survivors, global, kept), at: b)
            }
        }
        return joined(cells, results: results)
    }

    /// Cells worked through first to find the cost the reduction stops at: one in 16,
    /// within these bounds.
    static let sampleCells = 8...24

    /// The cells' meshes as one: a held vertex appears in several cells under one global
    /// number. Its quadric is the one it came with, or before the first round the sum of
    /// its planes in each cell.
    private func joined(_ cells: CellSplit,
                        results: ChunkSlots<(mesh: Mesh, survivors: [Int32], global: [Int32], quadrics: [Quadric])?>)
        -> CellRoundMesh {
        var joined = [Int32](repeating: -1, count: mesh.vertexCount)
        var positions: [Float] = [], indices: [UInt32] = [], kept: [Quadric] = []
        indices.reserveCapacity(3 * mesh.triangleCount / 2)
        positions.reserveCapacity(3 * mesh.triangleCount / 3)
        kept.reserveCapacity(mesh.triangleCount / 3)
        for b in 0..<cells.cellCount {
            guard let part = results.take(b, leaving: nil) else { continue }
            var local = [UInt32](repeating: 0, count: part.mesh.vertexCount)
            for j in 0..<part.mesh.vertexCount {
                let g = Int(part.global[Int(part.survivors[j])])
                let isHeld = cells.owner[g] != Int32(b)
                if isHeld && joined[g] >= 0 {
                    local[j] = UInt32(joined[g])
                    if quadrics.isEmpty { kept[Int(joined[g])] += part.quadrics[j] }
                    continue
                }
                local[j] = UInt32(positions.count / 3)
                if isHeld { joined[g] = Int32(positions.count / 3) }
                for k in 0..<3 { positions.append(part.mesh.positions[3 * j + k]) }
                kept.append(isHeld && !quadrics.isEmpty ? quadrics[g] : part.quadrics[j])
            }
            for i in part.mesh.indices { indices.append(local[Int(i)]) }
        }
        return CellRoundMesh(mesh: Mesh(positions: positions, indices: indices), quadrics: kept)
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
