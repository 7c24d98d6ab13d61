/// The y and z passes of the distance transform by direct search, for `lanes` neighbouring
/// lines at once, held as they lie in memory: one row per sample position, the lines side
/// by side. Each sample's minimum of f(q) + (i − q)² widens one step d at a time and stops
/// once d² reaches the largest value still standing in its row: no farther q can lower any
/// of them. Distances in a microstructure are a few voxels, so most samples take a few
/// vector steps; a row that needs more than `searchLimit` steps leaves the block to the
/// parabola envelope, which is linear however far the features are.
final class WindowedLines {
    static let lanes = 64
    static let searchLimit = 48
    typealias Vector = SIMD16<Float>

    let n: Int
    /// The block's input, row i at `rows + i · lanes`; lanes past the block's width hold 0.
    let rows: UnsafeMutablePointer<Float>

    init(count: Int) {
        n = count
        rows = .allocate(capacity: count * Self.lanes)
    }

    func release() { rows.deallocate() }

    /// Replaces the `width` lines starting at `start` (samples `stride` apart) by their
    /// squared distances, with virtual features at −1 and n when `boundary`. Returns false,
    /// with `rows` still holding the input, when the search would exceed `searchLimit`.
    func transform(_ start: UnsafeMutablePointer<Float>, width: Int, stride: Int, boundary: Bool) -> Bool {
        let lanes = Self.lanes
        for i in 0..<n {
            let row = rows + i &* lanes
            row.update(from: start + i &* stride, count: width)
            if width < lanes { (row + width).update(repeating: 0, count: lanes &- width) }
        }
        for i in 0..<n {
            let base = UnsafeRawPointer(rows + i &* lanes)
            var g0 = base.load(as: Vector.self), g1 = base.load(fromByteOffset: 64, as: Vector.self)
            var g2 = base.load(fromByteOffset: 128, as: Vector.self), g3 = base.load(fromByteOffset: 192, as: Vector.self)
            if boundary {
                let edge = Swift.min(i &+ 1, n &- i)
                let wall = Vector(repeating: Float(edge &* edge))
                Self.lower(&g0, to: wall); Self.lower(&g1, to: wall)
                Self.lower(&g2, to: wall); Self.lower(&g3, to: wall)
            }
            var top = Self.largest(g0, g1, g2, g3)
            var d = 1
            while Float(d &* d) < top {
                let below = i &- d, above = i &+ d
                if below < 0 && above >= n { break }
                if d > Self.searchLimit { return false }
                let step = Vector(repeating: Float(d &* d))
                if below >= 0 {
                    let q = UnsafeRawPointer(rows + below &* lanes)
                    Self.lower(&g0, to: q.load(as: Vector.self) + step)
                    Self.lower(&g1, to: q.load(fromByteOffset: 64, as: Vector.self) + step)
                    Self.lower(&g2, to: q.load(fromByteOffset: 128, as: Vector.self) + step)
                    Self.lower(&g3, to: q.load(fromByteOffset: 192, as: Vector.self) + step)
                }
                if above < n {
                    let q = UnsafeRawPointer(rows + above &* lanes)
                    Self.lower(&g0, to: q.load(as: Vector.self) + step)
                    Self.lower(&g1, to: q.load(fromByteOffset: 64, as: Vector.self) + step)
                    Self.lower(&g2, to: q.load(fromByteOffset: 128, as: Vector.self) + step)
                    Self.lower(&g3, to: q.load(fromByteOffset: 192, as: Vector.self) + step)
                }
                top = Self.largest(g0, g1, g2, g3)
                d &+= 1
            }
            let out = start + i &* stride
            if width == lanes {
                let raw = UnsafeMutableRawPointer(out)
                raw.storeBytes(of: g0, as: Vector.self)
                raw.storeBytes(of: g1, toByteOffset: 64, as: Vector.self)
                raw.storeBytes(of: g2, toByteOffset: 128, as: Vector.self)
                raw.storeBytes(of: g3, toByteOffset: 192, as: Vector.self)
            } else {
                for lane in 0..<width {
                    out[lane] = lane < 16 ? g0[lane] : lane < 32 ? g1[lane &- 16] : lane < 48 ? g2[lane &- 32] : g3[lane &- 48]
                }
            }
        }
        return true
    }

    @inline(__always)
    private static func lower(_ value: inout Vector, to candidate: Vector) {
        value.replace(with: candidate, where: candidate .< value)
    }

    @inline(__always)
    private static func largest(_ a: Vector, _ b: Vector, _ c: Vector, _ d: Vector) -> Float {
        var ab = a, cd = c
        ab.replace(with: b, where: b .> a)
        cd.replace(with: d, where: d .> c)
        ab.replace(with: cd, where: cd .> ab)
        var half = ab.lowHalf
        half.replace(with: ab.highHalf, where: ab.highHalf .> half)
        var quarter = half.lowHalf
        quarter.replace(with: half.highHalf, where: half.highHalf .> quarter)
        return Swift.max(Swift.max(quarter[0], quarter[1]), Swift.max(quarter[2], quarter[3]))
    }
}
