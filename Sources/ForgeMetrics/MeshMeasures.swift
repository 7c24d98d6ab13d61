import ForgeCore

extension Mesh {
    /// Enclosed volume in mm³ (divergence theorem, Σ p·(q×r)/6 in Double); positive when
    /// the triangles face outward.
    public var signedVolume: Double {
        var total = 0.0
        positions.withUnsafeBufferPointer { p in
            indices.withUnsafeBufferPointer { idx in
                var t = 0
                while t < idx.count {
                    let a = Int(idx[t]) * 3, b = Int(idx[t + 1]) * 3, c = Int(idx[t + 2]) * 3
                    let ax = Double(p[a]), ay = Double(p[a + 1]), az = Double(p[a + 2])
                    let bx = Double(p[b]), by = Double(p[b + 1]), bz = Double(p[b + 2])
                    let cx = Double(p[c]), cy = Double(p[c + 1]), cz = Double(p[c + 2])
                    total += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx)
                    t += 3
                }
            }
        }
        return total / 6
    }

    /// Total triangle area in mm².
    public var surfaceArea: Double {
        var total = 0.0
        positions.withUnsafeBufferPointer { p in
            indices.withUnsafeBufferPointer { idx in
                var t = 0
                while t < idx.count {
                    let a = Int(idx[t]) * 3, b = Int(idx[t + 1]) * 3, c = Int(idx[t + 2]) * 3
                    let ux = Double(p[b] - p[a]), uy = Double(p[b + 1] - p[a + 1]), uz = Double(p[b + 2] - p[a + 2])
                    let vx = Double(p[c] - p[a]), vy = Double(p[c + 1] - p[a + 1]), vz = Double(p[c + 2] - p[a + 2])
                    let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx
                    total += (nx * nx + ny * ny + nz * nz).squareRoot()
                    t += 3
                }
            }
        }
        return total / 2
    }

    /// Axis-aligned bounds (min, max) in mm; zero for an empty mesh.
    public var bounds: (min: SIMD3<Float>, max: SIMD3<Float>) {
        guard vertexCount > 0 else { return (.zero, .zero) }
        var lo = vertex(0), hi = lo
        for i in 1..<vertexCount {
            let v = vertex(i)
            lo = pointwiseMin(lo, v)
            hi = pointwiseMax(hi, v)
        }
        return (lo, hi)
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
