/// When the ball about a nearby voxel holds the whole ball about a voxel, balls being the
/// voxel sets {x : |x − c|² < m} for whole m (squared distances between voxel centres).
///
/// B(c, m) lies inside B(c + δ, m′) exactly when m′ > |x − δ|² for every x with |x|² < m.
/// By symmetry that bound depends on the step δ only through its class, the sorted
/// magnitudes of its components. Up to `exactLimit` the bound is tabulated from the lattice
/// points themselves; beyond, the continuous ball's bound (√m + |δ|)², which implies the
/// discrete one, stands in. Containment of sets is transitive, so balls dropped for lying
/// inside a ball of at least their radius change no voxel's largest covering ball.
struct BallContainment {
    static let exactLimit = 4096

    /// The step classes, as (largest, middle, smallest) component magnitudes.
    let classes: [SIMD3<Int>]
    /// least[k · (limit + 1) + m]: the least m′ ≥ m whose ball holds B(c, m) one step of
    /// class k away.
    let least: [Float]
    let limit: Int
    /// The largest squared radius the tables were made for.
    let largest: Int
    /// |δ| per class, for the continuous bound.
    let stepLengths: [Float]

    /// Tables for the classes of `steps` and squared radii up to `largest` (at most
    /// `exactLimit`). `planar` takes discs of a plane (steps in it) instead of balls.
    init(steps: [SIMD3<Int>], largest: Int, planar: Bool = false) {
        var found: [SIMD3<Int>] = []
        for s in steps {
            let sorted = [abs(s.x), abs(s.y), abs(s.z)].sorted(by: >)
            let c = SIMD3(sorted[0], sorted[1], sorted[2])
            if !found.contains(c) { found.append(c) }
        }
        classes = found
        let limit = min(max(largest, 1), Self.exactLimit)
        self.limit = limit
        self.largest = largest
        stepLengths = found.map { Float(($0 &* $0).wrappedSum()).squareRoot() }
        // best[k][s]: the largest |x|² + 2 x·δ over lattice points with |x|² = s (δ of class
        // k; components ≥ 0 in decreasing order take the maximum), −1 where s is no norm.
        var best = [[Int]](repeating: [Int](repeating: -1, count: limit), count: found.count)
        let reach = Int(Double(limit).squareRoot()) + 1
        for a in 0...reach { for b in 0...a { for c in 0...(planar ? 0 : b) {
            let s = a * a + b * b + c * c
            guard s < limit else { continue }
            for (k, d) in found.enumerated() {
                best[k][s] = max(best[k][s], s + 2 * (a * d.x + b * d.y + c * d.z))
            }
        } } }
        least = found.indices.flatMap { k in
            let step = found[k].x * found[k].x + found[k].y * found[k].y + found[k].z * found[k].z
            var table = [Float](repeating: 0, count: limit + 1)
            var farthest = -1
            for m in 1...limit {
                farthest = max(farthest, best[k][m - 1])
                table[m] = Float(max(m, farthest + step + 1))
            }
            return table
        }
    }

    /// The class of `step` among `classes`.
    func classIndex(of step: SIMD3<Int>) -> Int {
        let sorted = [abs(step.x), abs(step.y), abs(step.z)].sorted(by: >)
        return classes.firstIndex(of: SIMD3(sorted[0], sorted[1], sorted[2]))!
    }

    /// The least squared radius a ball one step of class `k` away needs to hold the ball of
    /// squared radius `m` (a whole number ≥ 1); `table` is `least`'s storage.
    @inline(__always)
    func needs(_ m: Float, stepClass k: Int, table: UnsafePointer<Float>) -> Float {
        Self.needs(m, stepClass: k, table: table, limit: limit, stepLength: stepLengths[k])
    }

    /// `needs` from the tables' storage alone (no reference counting in hot loops).
    @inline(__always)
    static func needs(_ m: Float, stepClass k: Int, table: UnsafePointer<Float>, limit: Int, stepLength: Float) -> Float {
        if m <= Float(limit) { return table[k &* (limit &+ 1) &+ Int(m)] }
        let r = m.squareRoot() + stepLength
        return (r * r).rounded(.up) + 1
    }
}
