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

    /// Checks `mesh` in O(triangles) (see `VertexFans`).
    public init(of mesh: Mesh) {
        self.init(of: mesh, fans: VertexFans(of: mesh))
    }

    /// Checks `mesh` with its half-edges already bucketed by start vertex.
    public init(of mesh: Mesh, fans: VertexFans) {
        let vertexCount = mesh.vertexCount
        let idx = mesh.indices
        let start = fans.start, buckets = fans.buckets
        var degenerate = 0
        idx.withUnsafeBufferPointer { ix in
            var t = 0
            while t < ix.count {
                let a = ix[t], bb = ix[t &+ 1], c = ix[t &+ 2]
                if a == bb || bb == c || c == a || Self.area2(mesh, a, bb, c) == 0 { degenerate &+= 1 }
                t &+= 3
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
            buckets.withUnsafeBufferPointer { bk in
                idx.withUnsafeBufferPointer { ix in
                    let s = SendableReadOnlyPointer(st.baseAddress!), b = SendableReadOnlyPointer(bk.baseAddress!)
                    let corners = SendableReadOnlyPointer(ix.baseAddress!)
                    // The end of half-edge h and the third vertex of its triangle.
                    @Sendable @inline(__always) func end(_ h: UInt32) -> UInt32 {
                        let c = h % 3
                        return corners.base[Int(c == 2 ? h &- 2 : h &+ 1)]
                    }
                    @Sendable @inline(__always) func third(_ h: UInt32) -> UInt32 {
                        let c = h % 3
                        return corners.base[Int(c == 0 ? h &+ 2 : h &- 1)]
                    }
                    parallelForChunks(vertexCount, chunks: chunks) { chunk, range in
                        var repeated = 0, unpaired = 0, nonManifold = 0
                        // A vertex v's triangles (v, a, c), one per outgoing half-edge v → a:
                        // targets holds each a, thirds each c. The same triangle holds the
                        // incoming half-edge c → v, so v → a has its opposite a → v exactly
                        // when a is some triangle's third: every check reads v's own list.
                        var capacity = 64
                        var targets = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
                        var thirds = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
                        defer {
                            targets.deallocate()
                            thirds.deallocate()
                        }
                        for from in range {
                            let begin = Int(s[from]), degree = Int(s[from + 1]) - begin
                            guard degree > 0 else { continue }
                            if degree > capacity {
                                targets.deallocate()
                                thirds.deallocate()
                                capacity = degree
                                targets = .allocate(capacity: capacity)
                                thirds = .allocate(capacity: capacity)
                            }
                            for i in 0..<degree {
                                targets[i] = end(b[begin &+ i])
                                thirds[i] = third(b[begin &+ i])
                            }
                            for i in 0..<degree {
                                let to = targets[i]
                                var same = 0, opposite = 0
                                for j in 0..<degree {
                                    if targets[j] == to { same &+= 1 }
                                    if thirds[j] == to { opposite &+= 1 }
                                }
                                if same > 1 { repeated &+= 1 }
                                if opposite == 0 { unpaired &+= 1 }
                            }
                            // The triangle (v, a, c) is followed around v by the one that starts v → c.
                            var steps = 0, current = 0
                            repeat {
                                let next = thirds[current]
                                var found = -1
                                for j in 0..<degree where targets[j] == next {
                                    found = j
                                    break
                                }
                                guard found >= 0 else { break }
                                current = found
                                steps &+= 1
                            } while current != 0 && steps <= degree
                            if steps != degree || current != 0 { nonManifold &+= 1 }
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

/// A mesh's half-edges bucketed by their start vertex: each lookup scans only a vertex's few
/// outgoing edges. A bucket holds half-edge numbers (3 × triangle + corner), from which the
/// edge's end and the triangle's third vertex are read: one 4-byte entry per half-edge.
public struct VertexFans: Sendable {
    /// Vertex v's half-edges are `buckets[start[v] ..< start[v + 1]]`.
    public let start: [Int32]
    public let buckets: [UInt32]

    public init(of mesh: Mesh) {
        let vertexCount = mesh.vertexCount
        let idx = mesh.indices
        var start = [Int32](onHugePages: vertexCount + 1, repeating: 0)
        start.withUnsafeMutableBufferPointer { s in
            idx.withUnsafeBufferPointer { ix in
                for v in ix { s[Int(v) &+ 1] &+= 1 }
            }
            for v in 0..<vertexCount { s[v &+ 1] &+= s[v] }
        }
        var buckets = [UInt32](onHugePages: idx.count, repeating: 0)
        idx.withUnsafeBufferPointer { ix in
            var fill = start
            fill.withUnsafeMutableBufferPointer { f in
                buckets.withUnsafeMutableBufferPointer { b in
                    var h = 0
                    while h < ix.count {
                        let v = Int(ix[h])
                        b[Int(f[v])] = UInt32(h)
                        f[v] &+= 1
                        h &+= 1
                    }
                }
            }
        }
        self.start = start
        self.buckets = buckets
    }
}
