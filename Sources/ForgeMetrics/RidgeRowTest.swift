import ForgeCore

/// The ridge test of `LocalThickness.ridgeCentres` for the voxels of a row away from the box
/// faces (1 ≤ x < nx − 1 in a row with neighbours on every side), eight voxels at a time: a
/// voxel is off the ridge when some neighbour's squared radius reaches what a ball one step
/// of that neighbour's class away needs to hold the voxel's ball (`BallContainment`). All 26
/// neighbours are compared without branching, which costs less than stopping at the first
/// that holds the ball and mispredicting where that is. Each task owns one; `release()`
/// frees it.
struct RidgeRowTest {
    private let nx: Int
    /// Grid offsets of the 26 neighbours: 6 faces, then 12 edges, then 8 corners.
    private let offsets: UnsafeMutablePointer<Int>
    /// Per class, the squared radius each voxel of the row needs a neighbour to reach.
    private let needed: UnsafeMutablePointer<Float>

    /// For rows of a grid of `size`; `steps` are the 26 neighbour steps, faces first, then
    /// edges, then corners.
    init(size: GridSize, steps: [SIMD3<Int>]) {
        precondition(steps.count == 26)
        nx = size.nx
        offsets = .allocate(capacity: 26)
        for (n, s) in steps.enumerated() { offsets[n] = s.x + size.nx * (s.y + size.ny * s.z) }
        needed = .allocate(capacity: 3 * size.nx)
    }

    func release() {
        offsets.deallocate()
        needed.deallocate()
    }

    /// Calls `body(x, m)` in increasing x for each voxel 1 ≤ x < nx − 1 of the row starting at
    /// `row` (squared radii, in the grid) that lies on the phase (m > 0) and on its ridge.
    @inline(__always)
    func forEachRidgeVoxel(in row: UnsafePointer<Float>, containment: BallContainment, table: UnsafePointer<Float>,
                           _ body: (Int, Float) -> Void) {
        let (faces, edges, corners) = (needed, needed + nx, needed + 2 * nx)
        if containment.largest <= containment.limit {
            // Every squared radius is in the tables (index 0 gives 0 off the phase, where
            // what holds the ball does not matter).
            let stride = containment.limit &+ 1
            for x in 1..<(nx &- 1) {
                // A whole number below 2²³ plus 2²³ holds it in its low 23 bits: no checked
                // conversion.
                let j = Int((row[x] + 0x1p23).bitPattern & 0x7F_FFFF)
                faces[x] = table[j]
                edges[x] = table[stride &+ j]
                corners[x] = table[2 &* stride &+ j]
            }
        } else {
            for x in 1..<(nx &- 1) {
                let m = max(row[x], 1)
                faces[x] = containment.needs(m, stepClass: 0, table: table)
                edges[x] = containment.needs(m, stepClass: 1, table: table)
                corners[x] = containment.needs(m, stepClass: 2, table: table)
            }
        }
        var x = 1
        while x &+ 8 <= nx &- 1 {
            let here = Self.load(row + x)
            var held = Self.reaching(row + x, offsets, 0..<6, Self.load(faces + x))
            held .|= Self.reaching(row + x, offsets, 6..<18, Self.load(edges + x))
            held .|= Self.reaching(row + x, offsets, 18..<26, Self.load(corners + x))
            let ridge = .!held .& (here .> 0)
            if any(ridge) {
                for lane in 0..<8 where ridge[lane] { body(x &+ lane, here[lane]) }
            }
            x &+= 8
        }
        while x < nx &- 1 {
            let m = row[x]
            if m > 0 {
                var isHeld = false
                for n in 0..<26 {
                    let need = n < 6 ? faces[x] : n < 18 ? edges[x] : corners[x]
                    if row[x &+ offsets[n]] >= need { isHeld = true }
                }
                if !isHeld { body(x, m) }
            }
            x &+= 1
        }
    }

    /// Lanes where any of the neighbours `range` reaches `need`.
    @inline(__always)
    private static func reaching(_ at: UnsafePointer<Float>, _ offsets: UnsafeMutablePointer<Int>, _ range: Range<Int>,
                                 _ need: SIMD8<Float>) -> SIMDMask<SIMD8<Int32>> {
        var held = SIMDMask<SIMD8<Int32>>(repeating: false)
        for n in range { held .|= load(at + offsets[n]) .>= need }
        return held
    }

    @inline(__always)
    private static func load(_ at: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(at).loadUnaligned(as: SIMD8<Float>.self)
    }
}
