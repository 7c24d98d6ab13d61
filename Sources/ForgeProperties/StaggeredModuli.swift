import ForgeCore
import ForgeMorphology

/// Lamé moduli of a voxel grid as the staggered-grid elasticity operator reads them: λ and μ
/// at every voxel centre (where the normal strains live), and a shear modulus on every edge
/// (where the shear strains live), the harmonic mean of the four voxels around the edge.
///
/// The harmonic mean makes the scheme exact for laminates (the series rule across layers)
/// and sets an edge that touches a pore to zero, so a pore carries no stress of any kind:
/// the void phase has exactly zero stiffness, however large the contrast.
///
/// Edge numbering: edge `xy` of voxel (x, y, z) runs along z through the voxel's corner
/// (x, y); it is shared by voxels x−1…x, y−1…y in layer z. Likewise `xz` (along y, at x and
/// z) and `yz` (along x, at y and z). Indices wrap: the grid is one periodic cell.
public struct StaggeredModuli: Sendable {
    public let size: GridSize
    /// λ per voxel, GPa (or any unit the caller keeps to).
    public let lambda: [Float]
    /// μ per voxel.
    public let mu: [Float]
    /// Shear modulus on the xy, xz and yz edges of each voxel.
    public let edgeXY: [Float]
    public let edgeXZ: [Float]
    public let edgeYZ: [Float]

    /// Moduli from per-voxel λ and μ. Each must have `size.count` entries, μ ≥ 0.
    public init(size: GridSize, lambda: [Float], mu: [Float]) {
        precondition(lambda.count == size.count && mu.count == size.count)
        self.size = size
        self.lambda = lambda
        self.mu = mu
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        func edges(_ da: (Int, Int, Int), _ db: (Int, Int, Int)) -> [Float] {
            [Float](onHugePages: size.count) { out in
                let o = SendablePointer(out.baseAddress!)
                mu.withUnsafeBufferPointer { m in
                    let m = SendableReadOnlyPointer(m.baseAddress!)
                    parallelForRanges(nz) { zs in
                        for z in zs {
                            for y in 0..<ny {
                                for x in 0..<nx {
                                    let xa = (x - da.0 + nx) % nx, ya = (y - da.1 + ny) % ny, za = (z - da.2 + nz) % nz
                                    let xb = (x - db.0 + nx) % nx, yb = (y - db.1 + ny) % ny, zb = (z - db.2 + nz) % nz
                                    let xc = (xa - db.0 + nx) % nx, yc = (ya - db.1 + ny) % ny, zc = (za - db.2 + nz) % nz
                                    let m0 = m[x + nx * (y + ny * z)], m1 = m[xa + nx * (ya + ny * za)]
                                    let m2 = m[xb + nx * (yb + ny * zb)], m3 = m[xc + nx * (yc + ny * zc)]
                                    var inverse: Float = 0, solid: Float = 0
                                    for value in [m0, m1, m2, m3] where value > 0 {
                                        inverse += 1 / value
                                        solid += 1
                                    }
                                    o[x + nx * (y + ny * z)] = solid == 0 ? 0 : solid * solid / (4 * inverse)
                                }
                            }
                        }
                    }
                }
            }
        }
        edgeXY = edges((1, 0, 0), (0, 1, 0))
        edgeXZ = edges((1, 0, 0), (0, 0, 1))
        edgeYZ = edges((0, 1, 0), (0, 0, 1))
    }

    /// The solid's (λ, μ) scaled per voxel by `fraction` (0 = pore, 1 = solid; values between
    /// for the averaged cells of a coarse solve).
    public init(size: GridSize, solidLambda: Float, solidMu: Float, fraction: [Float]) {
        precondition(fraction.count == size.count)
        self.init(size: size, lambda: fraction.map { $0 * solidLambda }, mu: fraction.map { $0 * solidMu })
    }
}

extension StaggeredModuli {
    /// The solid of `mask` in `material` (GPa), the rest empty.
    public init(mask: VoxelMask, material: SolidMaterial) {
        let lambda = Float(material.lambdaGPa), mu = Float(material.shearModulusGPa)
        self.init(size: mask.size, lambda: mask.bits.map { $0 != 0 ? lambda : 0 },
                  mu: mask.bits.map { $0 != 0 ? mu : 0 })
    }
}
