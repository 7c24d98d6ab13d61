import ForgeCore
import ForgeMorphology

/// The intrinsic permeability tensor of the pores of a periodic voxel cell: periodic Stokes
/// flow (`StokesSystem`) driven by a unit pressure gradient along each axis, solved by MINRES
/// preconditioned with an aggregation multigrid V-cycle per velocity component and the
/// identity on the pressure (the Schur complement of −Δ is spectrally close to it).
///
/// With unit viscosity and voxel spacing, the cell-averaged (Darcy) velocity under a unit
/// gradient along j is column j of the permeability in voxel² units. The velocity field is
/// not kept: its mean is accumulated from MINRES's direction vectors, which leaves four
/// system vectors and the three multigrid hierarchies.
public struct StokesPermeability: Sendable {
    public struct Solve: Sendable, Equatable {
        public var iterations: Int
        /// Preconditioned residual norm relative to the right-hand side's.
        public var residual: Double
        public var converged: Bool
    }

    public struct Result: Sendable {
        /// 3 × 3, row-major, in voxel² (multiply by the voxel edge squared for m²).
        public var permeability: [Double]
        public var solves: [Solve]
        /// With `keepFlow`: per solved axis, the flow speed at each voxel centre (the face
        /// velocities averaged to the centre), in voxel² per unit gradient — its mean over the
        /// cell along the load is that axis's permeability.
        public var speed: [[Float]] = []
    }

    /// 1 where the voxel is pore (fluid).
    public let pores: VoxelMask
    public var tolerance: Double
    public var maxIterations: Int
    /// The last step may change the load axis's permeability by at most this share of it.
    public var settling = 1e-3
    /// Keep the velocity field (12 more floats per voxel) and return the flow speed.
    public var keepFlow = false

    public init(pores: VoxelMask, tolerance: Double = 1e-3, maxIterations: Int = 3000) {
        self.pores = pores
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Floats per voxel the solve holds at its peak (system vectors, operators, multigrid).
    public static let floatsPerVoxel = 16 + 3 * AggregationMultigrid.floatsPerCell + 1

    /// Solves for a gradient along each of `axes`; `progress(axis, iteration, residual)` every iteration.
    public func solve(axes: [Int] = [0, 1, 2], progress: (Int, Int, Double) -> Void = { _, _, _ in }) -> Result {
        let size = pores.size
        let count = size.count
        let system = StokesSystem(pores: pores)
        let multigrid = system.velocity.map { AggregationMultigrid($0) }
        func vector() -> [FloatBuffer] { (0..<4).map { _ in FloatBuffer(count: count) } }
        var r1 = vector(), r2 = vector(), y = vector()
        let v = vector()
        var tensor = [Double](repeating: 0, count: 9)
        var solves: [Solve] = []
        var speeds: [[Float]] = []
        // With keepFlow: the velocity x and MINRES's last three directions w, w1, w2.
        let flowCount = keepFlow ? count : 0
        let velocity = (0..<3).map { _ in FloatBuffer(count: flowCount) }
        var w = (0..<3).map { _ in FloatBuffer(count: flowCount) }
        var w1 = (0..<3).map { _ in FloatBuffer(count: flowCount) }
        var w2 = (0..<3).map { _ in FloatBuffer(count: flowCount) }

        func precondition(_ r: [FloatBuffer], into z: [FloatBuffer]) {
            for a in 0..<3 { multigrid[a].apply(r[a], into: z[a]) }
            z[3].copy(from: r[3])
        }
        func dot(_ a: [FloatBuffer], _ b: [FloatBuffer]) -> Double { (0..<4).reduce(0.0) { $0 + BufferMath.dot(a[$1], b[$1]) } }
        func mean(_ a: FloatBuffer) -> Double {
            let p = a.sendable
            return BufferMath.reduce(count) { range in range.reduce(0.0) { $0 + Double(p[$1]) } } / Double(count)
        }

        for axis in axes {
            // b: unit force along `axis` on its open faces.
            for part in r1 { part.zero() }
            system.openFaces[axis].withUnsafeBufferPointer { open in
                for i in 0..<count where open[i] != 0 { r1[axis].pointer[i] = 1 }
            }
            precondition(r1, into: y)
            let beta1 = max(dot(r1, y), 0).squareRoot()
            var iterations = 0
            var relative = beta1 > 0 ? 1.0 : 0.0
            var meanX = [0.0, 0.0, 0.0]
            if keepFlow { for b in velocity + w + w1 + w2 { b.zero() } }
            if beta1 > 0 {
                for a in 0..<4 { r2[a].copy(from: r1[a]) }
                var meanY = (0..<3).map { mean(y[$0]) }
                var (oldb, beta, dbar, epsln, phibar) = (0.0, beta1, 0.0, 0.0, beta1)
                var (cs, sn) = (-1.0, 0.0)
                var meanW = [0.0, 0.0, 0.0], meanW2 = [0.0, 0.0, 0.0]
                while iterations < maxIterations {
                    iterations += 1
                    let s = 1 / beta
                    for a in 0..<4 {
                        v[a].zero()
                        BufferMath.axpy(Float(s), y[a], v[a])
                    }
                    let meanV = meanY.map { $0 * s }
                    system.apply(v, into: y)
                    if iterations >= 2 { for a in 0..<4 { BufferMath.axpy(Float(-beta / oldb), r1[a], y[a]) } }
                    let alfa = dot(v, y)
                    for a in 0..<4 { BufferMath.axpy(Float(-alfa / beta), r2[a], y[a]) }
                    swap(&r1, &r2)
                    swap(&r2, &y)
                    precondition(r2, into: y)
                    meanY = (0..<3).map { mean(y[$0]) }
                    oldb = beta
                    beta = max(dot(r2, y), 0).squareRoot()
                    let oldeps = epsln
                    let delta = cs * dbar + sn * alfa
                    let gbar = sn * dbar - cs * alfa
                    epsln = sn * beta
                    dbar = -cs * beta
                    let gamma = max((gbar * gbar + beta * beta).squareRoot(), 1e-300)
                    cs = gbar / gamma
                    sn = beta / gamma
                    let phi = cs * phibar
                    phibar = sn * phibar
                    let meanW1 = meanW2
                    meanW2 = meanW
                    meanW = (0..<3).map { (meanV[$0] - oldeps * meanW1[$0] - delta * meanW2[$0]) / gamma }
                    for a in 0..<3 { meanX[a] += phi * meanW[a] }
                    if keepFlow {
                        // w ← (v − ε w1 − δ w2)/γ with w1, w2 the two before; x += φ w.
                        (w1, w2, w) = (w2, w, w1)
                        for a in 0..<3 {
                            let ws = w[a].sendable, vs = v[a].sendable, a1 = w1[a].sendable, a2 = w2[a].sendable
                            let xs = velocity[a].sendable
                            let (e, d, g, f) = (Float(oldeps), Float(delta), Float(1 / gamma), Float(phi))
                            parallelForRanges(count, minimumChunk: 1 << 15) { range in
                                for i in range {
                                    let next = (vs[i] - e * a1[i] - d * a2[i]) * g
                                    ws[i] = next
                                    xs[i] += f * next
                                }
                            }
                        }
                    }
                    relative = phibar / beta1
                    progress(axis, iterations, relative)
                    let step = abs(phi * meanW[axis])
                    let settled = step <= max(settling * abs(meanX[axis]), 1e-9)
                    if relative <= tolerance && settled || relative <= tolerance * 1e-3 || beta == 0 { break }
                }
            }
            for i in 0..<3 { tensor[3 * i + axis] = meanX[i] }
            if keepFlow { speeds.append(centreSpeed(velocity)) }
            solves.append(Solve(iterations: iterations, residual: relative, converged: relative <= tolerance))
        }
        return Result(permeability: tensor, solves: solves, speed: speeds)
    }

    /// |u| at voxel centres, each component the mean of the two faces around the centre.
    private func centreSpeed(_ u: [FloatBuffer]) -> [Float] {
        let grid = PeriodicIndex(pores.size)
        return [Float](unsafeUninitializedCapacity: pores.size.count) { out, initialised in
            let o = SendablePointer(out.baseAddress!)
            let u0 = u[0].sendable, u1 = u[1].sendable, u2 = u[2].sendable
            parallelForRanges(pores.size.count, minimumChunk: 1 << 15) { range in
                for i in range {
                    let x = 0.5 * (u0[i] + u0[grid.previous(i, 0)])
                    let y = 0.5 * (u1[i] + u1[grid.previous(i, 1)])
                    let z = 0.5 * (u2[i] + u2[grid.previous(i, 2)])
                    o[i] = (x * x + y * y + z * z).squareRoot()
                }
            }
            initialised = pores.size.count
        }
    }
}
