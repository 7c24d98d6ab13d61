import ForgeCore

/// Working data of one decimation, on raw buffers (no bounds, uniqueness or reference
/// counting work in the collapse loop); `release()` frees them.
struct CollapseState {
    var position: UnsafeMutableBufferPointer<SIMD3<Double>>
    var quadric: UnsafeMutableBufferPointer<Quadric>
    var triangles: UnsafeMutableBufferPointer<SIMD3<Int32>>
    var alive: UnsafeMutableBufferPointer<Bool>
    /// Triangle corners incident to each vertex as linked lists over corner numbers
    /// (3 · triangle + k): `head`/`tail` per vertex, `next` per corner, −1 ends a list.
    var head: UnsafeMutableBufferPointer<Int32>
    var tail: UnsafeMutableBufferPointer<Int32>
    var next: UnsafeMutableBufferPointer<Int32>
    var version: UnsafeMutableBufferPointer<UInt32>
    var planes: UnsafeMutableBufferPointer<UInt8>  // bits: x=0, x=L, y=0, y=L, z=0, z=L; held
    /// The `planes` bit of a vertex no collapse may touch.
    static let held: UInt8 = 1 << 6
    let box: SIMD3<Double>
    /// The largest area-weighted mean squared distance of a new vertex from its planes.
    let maxSquaredDeviation: Double
    var vertexAlive: UnsafeMutableBufferPointer<Bool>
    var heap = CollapseHeap()
    var aliveTriangles: Int
    var scratchA = GrowableBuffer<Int32>(capacity: 32)
    var scratchB = GrowableBuffer<Int32>(capacity: 32)
    var dropTriangles = GrowableBuffer<Int32>(capacity: 32)
    var keepTriangles = GrowableBuffer<Int32>(capacity: 32)
    var shared = GrowableBuffer<Int32>(capacity: 32)
    var opposite = GrowableBuffer<Int32>(capacity: 32)

    /// `held` (one flag per vertex, or empty) marks vertices no collapse may touch;
    /// `quadrics` (one per vertex, or empty) carries the errors gathered by earlier collapses,
    /// otherwise each vertex starts with the planes of its triangles.
    init(mesh: Mesh, box: SIMD3<Double>, held: [Bool] = [], quadrics: [Quadric] = [],
         maxDeviation: Double = .infinity) {
        let n = mesh.vertexCount
        self.box = box
        maxSquaredDeviation = maxDeviation * maxDeviation
        let position = UnsafeMutableBufferPointer<SIMD3<Double>>.allocate(capacity: n)
        let triangles = UnsafeMutableBufferPointer<SIMD3<Int32>>.allocate(capacity: mesh.triangleCount)
        mesh.positions.withUnsafeBufferPointer { p in
            for v in 0..<n {
                (position.baseAddress! + v).initialize(to: SIMD3(Double(p[3 * v]), Double(p[3 * v + 1]), Double(p[3 * v + 2])))
            }
        }
        mesh.indices.withUnsafeBufferPointer { idx in
            for t in 0..<mesh.triangleCount {
                (triangles.baseAddress! + t).initialize(to: SIMD3(Int32(truncatingIfNeeded: idx[3 * t]),
                    Int32(truncatingIfNeeded: idx[3 * t + 1]), Int32(truncatingIfNeeded: idx[3 * t + 2])))
            }
        }
        self.position = position
        self.triangles = triangles
        alive = .filled(with: true, count: triangles.count)
        aliveTriangles = triangles.count
        head = .filled(with: -1, count: n)
        tail = .filled(with: -1, count: n)
        next = .filled(with: -1, count: 3 * triangles.count)
        for t in 0..<triangles.count {
            let tri = triangles[t]
            for k in 0..<3 {
                let v = Int(tri[k]), corner = Int32(3 * t + k)
                if head[v] < 0 { head[v] = corner } else { next[Int(tail[v])] = corner }
                tail[v] = corner
            }
        }
        version = .filled(with: 0, count: n)
        vertexAlive = .filled(with: true, count: n)
        let tolerance = box.max() * 1e-6
        planes = .allocate(capacity: n)
        for v in 0..<n {
            let p = position[v]
            var bits: UInt8 = 0
            for k in 0..<3 {
                if abs(p[k]) <= tolerance { bits |= 1 << (2 * k) }
                if abs(p[k] - box[k]) <= tolerance { bits |= 1 << (2 * k + 1) }
            }
            (planes.baseAddress! + v).initialize(to: bits)
        }
        for v in held.indices where held[v] { planes[v] |= Self.held }
        if quadrics.count == n {
            quadric = .allocate(capacity: n)
            _ = quadric.initialize(from: quadrics)
        } else {
            quadric = .filled(with: Quadric(), count: n)
            for tri in triangles {
                let (a, b, c) = (position[Int(tri.x)], position[Int(tri.y)], position[Int(tri.z)])
                let cross = Self.cross(b - a, c - a)
                let length = (cross * cross).sum().squareRoot()
                guard length > 0 else { continue }
                let normal = cross / length
                var q = Quadric(normal: normal, d: -(normal * a).sum(), weight: length / 2)
                // A triangle of a flat cap on a face of the box barely counts toward the mean
                // deviation: a vertex where the cap meets the part's wall may only slide in
                // that face, and how far it strays is measured by the wall's planes alone.
                if planes[Int(tri.x)] & planes[Int(tri.y)] & planes[Int(tri.z)] & ~Self.held != 0 {
                    q.weight *= Self.capWeight
                } else {
                    addCreasePlanes(tri)
                }
                for k in 0..<3 { quadric[Int(tri[k])] += q }
            }
        }
        for t in 0..<triangles.count {
            let tri = triangles[t]
            for k in 0..<3 where tri[k] < tri[(k + 1) % 3] { push(Int(tri[k]), Int(tri[(k + 1) % 3])) }
        }
    }

    func release() {
        position.deallocate()
        quadric.deallocate()
        triangles.deallocate()
        alive.deallocate()
        head.deallocate()
        tail.deallocate()
        next.deallocate()
        version.deallocate()
        planes.deallocate()
        vertexAlive.deallocate()
        for list in [scratchA, scratchB, dropTriangles, keepTriangles, shared, opposite] { list.release() }
        heap.release()
    }

    static let maximumValence = 16

    /// Where a triangle of the part's wall meets a face of the box along one of its edges,
    /// a plane through that edge and square to the face, added to both ends: the line where
    /// wall and cap meet then resists moving within the face, as the wall's own planes do
    /// not. It adds no weight to the mean, so its distance counts in full.
    private mutating func addCreasePlanes(_ tri: SIMD3<Int32>) {
        for k in 0..<3 {
            let (a, b) = (Int(tri[k]), Int(tri[(k + 1) % 3]))
            let common = planes[a] & planes[b] & ~Self.held
            guard common != 0 else { continue }
            var axis = SIMD3<Double>.zero
            axis[common.trailingZeroBitCount / 2] = 1
            let edge = position[b] - position[a]
            let cross = Self.cross(edge, axis)
            let length = (cross * cross).sum().squareRoot()
            guard length > 0 else { continue }
            let normal = cross / length
            var q = Quadric(normal: normal, d: -(normal * position[a]).sum(), weight: (edge * edge).sum())
            q.weight = 0
            quadric[a] += q
            quadric[b] += q
        }
    }

    /// The share of its area a box-face triangle adds to the weight that scales deviations.
    static let capWeight = 1e-3

    static func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
    }

    /// Where the pair (u, v) would collapse to and which end survives, or nil if the box
    /// faces forbid it. The removed vertex must lie on no face plane the survivor is off.
    func plan(_ u: Int, _ v: Int) -> (keep: Int, drop: Int, target: SIMD3<Double>, cost: Double)? {
        let pu = planes[u], pv = planes[v]
        guard (pu | pv) & Self.held == 0 else { return nil }
        let q = quadric[u] + quadric[v]
        if pu == 0 && pv == 0 {
            // A well-conditioned quadric is positive definite: its minimiser beats any other point.
            if let m = q.minimiser() {
                let inside = simd_clamp(m, .zero, box)
                return (v, u, inside, q.error(inside))
            }
            var best = (position[u], q.error(position[u]))
            func consider(_ candidate: SIMD3<Double>) {
                let e = q.error(candidate)
                if e < best.1 { best = (candidate, e) }
            }
            consider(position[v])
            consider((position[u] + position[v]) / 2)
            let inside = simd_clamp(best.0, .zero, box)
            return (v, u, inside, q.error(inside))
        }
        let intoV = pu & ~pv == 0 ? (v, u, position[v], q.error(position[v])) : nil
        let intoU = pv & ~pu == 0 ? (u, v, position[u], q.error(position[u])) : nil
        guard let a = intoV else { return intoU }
        guard let b = intoU else { return a }
        return a.3 <= b.3 ? a : b
    }

    mutating func push(_ u: Int, _ v: Int) {
        guard let p = plan(u, v), p.cost <= maxSquaredDeviation * (quadric[u].weight + quadric[v].weight) else { return }
        heap.push(CollapseCandidate(u: Int32(u), v: Int32(v), stamp: CollapseCandidate.stamp(version[u], version[v])),
                  cost: p.cost)
    }

    /// The neighbours of `v`: the vertex after `v` in each live triangle around it. The mesh
    /// is a closed 2-manifold (marching cubes makes one, and every collapse keeps it one),
    /// so `v`'s triangles form one fan in which each neighbour follows `v` exactly once.
    func neighbours(_ v: Int, into out: inout GrowableBuffer<Int32>) {
        out.removeAll()
        var c = head[v]
        while c >= 0 {
            let t = Int(c) / 3
            if alive[t] {
                let k = Int(c) - 3 * t
                out.append(triangles[t][k == 2 ? 0 : k + 1])
            }
            c = next[Int(c)]
        }
    }

    /// Number of live triangles around `v` (its valence, on a closed 2-manifold).
    func valence(_ v: Int) -> Int {
        var count = 0, c = head[v]
        while c >= 0 {
            if alive[Int(c) / 3] { count &+= 1 }
            c = next[Int(c)]
        }
        return count
    }

    /// The live triangles around `v`.
    func incidentTriangles(_ v: Int, into out: inout GrowableBuffer<Int32>) {
        out.removeAll()
        var c = head[v]
        while c >= 0 {
            if alive[Int(c) / 3] { out.append(c / 3) }
            c = next[Int(c)]
        }
    }

    /// Drops the corners of dead triangles from `v`'s list.
    mutating func prune(_ v: Int) {
        var c = head[v], last: Int32 = -1
        head[v] = -1
        while c >= 0 {
            let following = next[Int(c)]
            if alive[Int(c) / 3] {
                if last < 0 { head[v] = c } else { next[Int(last)] = c }
                last = c
            }
            c = following
        }
        if last >= 0 { next[Int(last)] = -1 }
        tail[v] = last
    }

    /// Collapses cheapest first until `target` triangles are left, or no candidate is left
    /// in a queue bucket up to `maxBucket`. With `histogram` (1024 counts), each collapse
    /// made is counted at the highest bucket reached so far: a run with a lower
    /// `maxBucket` would have stopped before the collapses counted above it.
    mutating func run(target: Int, maxBucket: Int = 1023, histogram: UnsafeMutableBufferPointer<Int>? = nil) {
        var reached = 0
        while aliveTriangles > target, let c = heap.pop(maxBucket: maxBucket) {
            let (u, v) = (Int(c.u), Int(c.v))
            guard vertexAlive[u], vertexAlive[v], CollapseCandidate.stamp(version[u], version[v]) == c.stamp,
                  let p = plan(u, v) else { continue }
            reached = max(reached, heap.lowestBucket)
            if collapse(drop: p.drop, into: p.keep, at: p.target) { histogram?[reached] += 1 }
        }
    }

    /// Collapses `drop` into `keep` at `target` if every check passes.
    mutating func collapse(drop: Int, into keep: Int, at target: SIMD3<Double>) -> Bool {
        incidentTriangles(drop, into: &dropTriangles)
        shared.removeAll()
        for t in dropTriangles where triangles[Int(t)].contains(Int32(keep)) { shared.append(t) }
        guard shared.count == 2 else { return false }
        opposite.removeAll()
        for t in shared {
            let tri = triangles[Int(t)]
            for k in 0..<3 where tri[k] != Int32(keep) && tri[k] != Int32(drop) && !opposite.contains(tri[k]) {
                opposite.append(tri[k])
            }
        }
        guard opposite.count == 2 else { return false }
        neighbours(drop, into: &scratchA)
        neighbours(keep, into: &scratchB)
        var common = 0
        for w in scratchA where scratchB.contains(w) {
            guard opposite.contains(w) else { return false }
            common += 1
        }
        guard common == 2 else { return false }
        // Keep valences moderate: a vertex pinned to a box edge would otherwise gather fan
        // after fan, and its neighbourhood would be walked at every collapse.
        guard scratchA.count + scratchB.count - 4 <= Self.maximumValence else { return false }
        // Both opposite vertices keep at least three neighbours (no collapse of a tetrahedron).
        for o in opposite where valence(Int(o)) <= 3 { return false }
        // Surrounding triangles must not flip, fold or degenerate.
        incidentTriangles(keep, into: &keepTriangles)
        guard keepsShape(dropTriangles, moving: drop, to: target),
              keepsShape(keepTriangles, moving: keep, to: target) else { return false }
        for t in shared {
            alive[Int(t)] = false
            aliveTriangles -= 1
        }
        for t in dropTriangles where alive[Int(t)] {
            for k in 0..<3 where triangles[Int(t)][k] == Int32(drop) { triangles[Int(t)][k] = Int32(keep) }
        }
        // Append drop's corners to keep's list, then drop dead corners from both ends' lists.
        if head[drop] >= 0 {
            if head[keep] < 0 { head[keep] = head[drop] } else { next[Int(tail[keep])] = head[drop] }
            tail[keep] = tail[drop]
        }
        head[drop] = -1
        tail[drop] = -1
        prune(keep)
        for o in opposite { prune(Int(o)) }
        vertexAlive[drop] = false
        position[keep] = target
        quadric[keep] += quadric[drop]
        planes[keep] |= planes[drop]
        version[keep] &+= 1
        neighbours(keep, into: &scratchA)
        for w in scratchA { push(keep, Int(w)) }
        return true
    }

    static let minimumQuality = 1e-3

    static func squaredEdges(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) -> Double {
        let u = b - a, v = c - b, w = a - c
        return (u * u).sum() + (v * v).sum() + (w * w).sum()
    }

    /// True when no triangle of `list` (other than the two that vanish) flips, folds by
    /// more than about 73°, degenerates or becomes a sliver as `vertex` moves to `target`.
    func keepsShape(_ list: GrowableBuffer<Int32>, moving vertex: Int, to target: SIMD3<Double>) -> Bool {
        for t in list where t != shared[0] && t != shared[1] {
            let tri = triangles[Int(t)]
            let (a, b, c) = (position[Int(tri.x)], position[Int(tri.y)], position[Int(tri.z)])
            let a1 = Int(tri.x) == vertex ? target : a, b1 = Int(tri.y) == vertex ? target : b
            let c1 = Int(tri.z) == vertex ? target : c
            let n0 = Self.cross(b - a, c - a)
            let n1 = Self.cross(b1 - a1, c1 - a1)
            let l0 = (n0 * n0).sum().squareRoot(), l1 = (n1 * n1).sum().squareRoot()
            guard l1 > 1e-12 * max(l0, 1e-30), l0 > 0, (n0 * n1).sum() > 0.3 * l0 * l1 else { return false }
            // No new sliver: twice the area over the summed squared edges (0.29 for an
            // equilateral triangle) stays above 10⁻³ unless it was lower already.
            let edges1 = Self.squaredEdges(a1, b1, c1)
            if l1 < Self.minimumQuality * edges1, l1 * Self.squaredEdges(a, b, c) < l0 * edges1 { return false }
        }
        return true
    }

    /// The live triangles with their vertices renumbered in order of first use, and for
    /// each new vertex its number before.
    func compacted() -> (mesh: Mesh, survivors: [Int32]) {
        var newIndex = [Int32](repeating: -1, count: position.count)
        var positions: [Float] = []
        var indices: [UInt32] = []
        var survivors: [Int32] = []
        indices.reserveCapacity(aliveTriangles * 3)
        positions.reserveCapacity(aliveTriangles * 3 / 2 + 64)
        survivors.reserveCapacity(aliveTriangles / 2 + 64)
        for (t, tri) in triangles.enumerated() where alive[t] {
            for k in 0..<3 {
                let v = Int(tri[k])
                if newIndex[v] < 0 {
                    newIndex[v] = Int32(positions.count / 3)
                    positions.append(Float(position[v].x))
                    positions.append(Float(position[v].y))
                    positions.append(Float(position[v].z))
                    survivors.append(Int32(v))
                }
                indices.append(UInt32(newIndex[v]))
            }
        }
        return (Mesh(positions: positions, indices: indices), survivors)
    }
}

@inline(__always)
private func simd_clamp(_ p: SIMD3<Double>, _ lo: SIMD3<Double>, _ hi: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(min(max(p.x, lo.x), hi.x), min(max(p.y, lo.y), hi.y), min(max(p.z, lo.z), hi.z))
}

private extension SIMD3 where Scalar == Int32 {
    func contains(_ v: Int32) -> Bool { x == v || y == v || z == v }
}

private extension UnsafeMutableBufferPointer {
    static func filled(with value: Element, count: Int) -> Self {
        let buffer = Self.allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }
}
