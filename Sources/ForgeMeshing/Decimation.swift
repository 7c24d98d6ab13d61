import ForgeCore

extension Mesh {
    /// Reduces a closed mesh to at most `maxTriangles` triangles by quadric-error edge
    /// collapse (Garland & Heckbert; cheapest first to within 1/4 of the cost, and collapses
    /// of about the same cost in vertex order, so that consecutive ones touch nearby memory),
    /// keeping it a closed, consistently oriented 2-manifold with the same shells: a collapse
    /// is refused when the edge's end points share more neighbours than its two opposite
    /// vertices (the link condition), when a surrounding triangle would flip, fold sharply or
    /// become degenerate, or when it would move a vertex off a face of `box` (the part's flat
    /// caps and extent stay exact). Stops early when no allowed collapse is left. O(T) queue
    /// operations.
    ///
    /// With `cells` above 1, the reduction is made first in a grid of `cells` × `cells` ×
    /// `cells` cells side by side, with the vertices where cells meet held in place, then in
    /// the grid shifted by half a cell (whose walls cross the first grid's cells, so the
    /// vertices held before are free); the cells share the reduction by cost (see
    /// `CellRoundMesh.reduced`), and each vertex's error quadric is carried from round to
    /// round. Whatever is left is taken on the whole mesh. The default uses cells of at
    /// least 7 000 triangles from 200 000 triangles up (`defaultCells`); the result depends
    /// on the cell count, never on the number of threads.
    ///
    /// `maxDeviation` (mm) refuses a collapse whose new vertex lies farther than that, in
    /// root mean square weighted by area, from the planes of the triangles merged into it;
    /// the mesh then keeps more than `maxTriangles` where the budget cannot be met.
    public func decimated(maxTriangles: Int, box: SIMD3<Float>, cells: Int? = nil,
                          maxDeviation: Double = .infinity) -> Mesh {
        guard triangleCount > maxTriangles, maxTriangles >= 4 else { return self }
        let perAxis = cells ?? Self.defaultCells(triangles: triangleCount)
        var start = CellRoundMesh(mesh: self, quadrics: [])
        if perAxis > 1 {
            for round in 0..<Self.cellRounds {
                let before = start.mesh.triangleCount
                // The first round leaves an eighth of the reduction for the cells' walls; the
                // next aims a hundredth below the budget, since its cost is estimated.
                let goal = round == 0 ? maxTriangles + (before - maxTriangles) / 8 : maxTriangles - maxTriangles / 100
                start = start.reduced(toward: goal, box: box, cellsPerAxis: perAxis, shifted: round % 2 == 1,
                                      maxDeviation: maxDeviation)
                // Stop when the budget is met or a round removed under 1% of what is left to go.
                let after = start.mesh.triangleCount
                if after <= maxTriangles || (before - after) * 100 < before - maxTriangles { break }
            }
            guard start.mesh.triangleCount > maxTriangles else { return start.mesh }
        }
        var state = CollapseState(mesh: start.mesh, box: SIMD3<Double>(box), quadrics: start.quadrics,
                                  maxDeviation: maxDeviation)
        defer { state.release() }
        state.run(target: maxTriangles)
        return state.compacted().mesh
    }

    /// Rounds of cell decimation: the grid, then the grid shifted by half a cell.
    static let cellRounds = 2

    /// Cells per axis for a mesh of `triangles` from 200 000 up: the most that keep 7 000
    /// triangles a cell (about 8 000 from a million triangles up).
    static func defaultCells(triangles: Int) -> Int {
        guard triangles >= 200_000 else { return 1 }
        var k = 2
        while k < 64, (k + 1) * (k + 1) * (k + 1) * 7_000 <= triangles { k += 1 }
        return k
    }
}
