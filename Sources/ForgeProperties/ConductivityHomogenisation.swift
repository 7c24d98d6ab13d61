import ForgeCore
import ForgeMorphology

/// The effective conductivity (or diffusivity) of one phase of a periodic voxel cell, relative
/// to the phase's own, with the other phase insulating.
///
/// Cell-centred finite volumes: the potential lives on voxels, and a face conducts with the
/// harmonic mean of the two voxels it joins (1 between two conducting voxels, 0 otherwise),
/// the discretisation TauFactor uses. For a unit macroscopic gradient along each axis the
/// periodic fluctuation solves a seven-point problem (`LinkOperator`) by conjugate gradients
/// preconditioned with one aggregation multigrid V-cycle; the effective tensor is the mean
/// face flux.
public struct ConductivityHomogenisation: Sendable {
    public struct Solve: Sendable, Equatable {
        public var iterations: Int
        /// ‖r‖_M / ‖r₀‖_M reached.
        public var residual: Double
        public var converged: Bool
    }

    public struct Result: Sendable {
        /// 3 × 3, row-major: column j is the mean flux under a unit gradient along j.
        public var conductivity: [Double]
        public var solves: [Solve]
    }

    /// The two phases (0 and 1)…
    public let phase: VoxelMask
    /// …and their conductivities; by default phase 1 conducts with unit conductivity and
    /// phase 0 insulates.
    public let conductivities: (Float, Float)
    public var tolerance: Double
    public var maxIterations: Int

    /// The last step may lower the conductivity by at most this share of it.
    public var settling = 1e-3

    public init(phase: VoxelMask, conductivities: (Float, Float) = (0, 1), tolerance: Double = 1e-2,
                maxIterations: Int = 2000) {
        precondition(conductivities.0 >= 0 && conductivities.1 >= 0 && conductivities.0 + conductivities.1 > 0)
        self.phase = phase
        self.conductivities = conductivities
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Floats per voxel the solve holds at its peak.
    public static let floatsPerVoxel = 4 + AggregationMultigrid.floatsPerCell

    /// Solves along each of `axes`; `progress(axis, iteration, residual)` every iteration.
    public func solve(axes: [Int] = [0, 1, 2], progress: (Int, Int, Double) -> Void = { _, _, _ in }) -> Result {
        let size = phase.size
        let op = phase.bits.withUnsafeBufferPointer { bits in
            LinkOperator(size: size) { links, _ in
                ConductivityHomogenisation.faceLinks(bits, conductivities: conductivities, size: size, into: links)
            }
        }
        let multigrid = AggregationMultigrid(op)
        let x = FloatBuffer(count: size.count), r = FloatBuffer(count: size.count)
        let z = FloatBuffer(count: size.count), p = FloatBuffer(count: size.count)
        let ap = FloatBuffer(count: size.count)
        var tensor = [Double](repeating: 0, count: 9)
        var solves: [Solve] = []
        for axis in axes {
            let linked = loadRightHandSide(op, axis: axis, into: r)
            x.zero()
            multigrid.apply(r, into: z)
            p.copy(from: z)
            var rz = BufferMath.dot(r, z)
            let rz0 = rz
            var iterations = 0
            var relative = rz0 > 0 ? 1.0 : 0.0
            // With x₀ = 0, b·x after k steps is Σ αⱼ rⱼ·zⱼ, so the estimate
            // K = ⟨wᵃ⟩ − b·x / N costs nothing; it falls monotonically to the answer.
            var estimate = linked
            var lastSettled = false, exhausted = false
            while iterations < maxIterations && rz0 > 0 {
                let pap = op.apply(p, into: ap)
                // A direction with no energy left: the solution is exact to Float precision.
                guard pap > 0 else {
                    exhausted = lastSettled
                    break
                }
                let alpha = rz / pap
                let step = alpha * rz / Double(size.count)
                estimate -= step
                BufferMath.axpy(Float(alpha), p, x)
                BufferMath.axpy(-Float(alpha), ap, r)
                multigrid.apply(r, into: z)
                let rzNew = BufferMath.dot(r, z)
                iterations += 1
                relative = (max(rzNew, 0) / rz0).squareRoot()
                progress(axis, iterations, relative)
                // Converged when the residual is down and the conductivity has settled (the
                // energy converges with the square of the error); a phase that does not
                // connect settles against a floor of 10⁻⁷ of its face density.
                let settled = step <= max(settling * estimate, 1e-7 * linked)
                lastSettled = settled
                if relative <= tolerance && settled || relative <= tolerance * 1e-3 { break }
                BufferMath.xpby(z, Float(rzNew / rz), p)
                rz = rzNew
            }
            let flux = meanFlux(op, potential: x, axis: axis)
            for i in 0..<3 { tensor[3 * i + axis] = flux[i] }
            solves.append(Solve(iterations: iterations, residual: relative, converged: relative <= tolerance || exhausted))
        }
        return Result(conductivity: tensor, solves: solves)
    }

    /// wᵃᵢ = the harmonic mean of the conductivities of voxel i and its +a neighbour (the two
    /// half-voxels in series).
    static func faceLinks(_ bits: UnsafeBufferPointer<UInt8>, conductivities: (Float, Float), size: GridSize,
                          into links: [UnsafeMutablePointer<Float>]) {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let b = SendableReadOnlyPointer(bits.baseAddress!)
        let w = links.map { SendablePointer($0) }
        let sigma = [conductivities.0, conductivities.1]
        let between = (0..<4).map { k -> Float in
            let (a, c) = (sigma[k >> 1], sigma[k & 1])
            return a + c > 0 ? 2 * a * c / (a + c) : 0
        }
        parallelForRanges(nz) { zs in
            for z in zs {
                let zp = z == nz - 1 ? 0 : z + 1
                for y in 0..<ny {
                    let yp = y == ny - 1 ? 0 : y + 1
                    for x in 0..<nx {
                        let i = x + nx * (y + ny * z)
                        let xp = x == nx - 1 ? 0 : x + 1
                        let here = 2 * Int(b[i] & 1)
                        w[0][i] = between[here + Int(b[xp + nx * (y + ny * z)] & 1)]
                        w[1][i] = between[here + Int(b[x + nx * (yp + ny * z)] & 1)]
                        w[2][i] = between[here + Int(b[x + nx * (y + ny * zp)] & 1)]
                    }
                }
            }
        }
    }

    /// bᵢ = wᵃᵢ − wᵃ_{i−eₐ}: the divergence of the flux a unit gradient along `axis` drives.
    /// Returns ⟨wᵃ⟩, the share of open faces across the axis.
    private func loadRightHandSide(_ op: LinkOperator, axis: Int, into b: FloatBuffer) -> Double {
        let s = op.size
        let w = op.links[axis].sendable, out = b.sendable
        let grid = PeriodicIndex(s)
        parallelForRanges(s.count, minimumChunk: 1 << 15) { range in
            for i in range { out[i] = w[i] - w[grid.previous(i, axis)] }
        }
        return BufferMath.reduce(s.count) { range in range.reduce(0.0) { $0 + Double(w[$1]) } } / Double(s.count)
    }

    /// ⟨wᵇ (x_{i+b} − xᵢ + δ_ab)⟩ for b = x, y, z: the mean flux (sign: along the gradient).
    private func meanFlux(_ op: LinkOperator, potential x: FloatBuffer, axis: Int) -> [Double] {
        let s = op.size
        let v = x.sendable
        return (0..<3).map { b in
            let w = op.links[b].sendable
            let grid = PeriodicIndex(s)
            let unit: Float = b == axis ? 1 : 0
            let total = BufferMath.reduce(s.count) { range in
                var sum = 0.0
                for i in range where w[i] != 0 { sum += Double(w[i] * (v[grid.next(i, b)] - v[i] + unit)) }
                return sum
            }
            return total / Double(s.count)
        }
    }
}
