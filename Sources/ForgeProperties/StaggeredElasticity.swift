import ForgeCore

/// Linear elasticity of a periodic voxel cell on a staggered grid (finite differences):
/// each displacement component lives on the centres of the voxel faces normal to it, the
/// normal strains at voxel centres and the shear strains on voxel edges, so every derivative
/// is a plain two-point difference and the discrete operator has no checkerboard modes
/// (no ringing at interfaces) and stays well posed when a phase has zero stiffness.
///
/// With G the strain of a displacement field and D the moduli (`StaggeredModuli`), the
/// energy of a fluctuation u under a macroscopic strain E is ½ (Gu + E)ᵀ D (Gu + E); its
/// minimiser solves Gᵀ D G u = −Gᵀ D E. Voxel edge = 1 (stiffness does not depend on scale).
///
/// Indexing: `ux[x, y, z]` sits on the face at the low-x side of voxel (x, y, z), likewise
/// `uy`, `uz`. Strains in Voigt order xx, yy, zz, yz, xz, xy with engineering shears γ = 2ε.
struct StaggeredElasticity: Sendable {
    let moduli: StaggeredModuli

    var size: GridSize { moduli.size }

    /// σ = D (G u + E) on every voxel and edge; returns the mean of each stress component
    /// over the cell (normal stresses over voxels, shears over edges: one of each per voxel).
    @discardableResult
    func stress(of u: VectorField, plus strain: [Double], into sigma: StressField) -> [Double] {
        precondition(strain.count == 6)
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let (e0, e1, e2) = (Float(strain[0]), Float(strain[1]), Float(strain[2]))
        let (e3, e4, e5) = (Float(strain[3]), Float(strain[4]), Float(strain[5]))
        let chunks = parallelChunkCount(nz)
        let sums = ChunkSlots(count: chunks, initial: [Double](repeating: 0, count: 6))
        let ux = SendableReadOnlyPointer(UnsafePointer(u.component(0)))
        let uy = SendableReadOnlyPointer(UnsafePointer(u.component(1)))
        let uz = SendableReadOnlyPointer(UnsafePointer(u.component(2)))
        let out = (0..<6).map { SendablePointer(sigma.component($0)) }
        moduli.lambda.withUnsafeBufferPointer { lp in
        moduli.mu.withUnsafeBufferPointer { mp in
        moduli.edgeXY.withUnsafeBufferPointer { axy in
        moduli.edgeXZ.withUnsafeBufferPointer { axz in
        moduli.edgeYZ.withUnsafeBufferPointer { ayz in
            let lam = SendableReadOnlyPointer(lp.baseAddress!), mu = SendableReadOnlyPointer(mp.baseAddress!)
            let mxy = SendableReadOnlyPointer(axy.baseAddress!), mxz = SendableReadOnlyPointer(axz.baseAddress!)
            let myz = SendableReadOnlyPointer(ayz.baseAddress!)
            parallelForChunks(nz, chunks: chunks) { chunk, zs in
                var total = [Double](repeating: 0, count: 6)
                let (sxx, syy, szz, syz, sxz, sxy) = (out[0].base, out[1].base, out[2].base, out[3].base, out[4].base, out[5].base)
                let (lx, ly, lz) = (ux.base, uy.base, uz.base)
                for z in zs {
                    let zp = z + 1 == nz ? 0 : z + 1, zm = z == 0 ? nz - 1 : z - 1
                    for y in 0..<ny {
                        let yp = y + 1 == ny ? 0 : y + 1, ym = y == 0 ? ny - 1 : y - 1
                        let row = nx * (y + ny * z)
                        let rowYp = nx * (yp + ny * z), rowYm = nx * (ym + ny * z)
                        let rowZp = nx * (y + ny * zp), rowZm = nx * (y + ny * zm)
                        let rowSum = StressRow(
                            ux: lx + row, uyAhead: ly + rowYp, uzAhead: lz + rowZp,
                            uy: ly + row, uz: lz + row, uxBehindY: lx + rowYm, uxBehindZ: lx + rowZm,
                            uyBehindZ: ly + rowZm, uzBehindY: lz + rowYm,
                            lambda: lam.base + row, mu: mu.base + row,
                            edgeYZ: myz.base + row, edgeXZ: mxz.base + row, edgeXY: mxy.base + row,
                            out: (sxx + row, syy + row, szz + row, syz + row, sxz + row, sxy + row),
                            strain: (e0, e1, e2, e3, e4, e5)
                        ).run(count: nx)
                        for c in 0..<6 { total[c] += Double(rowSum[c]) }
                    }
                }
                sums.store(total, at: chunk)
            }
        }}}}}
        let count = Double(size.count)
        return sums.values.reduce([Double](repeating: 0, count: 6)) { a, b in zip(a, b).map { ($0 + $1) } }
            .map { $0 / count }
    }

    /// out = Gᵀ σ (the negative divergence of the stress, on the faces); returns p · out in
    /// Double when `p` is given.
    @discardableResult
    func adjoint(of sigma: StressField, into target: VectorField, dotWith p: VectorField? = nil) -> Double {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let chunks = parallelChunkCount(nz)
        let sums = ChunkSlots(count: chunks, initial: 0.0)
        let s = (0..<6).map { SendableReadOnlyPointer(UnsafePointer(sigma.component($0))) }
        let o = (0..<3).map { SendablePointer(target.component($0)) }
        let q = p.map { p in (0..<3).map { SendableReadOnlyPointer(UnsafePointer(p.component($0))) } }
        parallelForChunks(nz, chunks: chunks) { chunk, zs in
            let (sxx, syy, szz, syz, sxz, sxy) = (s[0].base, s[1].base, s[2].base, s[3].base, s[4].base, s[5].base)
            let (ox, oy, oz) = (o[0].base, o[1].base, o[2].base)
            var total = 0.0
            for z in zs {
                let zp = z + 1 == nz ? 0 : z + 1, zm = z == 0 ? nz - 1 : z - 1
                for y in 0..<ny {
                    let yp = y + 1 == ny ? 0 : y + 1, ym = y == 0 ? ny - 1 : y - 1
                    let row = nx * (y + ny * z)
                    let rowYp = nx * (yp + ny * z), rowYm = nx * (ym + ny * z)
                    let rowZp = nx * (y + ny * zp), rowZm = nx * (y + ny * zm)
                    AdjointRow(
                        sxx: sxx + row, syy: syy + row, syyBehind: syy + rowYm,
                        szz: szz + row, szzBehind: szz + rowZm, syz: syz + row, sxz: sxz + row, sxy: sxy + row,
                        sxyAheadY: sxy + rowYp, sxzAheadZ: sxz + rowZp, syzAheadZ: syz + rowZp, syzAheadY: syz + rowYp,
                        out: (ox + row, oy + row, oz + row)
                    ).run(count: nx)
                    if let q {
                        for c in 0..<3 {
                            total += Double(dotProduct(UnsafePointer(q[c].base + row), UnsafePointer(o[c].base + row), count: nx))
                        }
                    }
                }
            }
            sums.store(total, at: chunk)
        }
        return sums.values.reduce(0, +)
    }
}
