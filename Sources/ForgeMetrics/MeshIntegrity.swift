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
        var fill = start
        var targets = [UInt32](repeating: 0, count: idx.count)
        var thirds = [UInt32](repeating: 0, count: idx.count)
        var t = 0
        while t < idx.count {
            let a = idx[t], b = idx[t + 1], c = idx[t + 2]
            for (from, to, third) in [(a, b, c), (b, c, a), (c, a, b)] {
                targets[Int(fill[Int(from)])] = to
                thirds[Int(fill[Int(from)])] = third
                fill[Int(from)] &+= 1
            }
            if a == b || b == c || c == a || Self.area2(mesh, a, b, c) == 0 { degenerateTriangles += 1 }
            t += 3
        }
        for from in 0..<vertexCount {
            let begin = Int(start[from]), end = Int(start[from + 1])
            for i in begin..<end {
                let to = Int(targets[i])
                var same = 0
                for j in begin..<end where targets[j] == targets[i] { same += 1 }
                if same > 1 { repeatedHalfEdges += 1 }
                var opposite = 0
                for j in Int(start[to])..<Int(start[to + 1]) where targets[j] == UInt32(from) { opposite += 1 }
                if opposite == 0 { unpairedHalfEdges += 1 }
            }
            // The triangle (v, a, b) is followed around v by the one that starts v → b.
            if end > begin {
                var steps = 0, current = begin
                repeat {
                    let next = thirds[current]
                    guard let j = (begin..<end).first(where: { targets[$0] == next }) else { break }
                    current = j
                    steps += 1
                } while current != begin && steps <= end - begin
                if steps != end - begin || current != begin { nonManifoldVertices += 1 }
            }
        }
    }

    private static func area2(_ mesh: Mesh, _ a: UInt32, _ b: UInt32, _ c: UInt32) -> Float {
        let p = mesh.vertex(Int(a)), q = mesh.vertex(Int(b)), r = mesh.vertex(Int(c))
        let u = q - p, v = r - p
        let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return (n * n).sum()
    }
}
