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

    /// The mean stress and p · out of one `apply`.
    struct Applied {
        /// Cell averages of σ in Voigt order (normal stresses over voxels, shears over edges).
        var meanStress: [Double]
        var dot: Double
    }

    /// out = Gᵀ D (G u + E) in one pass over the grid: each thread walks its own run of z
    /// layers, keeping the stresses of three layers (the one before, the one it is on, the
    /// one after) in a ring, so the stress field is never stored whole. Also returns the mean
    /// stress and, with `dotWith`, p · out.
    func apply(_ u: VectorField, strain: [Double], into out: VectorField, dotWith p: VectorField? = nil) -> Applied {
        precondition(strain.count == 6)
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let plane = nx * ny
        let e = (Float(strain[0]), Float(strain[1]), Float(strain[2]), Float(strain[3]), Float(strain[4]), Float(strain[5]))
        let chunks = max(1, min(parallelChunkCount(nz) / 4, nz / 2))
        let sums = ChunkSlots(count: chunks, initial: [Double](repeating: 0, count: 7))
        let uc = (0..<3).map { SendableReadOnlyPointer(UnsafePointer(u.component($0))) }
        let oc = (0..<3).map { SendablePointer(out.component($0)) }
        let pc = p.map { p in (0..<3).map { SendableReadOnlyPointer(UnsafePointer(p.component($0))) } }
        moduli.lambda.withUnsafeBufferPointer { lp in
        moduli.mu.withUnsafeBufferPointer { mp in
        moduli.edgeXY.withUnsafeBufferPointer { axy in
        moduli.edgeXZ.withUnsafeBufferPointer { axz in
        moduli.edgeYZ.withUnsafeBufferPointer { ayz in
            let lam = SendableReadOnlyPointer(lp.baseAddress!), mu = SendableReadOnlyPointer(mp.baseAddress!)
            let mxy = SendableReadOnlyPointer(axy.baseAddress!), mxz = SendableReadOnlyPointer(axz.baseAddress!)
            let myz = SendableReadOnlyPointer(ayz.baseAddress!)
            parallelForChunks(nz, chunks: chunks) { chunk, zs in
                // Three layers of six stresses; layer z lives in slot z mod 3.
                let ring = UnsafeMutablePointer<Float>.allocate(capacity: 18 * plane)
                defer { ring.deallocate() }
                func slot(_ z: Int) -> UnsafeMutablePointer<Float> { ring + 6 * plane * (((z % 3) + 3) % 3) }
                let (ux, uy, uz) = (uc[0].base, uc[1].base, uc[2].base)
                /// Stresses of layer z (wrapped) into its slot; returns their sums.
                func stressLayer(_ zIndex: Int) -> SIMD8<Float> {
                    let z = (zIndex % nz + nz) % nz
                    let zp = z + 1 == nz ? 0 : z + 1, zm = z == 0 ? nz - 1 : z - 1
                    let target = slot(zIndex)
                    var total = SIMD8<Float>()
                    for y in 0..<ny {
                        let yp = y + 1 == ny ? 0 : y + 1, ym = y == 0 ? ny - 1 : y - 1
                        let row = nx * (y + ny * z), local = nx * y
                        let rowYp = nx * (yp + ny * z), rowYm = nx * (ym + ny * z)
                        let rowZp = nx * (y + ny * zp), rowZm = nx * (y + ny * zm)
                        total += StressRow(
                            ux: ux + row, uyAhead: uy + rowYp, uzAhead: uz + rowZp,
                            uy: uy + row, uz: uz + row, uxBehindY: ux + rowYm, uxBehindZ: ux + rowZm,
                            uyBehindZ: uy + rowZm, uzBehindY: uz + rowYm,
                            lambda: lam.base + row, mu: mu.base + row,
                            edgeYZ: myz.base + row, edgeXZ: mxz.base + row, edgeXY: mxy.base + row,
                            out: (target + local, target + plane + local, target + 2 * plane + local,
                                  target + 3 * plane + local, target + 4 * plane + local, target + 5 * plane + local),
                            strain: e
                        ).run(count: nx)
                    }
                    return total
                }
                var totals = [Double](repeating: 0, count: 7)
                _ = stressLayer(zs.lowerBound - 1)
                let first = stressLayer(zs.lowerBound)
                for c in 0..<6 { totals[c] += Double(first[c]) }
                for z in zs {
                    let ahead = stressLayer(z + 1)
                    if z + 1 < zs.upperBound { for c in 0..<6 { totals[c] += Double(ahead[c]) } }
                    let here = slot(z), behind = slot(z - 1), next = slot(z + 1)
                    let (sxx, syy, szz, syz, sxz, sxy) = (here, here + plane, here + 2 * plane, here + 3 * plane,
                                                          here + 4 * plane, here + 5 * plane)
                    var dot: Float = 0
                    for y in 0..<ny {
                        let yp = y + 1 == ny ? 0 : y + 1, ym = y == 0 ? ny - 1 : y - 1
                        let (local, localYp, localYm) = (nx * y, nx * yp, nx * ym)
                        let row = nx * (y + ny * z)
                        AdjointRow(
                            sxx: sxx + local, syy: syy + local, syyBehind: syy + localYm,
                            szz: szz + local, szzBehind: behind + 2 * plane + local,
                            syz: syz + local, sxz: sxz + local, sxy: sxy + local,
                            sxyAheadY: sxy + localYp, sxzAheadZ: next + 4 * plane + local,
                            syzAheadZ: next + 3 * plane + local, syzAheadY: syz + localYp,
                            out: (oc[0].base + row, oc[1].base + row, oc[2].base + row)
                        ).run(count: nx)
                        if let pc {
                            for c in 0..<3 {
                                dot += dotProduct(pc[c].base + row, UnsafePointer(oc[c].base + row), count: nx)
                            }
                        }
                    }
                    totals[6] += Double(dot)
                }
                sums.store(totals, at: chunk)
            }
        }}}}}
        let total = sums.values.reduce([Double](repeating: 0, count: 7)) { a, b in zip(a, b).map { $0 + $1 } }
        let count = Double(size.count)
        return Applied(meanStress: total.prefix(6).map { $0 / count }, dot: total[6])
    }
}
