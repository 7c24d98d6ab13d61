import ForgeCore
import Foundation

/// Distances from points to the surface of a triangle mesh, up to a search radius: the
/// mesh's triangles binned in a uniform grid, each point compared with the triangles of the
/// cells its search ball touches (exact point–triangle distances).
public struct SurfaceDistance: Sendable {
    /// The mesh's arrays (shared, not copied).
    private let positions: [Float]
    private let indices: [UInt32]
    private let origin: SIMD3<Double>
    private let cell: Double
    private let dims: SIMD3<Int>
    /// Triangles of cell c: `items[start[c] ..< start[c + 1]]`.
    private let start: [Int32]
    private let items: [Int32]
    /// Distances beyond this are reported as this.
    public let radius: Double

    /// Cells are at least `radius` / 2 wide, and no more than about four million of them.
    public init(to mesh: Mesh, radius: Double) {
        self.radius = radius
        let b = mesh.bounds
        origin = SIMD3<Double>(b.min) - radius
        let span = SIMD3<Double>(b.max) - SIMD3<Double>(b.min) + 2 * radius
        let volume = max(span.x * span.y * span.z, .leastNormalMagnitude)
        cell = max(radius / 2, cbrt(volume / Double(1 << 22)))
        dims = SIMD3(Int((span.x / cell).rounded(.up)) + 1, Int((span.y / cell).rounded(.up)) + 1,
                     Int((span.z / cell).rounded(.up)) + 1)
        let cellCount = dims.x * dims.y * dims.z
        var counts = [Int32](repeating: 0, count: cellCount + 1)
        let (origin, cell, dims) = (origin, cell, dims)
        func cells(_ t: Int, _ body: (Int) -> Void) {
            let (a, b, c) = { (t: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>)) in
                (SIMD3<Double>(t.0), SIMD3<Double>(t.1), SIMD3<Double>(t.2)) }(Self.corners(t, mesh.positions, mesh.indices))
            let lo = ((pointwiseMin(pointwiseMin(a, b), c) - origin) / cell), hi = ((pointwiseMax(pointwiseMax(a, b), c) - origin) / cell)
            for z in Int(lo.z)...Int(hi.z) {
                for y in Int(lo.y)...Int(hi.y) {
                    for x in Int(lo.x)...Int(hi.x) { body((z * dims.y + y) * dims.x + x) }
                }
            }
        }
        let triangles = mesh.triangleCount
        for t in 0..<triangles { cells(t) { counts[$0 + 1] += 1 } }
        for c in 0..<cellCount { counts[c + 1] += counts[c] }
        var fill = counts
        var items = [Int32](repeating: 0, count: Int(counts[cellCount]))
        for t in 0..<triangles {
            cells(t) { c in
                items[Int(fill[c])] = Int32(t)
                fill[c] += 1
            }
        }
        positions = mesh.positions
        indices = mesh.indices
        start = counts
        self.items = items
    }

    /// The largest distance from any of `points` to the surface, capped at `radius` (a
    /// point with no surface within `radius` counts as `radius`), and never below
    /// `resolution`: a point is dropped as soon as some triangle lies no farther than the
    /// largest distance found so far, or than `resolution`. Exact whenever the result exceeds
    /// `resolution`, unless it exceeds `stopAbove`: the search then ends early, and the
    /// result is only known to exceed `stopAbove`.
    public func largestDistance(from points: [SIMD3<Float>], resolution: Double = 0, stopAbove: Double = .infinity) -> Double {
        points.withUnsafeBufferPointer { p in
            guard let start = p.baseAddress else { return resolution }
            let base = SendableReadOnlyPointer(start)
            return largestDistance(count: p.count, resolution: resolution, stopAbove: stopAbove) { base[$0] }
        }
    }

    /// The same for the vertices of `mesh`.
    public func largestDistance(fromVerticesOf mesh: Mesh, resolution: Double = 0, stopAbove: Double = .infinity) -> Double {
        mesh.positions.withUnsafeBufferPointer { p in
            guard let start = p.baseAddress else { return resolution }
            let base = SendableReadOnlyPointer(start)
            return largestDistance(count: mesh.vertexCount, resolution: resolution, stopAbove: stopAbove) {
                SIMD3(base[3 * $0], base[3 * $0 + 1], base[3 * $0 + 2])
            }
        }
    }

    private func largestDistance(count: Int, resolution: Double, stopAbove: Double,
                                 point: @Sendable (Int) -> SIMD3<Float>) -> Double {
        let chunks = parallelChunkCount(count, minimumChunk: 4096)
        let results = ChunkSlots<Double>(count: chunks, initial: resolution)
        let stop = StopSignal()
        parallelForChunks(count, chunks: chunks) { chunk, range in
            var largest = resolution
            for i in range {
                if i & 1023 == 0, stop.isSet { break }
                largest = max(largest, distance(from: SIMD3<Double>(point(i)), unlessWithin: largest))
                if largest > stopAbove {
                    stop.set()
                    break
                }
            }
            results.store(largest, at: chunk)
        }
        return results.values.max() ?? resolution
    }

    /// The distance from `p` to the surface, capped at `radius`; `enough` or less as soon as
    /// a triangle that close is found.
    public func distance(from p: SIMD3<Double>, unlessWithin enough: Double = 0) -> Double {
        var best = radius * radius
        let lo = pointwiseMax((p - radius - origin) / cell, .zero), hi = (p + radius - origin) / cell
        guard p.x.isFinite, p.y.isFinite, p.z.isFinite, hi.x >= 0, hi.y >= 0, hi.z >= 0,
              lo.x < Double(dims.x), lo.y < Double(dims.y), lo.z < Double(dims.z) else { return radius }
        let last = SIMD3(min(Int(hi.x), dims.x - 1), min(Int(hi.y), dims.y - 1), min(Int(hi.z), dims.z - 1))
        let enoughSquared = enough * enough
        // The point's own cell first: it usually holds a triangle close enough to stop.
        let home = (p - origin) / cell
        let own = home.x < Double(dims.x) && home.y < Double(dims.y) && home.z < Double(dims.z)
            && home.x >= 0 && home.y >= 0 && home.z >= 0
            ? (Int(home.z) * dims.y + Int(home.y)) * dims.x + Int(home.x) : -1
        return positions.withUnsafeBufferPointer { positions in
            indices.withUnsafeBufferPointer { indices in
                let point = SIMD3<Float>(p)
                func scan(_ c: Int) -> Bool {
                    for k in Int(start[c])..<Int(start[c + 1]) {
                        let (a, b, c) = Self.corners(Int(items[k]), positions, indices)
                        let d = Double(Self.squaredDistance(point, a, b, c))
                        if d < best {
                            best = d
                            if best <= enoughSquared { return true }
                        }
                    }
                    return false
                }
                if own >= 0, scan(own) { return best.squareRoot() }
                // Then the others, skipping any whose box lies farther than the best so far.
                let q = (p - origin) / cell
                for z in Int(lo.z)...last.z {
                    let dz = max(Double(z) - q.z, 0, q.z - Double(z + 1))
                    for y in Int(lo.y)...last.y {
                        let dy = max(Double(y) - q.y, 0, q.y - Double(y + 1))
                        for x in Int(lo.x)...last.x {
                            let dx = max(Double(x) - q.x, 0, q.x - Double(x + 1))
                            guard (dx * dx + dy * dy + dz * dz) * cell * cell < best else { continue }
                            let c = (z * dims.y + y) * dims.x + x
                            if c != own, scan(c) { return best.squareRoot() }
                        }
                    }
                }
                return best.squareRoot()
            }
        }
    }

    @inline(__always)
    private static func corners<P: Collection<Float>, I: Collection<UInt32>>(_ t: Int, _ positions: P, _ indices: I)
        -> (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>) where P.Index == Int, I.Index == Int {
        func vertex(_ k: Int) -> SIMD3<Float> {
            let v = 3 * Int(indices[3 * t + k])
            return SIMD3(positions[v], positions[v + 1], positions[v + 2])
        }
        return (vertex(0), vertex(1), vertex(2))
    }

    /// Squared distance from `p` to the triangle abc (the closest-point regions of
    /// Ericson, Real-Time Collision Detection §5.1.5).
    @inline(__always)
    static func squaredDistance(_ p: SIMD3<Float>, _ a: SIMD3<Float>, _ b: SIMD3<Float>, _ c: SIMD3<Float>) -> Float {
        func dot(_ u: SIMD3<Float>, _ v: SIMD3<Float>) -> Float { (u * v).sum() }
        func squared(_ q: SIMD3<Float>) -> Float { let d = p - q; return dot(d, d) }
        let ab = b - a, ac = c - a, ap = p - a
        let d1 = dot(ab, ap), d2 = dot(ac, ap)
        if d1 <= 0 && d2 <= 0 { return squared(a) }
        let bp = p - b
        let d3 = dot(ab, bp), d4 = dot(ac, bp)
        if d3 >= 0 && d4 <= d3 { return squared(b) }
        let vc = d1 * d4 - d3 * d2
        if vc <= 0 && d1 >= 0 && d3 <= 0 { return squared(a + ab * (d1 / (d1 - d3))) }
        let cp = p - c
        let d5 = dot(ab, cp), d6 = dot(ac, cp)
        if d6 >= 0 && d5 <= d6 { return squared(c) }
        let vb = d5 * d2 - d1 * d6
        if vb <= 0 && d2 >= 0 && d6 <= 0 { return squared(a + ac * (d2 / (d2 - d6))) }
        let va = d3 * d6 - d5 * d4
        if va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0 {
            return squared(b + (c - b) * ((d4 - d3) / ((d4 - d3) + (d5 - d6))))
        }
        let total = va + vb + vc
        guard total > 0 else { return min(squared(a), squared(b), squared(c)) }
        return squared(a + ab * (vb / total) + ac * (vc / total))
    }
}

extension Mesh {
    /// Points on the surface no farther than `spacing` from the next: every vertex, points
    /// along each edge longer than `spacing` (once per edge of a closed mesh: from its
    /// lower-numbered end), and inside each triangle whose longest edge exceeds `spacing` a
    /// barycentric grid fine enough.
    public func surfaceSamples(spacing: Double) -> [SIMD3<Float>] {
        var points = (0..<vertexCount).map { vertex($0) }
        for t in 0..<triangleCount {
            let v = (Int(indices[3 * t]), Int(indices[3 * t + 1]), Int(indices[3 * t + 2]))
            let a = SIMD3<Double>(vertex(v.0)), b = SIMD3<Double>(vertex(v.1)), c = SIMD3<Double>(vertex(v.2))
            let longest = max(simdLength(b - a), simdLength(c - b), simdLength(a - c))
            guard longest > spacing else { continue }
            let n = min(Int((longest / spacing).rounded(.up)), 4096)
            for (from, to, p, q) in [(v.0, v.1, a, b), (v.1, v.2, b, c), (v.2, v.0, c, a)] where from < to {
                let m = Int((simdLength(q - p) / spacing).rounded(.up))
                for i in stride(from: 1, to: m, by: 1) { points.append(SIMD3<Float>(p + (q - p) * (Double(i) / Double(m)))) }
            }
            for i in stride(from: 1, to: n, by: 1) {
                for j in stride(from: 1, to: n - i, by: 1) {
                    points.append(SIMD3<Float>(a + (b - a) * (Double(i) / Double(n)) + (c - a) * (Double(j) / Double(n))))
                }
            }
        }
        return points
    }
}

@inline(__always) func simdLength(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

/// A flag the tasks of one parallel loop raise to end it early.
private final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    var isSet: Bool { lock.withLock { raised } }
    func set() { lock.withLock { raised = true } }
}
