/// A symmetric 4 × 4 error quadric (Garland & Heckbert 1997): the sum of squared distances
/// from a point to a set of planes, stored as its ten distinct entries.
struct Quadric {
    var a2 = 0.0, ab = 0.0, ac = 0.0, ad = 0.0
    var b2 = 0.0, bc = 0.0, bd = 0.0
    var c2 = 0.0, cd = 0.0
    var d2 = 0.0
    /// The sum of the planes' weights.
    var weight = 0.0

    /// The quadric of the plane n·x + d = 0 (n unit), weighted by `weight`.
    init(normal n: SIMD3<Double>, d: Double, weight: Double) {
        a2 = weight * n.x * n.x; ab = weight * n.x * n.y; ac = weight * n.x * n.z; ad = weight * n.x * d
        b2 = weight * n.y * n.y; bc = weight * n.y * n.z; bd = weight * n.y * d
        c2 = weight * n.z * n.z; cd = weight * n.z * d
        d2 = weight * d * d
        self.weight = weight
    }

    init() {}

    @inline(__always)
    static func += (q: inout Quadric, r: Quadric) {
        q.a2 += r.a2; q.ab += r.ab; q.ac += r.ac; q.ad += r.ad
        q.b2 += r.b2; q.bc += r.bc; q.bd += r.bd
        q.c2 += r.c2; q.cd += r.cd; q.d2 += r.d2
        q.weight += r.weight
    }

    @inline(__always)
    static func + (q: Quadric, r: Quadric) -> Quadric {
        var s = q
        s += r
        return s
    }

    /// Squared-distance error at `p`.
    @inline(__always)
    func error(_ p: SIMD3<Double>) -> Double {
        let (x, y, z) = (p.x, p.y, p.z)
        return a2 * x * x + 2 * ab * x * y + 2 * ac * x * z + 2 * ad * x
            + b2 * y * y + 2 * bc * y * z + 2 * bd * y
            + c2 * z * z + 2 * cd * z + d2
    }

    /// The point of least error, when the 3 × 3 system is well conditioned.
    @inline(__always)
    func minimiser() -> SIMD3<Double>? {
        let det = a2 * (b2 * c2 - bc * bc) - ab * (ab * c2 - bc * ac) + ac * (ab * bc - b2 * ac)
        let scale = max(a2 * b2 * c2, 1e-300)
        guard abs(det) > 1e-9 * scale else { return nil }
        let r = SIMD3(-ad, -bd, -cd)
        let x = (r.x * (b2 * c2 - bc * bc) - ab * (r.y * c2 - bc * r.z) + ac * (r.y * bc - b2 * r.z)) / det
        let y = (a2 * (r.y * c2 - bc * r.z) - r.x * (ab * c2 - bc * ac) + ac * (ab * r.z - r.y * ac)) / det
        let z = (a2 * (b2 * r.z - r.y * bc) - ab * (ab * r.z - r.y * ac) + r.x * (ab * bc - b2 * ac)) / det
        return SIMD3(x, y, z)
    }
}
