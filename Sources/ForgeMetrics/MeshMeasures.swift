import ForgeCore

extension Mesh {
    /// Enclosed volume in mm³ (divergence theorem, Σ p·(q×r)/6 in Double); positive when
    /// the triangles face outward.
    public var signedVolume: Double {
        sumOverTriangles { p, q, r in
            (p.x * (q.y * r.z - q.z * r.y) + p.y * (q.z * r.x - q.x * r.z) + p.z * (q.x * r.y - q.y * r.x)) / 6
        }
    }

    /// Total triangle area in mm².
    public var surfaceArea: Double {
        sumOverTriangles { p, q, r in
            let u = q - p, v = r - p
            let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            return (n * n).sum().squareRoot() / 2
        }
    }

    /// Area in mm² of the triangles lying in a face of the axis-aligned box `bounds` (all
    /// three corners on one of its six planes): the caps where a part is cut by its box.
    /// (The box is the part's, not its mesh's bounds: a part's extreme facets are no caps.)
    public func capArea(bounds: (min: SIMD3<Float>, max: SIMD3<Float>)) -> Double {
        let planes = [Double(bounds.min.x), Double(bounds.min.y), Double(bounds.min.z),
                      Double(bounds.max.x), Double(bounds.max.y), Double(bounds.max.z)]
        return sumOverTriangles { p, q, r in
            for a in 0..<3 {
                for plane in [planes[a], planes[a + 3]] where p[a] == plane && q[a] == plane && r[a] == plane {
                    let u = q - p, v = r - p
                    let n = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
                    return (n * n).sum().squareRoot() / 2
                }
            }
            return 0
        }
    }

    /// Σ term(p, q, r) over the triangles, corners in Double.
    @inline(__always)
    func sumOverTriangles(_ term: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>) -> Double) -> Double {
        var total = 0.0
        positions.withUnsafeBufferPointer { p in
            indices.withUnsafeBufferPointer { idx in
                func corner(_ i: UInt32) -> SIMD3<Double> {
                    let k = Int(i) * 3
                    return SIMD3(Double(p[k]), Double(p[k + 1]), Double(p[k + 2]))
                }
                var t = 0
                while t < idx.count {
                    total += term(corner(idx[t]), corner(idx[t + 1]), corner(idx[t + 2]))
                    t += 3
                }
            }
        }
        return total
    }

    /// Axis-aligned bounds (min, max) in mm; zero for an empty mesh.
    public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>) {
        guard vertexCount > 0 else { return (.zero, .zero) }
        return positions.withUnsafeBufferPointer { p in
            var lo = (p[0], p[1], p[2]), hi = lo
            var i = 3
            while i < p.count {
                let x = p[i], y = p[i &+ 1], z = p[i &+ 2]
                lo = (min(lo.0, x), min(lo.1, y), min(lo.2, z))
                hi = (max(hi.0, x), max(hi.1, y), max(hi.2, z))
                i &+= 3
            }
            return (SIMD3(lo.0, lo.1, lo.2), SIMD3(hi.0, hi.1, hi.2))
        }
    }
}

extension ScalarGrid {
    /// Number of samples with value > 0 (solid voxels of a level set).
    public var positiveCount: Int {
        values.withUnsafeBufferPointer { v in
            var n = 0
            for x in v { n &+= x > 0 ? 1 : 0 }
            return n
        }
    }
}
