import ForgeCore

/// The planes a ridge ball must paint. Past some distance above its centre, the disc a
/// ball cuts from a plane lies inside the disc that the ball of the voxel above it (or of
/// one beside that voxel), if at least as large, cuts from that plane; likewise below. That
/// ball, or the ridge ball holding it, paints the plane no later and with no smaller a
/// diameter, so the smaller ball's disc there changes nothing. (In the pores of a spinodal
/// foam this leaves under half of the discs' rows to paint; the diagonal and same-plane
/// neighbours cut little more than they cost.)
///
/// The neighbour's disc grows faster than the ball's own with each plane further out, so
/// the planes are tried from the ball's last one inwards until a disc is not contained.
/// `release()` frees its tables. Along y, within each plane, the same holds for whole rows
/// (`rowsCut`).
struct PaintedPlanes: @unchecked Sendable {
    private let size: GridSize
    /// The 10 neighbours one plane up or down, straight (the first two) or across a face of
    /// the column: offsets in the grid, steps and classes of their steps in the plane.
    private let linear: UnsafeMutablePointer<Int>
    private let steps: UnsafeMutablePointer<SIMD3<Int32>>
    private let classOf: UnsafeMutablePointer<Int>
    /// `BallContainment` for discs: its table, its limit and per neighbour the length of
    /// its step in the plane.
    private let table: UnsafeMutablePointer<Float>
    private let limit: Int
    private let stepLength: UnsafeMutablePointer<Float>

    /// For a grid of `size` whose squared radii reach `largest`.
    init(size: GridSize, largest: Int) {
        self.size = size
        // The two straight above and below first: when they cut, they cut everything.
        var found: [SIMD3<Int>] = [SIMD3(0, 0, 1), SIMD3(0, 0, -1)]
        for dz in [-1, 1] { for dy in -1...1 { for dx in -1...1 where (dx == 0) != (dy == 0) {
            found.append(SIMD3(dx, dy, dz))
        } } }
        let discs = BallContainment(steps: found.map { SIMD3($0.x, $0.y, 0) }, largest: largest, planar: true)
        limit = discs.limit
        stepLength = .allocate(capacity: found.count)
        linear = .allocate(capacity: found.count)
        steps = .allocate(capacity: found.count)
        classOf = .allocate(capacity: found.count)
        for (n, s) in found.enumerated() {
            linear[n] = s.x + size.nx * (s.y + size.ny * s.z)
            steps[n] = SIMD3(Int32(s.x), Int32(s.y), Int32(s.z))
            classOf[n] = discs.classIndex(of: SIMD3(s.x, s.y, 0))
            stepLength[n] = discs.stepLengths[classOf[n]]
        }
        table = .allocate(capacity: discs.least.count)
        table.initialize(from: discs.least, count: discs.least.count)
    }

    func release() {
        linear.deallocate()
        steps.deallocate()
        classOf.deallocate()
        table.deallocate()
        stepLength.deallocate()
    }

    /// (above, below): the ball about voxel `i` = (x, y, z) of squared radius `m` (squared
    /// radii in `r`) paints the planes z − below < z′ < z + above (both at least 1).
    @inline(__always)
    func planes(_ i: Int, x: Int, y: Int, z: Int, m: Float, r: UnsafePointer<Float>) -> (above: Int, below: Int) {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let whole = Int(m)
        var reach = Int(m.squareRoot())
        while reach &* reach < whole { reach &+= 1 }  // the least k with k² ≥ m: no disc there
        var above = min(reach, nz &- z), below = min(reach, z &+ 1)
        let interior = x > 0 && x < nx &- 1 && y > 0 && y < ny &- 1 && z > 0 && z < nz &- 1
        // Straight above (or below), a ball at least as large cuts a disc about the same
        // middle and of a larger radius from every plane: only the ball's own plane is left.
        if z &+ 1 < nz && r[i &+ linear[0]] >= m { above = 1 }
        if z > 0 && r[i &+ linear[1]] >= m { below = 1 }
        for n in 2..<10 {
            let step = steps[n]
            if !interior {
                let (qx, qy, qz) = (x &+ Int(step.x), y &+ Int(step.y), z &+ Int(step.z))
                guard qx >= 0, qx < nx, qy >= 0, qy < ny, qz >= 0, qz < nz else { continue }
            }
            let larger = r[i &+ linear[n]]
            guard larger >= m else { continue }
            let up = step.z > 0
            // Planes d away on the neighbour's side, d − 1 planes from the neighbour.
            var d = (up ? above : below) &- 1
            var cut = d &+ 1
            while d >= 1 {
                let apart = d &- 1
                let own = m - Float(d &* d)
                guard larger - Float(apart &* apart) >= BallContainment.needs(own, stepClass: classOf[n], table: table, limit: limit,
                                                                                                 stepLength: stepLength[n]) else { break }
                cut = d
                d &-= 1
            }
            if up { above = cut } else { below = cut }
        }
        return (above, below)
    }

    /// `RidgeCentre.rowsCut` for the ball about voxel `i` (row `y`) of squared radius `m`.
    /// In every plane, the ball's row dy ≥ 1 rows past its centre has the same middle as the
    /// row dy − 1 past the centre of the voxel at y + 1 and a half-width no larger when that
    /// voxel's squared radius m′ ≥ m (m − dy² ≤ m′ − (dy − 1)²); likewise before.
    @inline(__always)
    func rowsCut(_ i: Int, y: Int, m: Float, r: UnsafePointer<Float>) -> UInt8 {
        let ahead: UInt8 = y &+ 1 < size.ny && r[i &+ size.nx] >= m ? 1 : 0
        let back: UInt8 = y > 0 && r[i &- size.nx] >= m ? 2 : 0
        return ahead | back
    }
}
