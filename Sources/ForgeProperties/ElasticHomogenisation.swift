import ForgeCore

/// The effective (homogenised) stiffness of a periodic voxel cell: six solves of the
/// staggered-grid elasticity problem (`StaggeredElasticity`), one per unit macroscopic strain
/// in Voigt order xx, yy, zz, yz, xz, xy (engineering shear strains), by conjugate gradients
/// preconditioned with the reference material's Green operator (`ReferencePreconditioner`).
///
/// Column j of the result is the cell-averaged stress under unit strain j. The fluctuation
/// field itself is never stored: the average stress is accumulated from the search
/// directions (⟨σ⟩ = ⟨D E⟩ + Σₖ αₖ ⟨D G pₖ⟩), which leaves three vectors (residual, search
/// direction, its image), three FFT buffers and the moduli: about 17 floats per voxel.
public struct ElasticHomogenisation: Sendable {
    /// One load case's solve.
    public struct Solve: Sendable, Equatable {
        public var iterations: Int
        /// ‖r‖_M / ‖r₀‖_M reached (preconditioned residual norm).
        public var residual: Double
        public var converged: Bool
    }

    public struct Result: Sendable {
        /// 6 × 6, row-major, in the moduli's units; rows and columns xx, yy, zz, yz, xz, xy.
        public var stiffness: [Double]
        public var solves: [Solve]
    }

    public let moduli: StaggeredModuli
    /// Stop when the preconditioned residual falls by this factor.
    public var tolerance: Double
    public var maxIterations: Int
    /// The last step may change the load case's diagonal modulus by at most this share of the
    /// tolerance (CG lowers it monotonically, and the remaining error is about twenty steps).
    public var settling = 0.05

    public init(moduli: StaggeredModuli, tolerance: Double = 1e-5, maxIterations: Int = 3000) {
        self.moduli = moduli
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// Solves the six load cases. `progress(case, iteration, residual)` is called every iteration.
    /// The reference material is the stiffest phase's (λ, μ).
    public func solve(progress: (Int, Int, Double) -> Void = { _, _, _ in }) throws -> Result {
        let size = moduli.size
        precondition(!size.isPlanar, "the elastic solve needs a 3D grid")
        let index = moduli.mu.indices.max { moduli.mu[$0] < moduli.mu[$1] } ?? 0
        let mu0 = max(Double(moduli.mu[index]), 1e-30)
        let lambda0 = max(Double(moduli.lambda[index]), 0)
        let operatorG = StaggeredElasticity(moduli: moduli)
        let preconditioner = try ReferencePreconditioner(size: size, lambda0: lambda0, mu0: mu0)
        let r = VectorField(size: size), p = VectorField(size: size), q = VectorField(size: size)
        var stiffness = [Double](repeating: 0, count: 36)
        var solves: [Solve] = []
        for j in 0..<6 {
            var strain = [Double](repeating: 0, count: 6)
            strain[j] = 1
            p.zero()
            var mean = operatorG.apply(p, strain: strain, into: r).meanStress
            let voigt = mean[j]
            negate(r)
            preconditioner.apply(loading: r)
            var rz = dotAndCopy(r, preconditioner: preconditioner, into: p, beta: 0)
            let rz0 = rz
            var iterations = 0
            var relative = rz0 > 0 ? 1.0 : 0.0
            while iterations < maxIterations {
                let applied = operatorG.apply(p, strain: [0, 0, 0, 0, 0, 0], into: q, dotWith: p)
                let (meanP, pq) = (applied.meanStress, applied.dot)
                guard pq > 0 else { break }
                let alpha = rz / pq
                for c in 0..<6 { mean[c] += alpha * meanP[c] }
                subtractAndLoad(r, q, alpha: alpha, preconditioner: preconditioner)
                preconditioner.applyInPlace()
                let rzNew = dot(r, preconditioner: preconditioner)
                iterations += 1
                relative = (max(rzNew, 0) / rz0).squareRoot()
                progress(j, iterations, relative)
                // Converged when the residual is down and the load case's own modulus has
                // settled relative to itself: a direction the structure barely carries (a
                // near-mechanism) has a tiny modulus that a residual alone leaves far too high.
                // A direction carried by nothing at all (a true mechanism, modulus → 0) settles
                // against a floor of 10⁻⁷ of the load case's starting (Voigt) modulus, about
                // the precision of the Float sums.
                let step = abs(alpha * meanP[j])
                let settled = step <= max(settling * tolerance * abs(mean[j]), 1e-7 * abs(voigt))
                if relative <= tolerance && (settled || relative <= tolerance / 100) { break }
                _ = dotAndCopy(r, preconditioner: preconditioner, into: p, beta: rzNew / rz)
                rz = rzNew
            }
            for i in 0..<6 { stiffness[6 * i + j] = mean[i] }
            solves.append(Solve(iterations: iterations, residual: relative, converged: relative <= tolerance))
        }
        return Result(stiffness: stiffness, solves: solves)
    }

    private func negate(_ v: VectorField) {
        let count = 3 * v.stride
        let b = SendablePointer(v.pointer)
        parallelForRanges(count, minimumChunk: 1 << 16) { range in
            for i in range { b.base[i] = -b.base[i] }
        }
    }

    /// r·z, with z in the preconditioner's buffers; and p ← z + β p.
    private func dotAndCopy(_ r: VectorField, preconditioner: ReferencePreconditioner, into p: VectorField,
                            beta: Double) -> Double {
        rowPass(r.size, preconditioner: preconditioner) { c, row, padded, nx in
            let rr = r.component(c) + row * nx, pp = p.component(c) + row * nx
            let zz = UnsafePointer(preconditioner.buffers[c].pointer + row * padded)
            let b = Float(beta), bv = SIMD8<Float>(repeating: b)
            var lanes = SIMD8<Float>()
            var x = 0
            while x + 8 <= nx {
                let z = load8(zz, x)
                lanes += load8(UnsafePointer(rr), x) * z
                store8(z + bv * load8(UnsafePointer(pp), x), pp, x)
                x += 8
            }
            var sum = lanes.sum()
            while x < nx {
                let z = zz[x]
                sum += rr[x] * z
                pp[x] = z + b * pp[x]
                x += 1
            }
            return sum
        }
    }

    private func dot(_ r: VectorField, preconditioner: ReferencePreconditioner) -> Double {
        rowPass(r.size, preconditioner: preconditioner) { c, row, padded, nx in
            let rr = UnsafePointer(r.component(c) + row * nx)
            let zz = UnsafePointer(preconditioner.buffers[c].pointer + row * padded)
            return dotProduct(rr, zz, count: nx)
        }
    }

    /// r ← r − α q, copied into the preconditioner's buffers as it goes.
    private func subtractAndLoad(_ r: VectorField, _ q: VectorField, alpha: Double,
                                 preconditioner: ReferencePreconditioner) {
        _ = rowPass(r.size, preconditioner: preconditioner) { c, row, padded, nx in
            let rr = r.component(c) + row * nx, qq = UnsafePointer(q.component(c) + row * nx)
            let bb = preconditioner.buffers[c].pointer + row * padded
            let a = Float(alpha)
            for x in 0..<nx {
                let v = rr[x] - a * qq[x]
                rr[x] = v
                bb[x] = v
            }
            return 0
        }
    }

    /// Runs `body(component, row, paddedRowLength, nx)` over every x row of the three
    /// components in parallel and sums what it returns in Double.
    private func rowPass(_ size: GridSize, preconditioner: ReferencePreconditioner,
                         _ body: @escaping @Sendable (Int, Int, Int, Int) -> Float) -> Double {
        let rows = size.ny * size.nz, nx = size.nx, padded = preconditioner.paddedRowLength
        let chunks = parallelChunkCount(rows, minimumChunk: 64)
        let sums = ChunkSlots(count: chunks, initial: 0.0)
        parallelForChunks(rows, chunks: chunks) { chunk, range in
            var total = 0.0
            for c in 0..<3 {
                for row in range { total += Double(body(c, row, padded, nx)) }
            }
            sums.store(total, at: chunk)
        }
        return sums.values.reduce(0, +)
    }
}
