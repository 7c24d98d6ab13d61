import ForgeCore

/// Young's modulus as a function of direction, E(n) = 1 / (nᵢnⱼnₖnₗ Sᵢⱼₖₗ), drawn as the
/// surface r = E(n) n: a sphere for an isotropic solid, lobes along the stiff directions.
public struct DirectionalStiffness: Sendable {
    public let tensor: StiffnessTensor

    public init(_ tensor: StiffnessTensor) { self.tensor = tensor }

    /// The surface as a closed triangle mesh (a subdivided icosahedron, 20·4ⁿ triangles,
    /// positions in GPa) with E per vertex; nil when E is zero in every direction.
    public func surface(subdivisions: Int) -> (mesh: Mesh, moduli: [Float])? {
        var (points, triangles) = Self.icosphere(subdivisions: subdivisions)
        let moduli = points.map { p in Float(tensor.youngsModulus(along: (p.x, p.y, p.z))) }
        guard (moduli.max() ?? 0) > 0 else { return nil }
        // A direction of zero stiffness would pinch the surface into the origin; keep a speck.
        let floor = (moduli.max() ?? 0) * 1e-3
        for i in points.indices { points[i] *= Double(max(moduli[i], floor)) }
        let positions = points.flatMap { [Float($0.x), Float($0.y), Float($0.z)] }
        return (Mesh(positions: positions, indices: triangles), moduli)
    }

    /// Unit vectors and outward-wound triangles of a subdivided icosahedron.
    static func icosphere(subdivisions: Int) -> ([SIMD3<Double>], [UInt32]) {
        let t = (1 + 5.0.squareRoot()) / 2
        var points: [SIMD3<Double>] = [
            [-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t],
            [0, -1, -t], [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1],
        ].map { (v: SIMD3<Double>) in v / (v * v).sum().squareRoot() }
        var faces: [UInt32] = [0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2,
                               10, 7, 6, 7, 1, 8, 3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5,
                               2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1]
        for _ in 0..<max(0, subdivisions) {
            var midpoints: [UInt64: UInt32] = [:]
            func midpoint(_ a: UInt32, _ b: UInt32) -> UInt32 {
                let key = UInt64(min(a, b)) << 32 | UInt64(max(a, b))
                if let known = midpoints[key] { return known }
                let m = points[Int(a)] + points[Int(b)]
                points.append(m / (m * m).sum().squareRoot())
                let index = UInt32(points.count - 1)
                midpoints[key] = index
                return index
            }
            var next: [UInt32] = []
            next.reserveCapacity(faces.count * 4)
            for f in stride(from: 0, to: faces.count, by: 3) {
                let (a, b, c) = (faces[f], faces[f + 1], faces[f + 2])
                let (ab, bc, ca) = (midpoint(a, b), midpoint(b, c), midpoint(c, a))
                next += [a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca]
            }
            faces = next
        }
        return (points, faces)
    }
}
