import ForgeCore

/// Topological soundness of a triangle mesh, checked rather than assumed.
public struct MeshIntegrity: Sendable, Equatable {
    /// Half-edges a→b with no opposite b→a (holes).
    public var unpairedHalfEdges = 0
    /// Half-edges a→b that occur more than once (non-manifold or inconsistent winding).
    public var repeatedHalfEdges = 0
    /// Triangles with a repeated vertex or zero area.
    public var degenerateTriangles = 0
    /// Vertices whose triangles form more than one fan (two surface sheets touching at a point).
    public var nonManifoldVertices = 0

    /// Every edge is shared by exactly two triangles with opposite orientation, every vertex
    /// has a single fan of triangles, and no triangle is degenerate.
    public var isClosedManifold: Bool {
        unpairedHalfEdges == 0 && repeatedHalfEdges == 0 && degenerateTriangles == 0 && nonManifoldVertices == 0
    }

    /// Checks `mesh` in O(triangles): half-edges are bucketed by their start vertex, so
    /// each lookup scans only a vertex's few outgoing edges.
    public init(of mesh: Mesh) {
        let vertexCount = mesh.vertexCount
        let idx = mesh.indices
        var start = [Int32](repeating: 0, count: vertexCount + 1)
        for v in idx { start[Int(v) + 1] &+= 1 }
        for v in 0..<vertexCount { start[v + 1] &+= start[v] }
        var targets = [UInt32](repeating: 0, count: idx.count)
        var thirds = [UInt32](repeating: 0, count: idx.count)
        var degenerate = 0
        idx.withUnsafeBufferPointer { ix in
            var fill = start
            fill.withUnsafeMutableBufferPointer { f in
                targets.withUnsafeMutableBufferPointer { tg in
                    thirds.withUnsafeMutableBufferPointer { th in
                        @inline(__always) func add(_ from: UInt32, _ to: UInt32, _ third: UInt32) {
                            let k = Int(f[Int(from)])
                            tg[k] = to
                            th[k] = third
                            f[Int(from)] &+= 1
                        }
                        var t = 0
                        while t < ix.count {
                            let a = ix[t], b = ix[t &+ 1], c = ix[t &+ 2]
                            add(a, b, c)
                            add(b, c, a)
                            add(c, a, b)
                            if a == b || b == c || c == a || Self.area2(mesh, a, b, c) == 0 { degenerate &+= 1 }
                            t &+= 3
                        }
                    }
                }
            }
        }
        degenerateTriangles = degenerate
        // Vertices are checked in parallel ranges; each range counts its own problems.
        let chunks = parallelChunkCount(vertexCount, minimumChunk: 4096)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * max(chunks, 1))
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        let tally = SendablePointer(counts.baseAddress!)
        start.withUnsafeBufferPointer { st in
            targets.withUnsafeBufferPointer { tg in
                thirds.withUnsafeBufferPointer { th in
                    let s = SendableReadOnlyPointer(st.baseAddress!), g = SendableReadOnlyPointer(tg.baseAddress!)
                    let h = SendableReadOnlyPointer(th.baseAddress!)
                    parallelForChunks(vertexCount, chunks: chunks) { chunk, range in
                        var repeated = 0, unpaired = 0, nonManifold = 0
                        for from in range {
                            let begin = Int(s[from]), end = Int(s[from + 1])
                            for i in begin..<end {
                                let to = Int(g[i])
                                var same = 0
                                for j in begin..<end where g[j] == g[i] { same &+= 1 }
                                if same > 1 { repeated &+= 1 }
                                var opposite = 0
                                for j in Int(s[to])..<Int(s[to + 1]) where g[j] == UInt32(from) { opposite &+= 1 }
                                if opposite == 0 { unpaired &+= 1 }
                            }
                            // The triangle (v, a, b) is followed around v by the one that starts v → b.
                            guard end > begin else { continue }
                            var steps = 0, current = begin
                            repeat {
                                let next = h[current]
                                var found = -1
                                for j in begin..<end where g[j] == next {
                                    found = j
                                    break
                                }
                                guard found >= 0 else { break }
                                current = found
                                steps &+= 1
                            } while current != begin && steps <= end - begin
                            if steps != end - begin || current != begin { nonManifold &+= 1 }
                        }
                        tally[3 * chunk] = repeated
                        tally[3 * chunk + 1] = unpaired
                        tally[3 * chunk + 2] = nonManifold
                    }
                }
            }
        }
        for c in 0..<chunks {
            repeatedHalfEdges += counts[3 * c]
            unpairedHalfEdges += counts[3 * c + 1]
            nonManifoldVertices += counts[3 * c + 2]
        }
    }

    private static func area2(_ mesh: Mesh, _ a: UInt32, _ b: UInt32, _ c: UInt32) -> Float {
        let p = mesh.vertex(Int(a)), q = mesh.vertex(Int(b)), r = mesh.vertex(Int(c))
        let u = q - p, v = r - p
        let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return (n * n).sum()
    }
}
