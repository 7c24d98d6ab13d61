/// Triangulations of the 256 sign patterns of a grid cube, derived from first principles
/// rather than typed in.
///
/// Corner `c` sits at `(c & 1, c >> 1 & 1, c >> 2 & 1)`; bit `c` of a case is set when that
/// corner is solid (f > 0). Edges 0–3 run along x from corners (0, dy, dz) with
/// (dy, dz) = (0,0), (1,0), (0,1), (1,1); edges 4–7 along y from (dx, 0, dz); edges 8–11
/// along z from (dx, dy, 0).
///
/// On each face the crossing points are joined so that every run of solid corners is cut
/// off on its own (an ambiguous face separates its two solid corners). The rule depends on
/// the face's four signs only, so two cells sharing a face draw the same segments, in
/// opposite directions: the surface is closed and every edge has two opposite half-edges.
/// The face segments of one cube chain into loops, each fanned into triangles whose
/// right-hand normal points from solid to void.
public struct MarchingCubesTable: Sendable {
    /// An unordered pair of edge numbers.
    private struct Pair: Hashable {
        let low: Int, high: Int
        init(_ a: Int, _ b: Int) { (low, high) = (min(a, b), max(a, b)) }
    }

    /// Edge numbers of all triangles of case `c`: `triangles[offsets[c] ..< offsets[c + 1]]`,
    /// three per triangle.
    public let triangles: [UInt8]
    public let offsets: [Int]

    public static let shared = MarchingCubesTable()

    /// The two corners an edge joins.
    public static let edgeCorners: [(Int, Int)] = (0..<12).map { e in
        let axis = e / 4, a = e % 4
        let lowBits: Int
        switch axis {
        case 0: lowBits = (a & 1) << 1 | (a >> 1) << 2
        case 1: lowBits = (a & 1) | (a >> 1) << 2
        default: lowBits = (a & 1) | (a >> 1) << 1
        }
        return (lowBits, lowBits | 1 << axis)
    }

    private init() {
        var triangles: [UInt8] = []
        var offsets = [0]
        var flip = false
        for pass in 0..<2 {
            triangles = []
            offsets = [0]
            for c in 0..<256 {
                for t in Self.triangulate(case: c) {
                    triangles += flip ? [t.0, t.2, t.1] : [t.0, t.1, t.2]
                }
                offsets.append(triangles.count)
            }
            // Case 1 (only corner 0 solid) must face away from corner 0.
            if pass == 0 {
                let t = Array(triangles[offsets[1]..<offsets[2]])
                let p = t.map { Self.edgeMidpoint(Int($0)) }
                let n = Self.cross(Self.sub(p[1], p[0]), Self.sub(p[2], p[0]))
                flip = n.0 + n.1 + n.2 < 0
                if !flip { break }
            }
        }
        self.triangles = triangles
        self.offsets = offsets
    }

    private static func edge(between a: Int, _ b: Int) -> Int {
        let key = (min(a, b), max(a, b))
        return edgeCorners.firstIndex { $0 == key }!
    }

    /// The four corners of each face, counter-clockwise seen from outside the cube.
    private static let faces: [[Int]] = {
        var result: [[Int]] = []
        for axis in 0..<3 {
            for side in 0..<2 {
                let (u, v) = side == 1 ? ((axis + 1) % 3, (axis + 2) % 3) : ((axis + 2) % 3, (axis + 1) % 3)
                let square = [(0, 0), (1, 0), (1, 1), (0, 1)]
                result.append(square.map { side << axis | $0.0 << u | $0.1 << v })
            }
        }
        return result
    }()

    private static func triangulate(case c: Int) -> [(UInt8, UInt8, UInt8)] {
        var next = [Int](repeating: -1, count: 12)
        for face in faces {
            let solid = face.map { c >> $0 & 1 == 1 }
            let crossing = (0..<4).map { edge(between: face[$0], face[($0 + 1) % 4]) }
            for i in 0..<4 where !solid[i] && solid[(i + 1) % 4] {
                var j = (i + 1) % 4
                while solid[(j + 1) % 4] { j = (j + 1) % 4 }
                precondition(next[crossing[i]] == -1, "edge used twice in one cube")
                next[crossing[i]] = crossing[j]
            }
        }
        var result: [(UInt8, UInt8, UInt8)] = []
        var visited = [Bool](repeating: false, count: 12)
        for start in 0..<12 where next[start] >= 0 && !visited[start] {
            var loop: [Int] = []
            var e = start
            while !visited[e] {
                visited[e] = true
                loop.append(e)
                e = next[e]
            }
            precondition(e == start && loop.count >= 3, "open loop in case \(c)")
            let segments = Set(loop.indices.map { Pair(loop[$0], loop[($0 + 1) % loop.count]) })
            guard let triangles = triangulate(loop, allowing: { a, b in
                segments.contains(Pair(a, b)) || !shareFace(a, b)
            }) else { preconditionFailure("no valid triangulation for case \(c)") }
            result += triangles.map { (UInt8($0.0), UInt8($0.1), UInt8($0.2)) }
        }
        return result
    }

    /// Triangulates a polygon keeping its orientation, using only diagonals that `allowing`
    /// accepts. Two crossing points on one face that no face segment joins must not be
    /// joined by a diagonal either: the cell across that face could draw the same one.
    private static func triangulate(_ polygon: [Int], allowing: (Int, Int) -> Bool) -> [(Int, Int, Int)]? {
        let n = polygon.count
        if n == 3 { return [(polygon[0], polygon[1], polygon[2])] }
        for k in 2..<n {
            if k != 2 && !allowing(polygon[1], polygon[k]) { continue }
            if k != n - 1 && !allowing(polygon[0], polygon[k]) { continue }
            var triangles = [(polygon[0], polygon[1], polygon[k])]
            if k > 2 {
                guard let left = triangulate(Array(polygon[1...k]), allowing: allowing) else { continue }
                triangles += left
            }
            if k < n - 1 {
                guard let right = triangulate(Array(polygon[k...]) + [polygon[0]], allowing: allowing) else { continue }
                triangles += right
            }
            return triangles
        }
        return nil
    }

    /// True when edges `a` and `b` lie on a common face of the cube.
    private static func shareFace(_ a: Int, _ b: Int) -> Bool {
        let (a0, a1) = edgeCorners[a], (b0, b1) = edgeCorners[b]
        return faces.contains { face in
            face.contains(a0) && face.contains(a1) && face.contains(b0) && face.contains(b1)
        }
    }

    private static func edgeMidpoint(_ e: Int) -> (Double, Double, Double) {
        let (a, b) = edgeCorners[e]
        func p(_ c: Int) -> (Double, Double, Double) { (Double(c & 1), Double(c >> 1 & 1), Double(c >> 2 & 1)) }
        let pa = p(a), pb = p(b)
        return ((pa.0 + pb.0) / 2, (pa.1 + pb.1) / 2, (pa.2 + pb.2) / 2)
    }

    private static func sub(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (Double, Double, Double) {
        (a.0 - b.0, a.1 - b.1, a.2 - b.2)
    }

    private static func cross(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> (Double, Double, Double) {
        (a.1 * b.2 - a.2 * b.1, a.2 * b.0 - a.0 * b.2, a.0 * b.1 - a.1 * b.0)
    }
}
