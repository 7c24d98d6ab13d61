import ForgeCore

/// An approximate inverse of a `LinkOperator` for use as a conjugate-gradient or MINRES
/// preconditioner: one symmetric V-cycle over aggregated (2 × 2 × 2, Galerkin) coarse
/// operators, with two damped Jacobi sweeps before and after each coarse correction and an
/// exact pseudo-inverse on the coarsest grid (at most 64 cells).
///
/// Summing links under aggregation keeps every blocked face blocked on every level, so the
/// coarse problems see the same pore connectivity as the fine one, whatever the contrast. The
/// piecewise-constant coarse correction is known to be too small by about a factor of two for
/// a Laplacian, and is scaled by `correction` on the finest level. Only there: the coarser
/// cycles then never overshoot (their preconditioned spectrum lies in (0, 1]), so the scaled
/// correction stays below 2 and the cycle stays symmetric positive definite.
final class AggregationMultigrid: @unchecked Sendable {
    let levels: [LinkOperator]
    private let x: [FloatBuffer], b: [FloatBuffer], t: [FloatBuffer]
    private let coarsest: [Double]
    var omega: Float = 0.8
    var correction: Float = 1.8
    /// Jacobi sweeps before and after each coarse correction (1 or 2).
    var smoothing = 2

    /// The largest coarsest grid; coarsening stops once a grid has at most this many cells.
    static let coarsestCells = 64

    init(_ fine: LinkOperator) {
        var levels = [fine]
        while levels[levels.count - 1].size.count > AggregationMultigrid.coarsestCells {
            levels.append(levels[levels.count - 1].coarsened())
        }
        self.levels = levels
        x = levels.map { FloatBuffer(count: $0.size.count) }
        b = levels.map { FloatBuffer(count: $0.size.count) }
        t = levels.map { FloatBuffer(count: $0.size.count) }
        coarsest = DenseSymmetric.pseudoInverse(of: levels[levels.count - 1])
    }

    /// Floats held per fine cell (operators and work buffers on every level).
    static let floatsPerCell = 9.2

    /// z ← M⁻¹ r.
    func apply(_ r: FloatBuffer, into z: FloatBuffer) {
        cycle(0, b: r, x: z)
    }

    private func cycle(_ level: Int, b rhs: FloatBuffer, x out: FloatBuffer) {
        let op = levels[level]
        if level == levels.count - 1 {
            let n = op.size.count
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<n { sum += coarsest[i * n + j] * Double(rhs.pointer[j]) }
                out.pointer[i] = Float(sum)
            }
            return
        }
        let temp = t[level]
        let inv = op.inverseDiagonal.sendable, bs = rhs.sendable
        let omega = self.omega
        // Pre-smoothing from zero: the first sweep is ω D⁻¹ b.
        let first = smoothing == 1 ? out : temp
        let fs = first.sendable
        parallelForRanges(op.size.count, minimumChunk: 1 << 15) { range in
            for i in range { fs[i] = omega * inv[i] * bs[i] }
        }
        if smoothing == 2 { op.jacobi(b: rhs, x: temp, into: out, omega: omega) }
        op.residual(b: rhs, x: out, into: temp)
        let coarseB = b[level + 1], coarseX = x[level + 1]
        restrict(temp, from: op.size, into: coarseB, size: levels[level + 1].size)
        cycle(level + 1, b: coarseB, x: coarseX)
        prolongAdd(coarseX, size: levels[level + 1].size, into: out, operator: op,
                   scale: level == 0 ? correction : 1)
        if smoothing == 2 {
            op.jacobi(b: rhs, x: out, into: temp, omega: omega)
            op.jacobi(b: rhs, x: temp, into: out, omega: omega)
        } else {
            op.jacobi(b: rhs, x: out, into: temp, omega: omega)
            out.copy(from: temp)
        }
    }

    /// Coarse cell sums of a fine field.
    private func restrict(_ fine: FloatBuffer, from f: GridSize, into coarse: FloatBuffer, size c: GridSize) {
        let fs = fine.sendable, cs = coarse.sendable
        parallelForRanges(c.nz) { czs in
            for cz in czs {
                for i in 0..<(c.nx * c.ny) { cs[i + c.nx * c.ny * cz] = 0 }
                let zEnd = cz == c.nz - 1 ? f.nz : min(2 * cz + 2, f.nz)
                for z in min(2 * cz, f.nz - 1)..<zEnd {
                    for y in 0..<f.ny {
                        let cy = LinkOperator.aggregate(y, coarse: c.ny)
                        let row = f.nx * (y + f.ny * z), crow = c.nx * (cy + c.ny * cz)
                        for x in 0..<f.nx { cs[crow + LinkOperator.aggregate(x, coarse: c.nx)] += fs[row + x] }
                    }
                }
            }
        }
    }

    /// fine += correction × (coarse value of each cell's aggregate), on active cells only.
    private func prolongAdd(_ coarse: FloatBuffer, size c: GridSize, into fine: FloatBuffer, operator op: LinkOperator,
                            scale: Float) {
        let f = op.size
        let cs = coarse.sendable, fs = fine.sendable, inv = op.inverseDiagonal.sendable
        parallelForRanges(f.nz) { zs in
            for z in zs {
                let cz = LinkOperator.aggregate(z, coarse: c.nz)
                for y in 0..<f.ny {
                    let cy = LinkOperator.aggregate(y, coarse: c.ny)
                    let row = f.nx * (y + f.ny * z), crow = c.nx * (cy + c.ny * cz)
                    for x in 0..<f.nx where inv[row + x] > 0 {
                        fs[row + x] += scale * cs[crow + LinkOperator.aggregate(x, coarse: c.nx)]
                    }
                }
            }
        }
    }
}

/// Dense symmetric matrices, small enough for cyclic Jacobi rotations.
enum DenseSymmetric {
    /// The Moore–Penrose pseudo-inverse of a small `LinkOperator`, row-major (eigenvalues below
    /// 10⁻⁹ of the largest count as zero: the constants on each closed pore cluster).
    static func pseudoInverse(of op: LinkOperator) -> [Double] {
        let s = op.size
        let n = s.count
        var a = [Double](repeating: 0, count: n * n)
        for z in 0..<s.nz {
            for y in 0..<s.ny {
                for x in 0..<s.nx {
                    let i = x + s.nx * (y + s.ny * z)
                    a[i * n + i] += Double(op.diagonal.pointer[i])
                    let next = [((x + 1) % s.nx) + s.nx * (y + s.ny * z),
                                x + s.nx * (((y + 1) % s.ny) + s.ny * z),
                                x + s.nx * (y + s.ny * ((z + 1) % s.nz))]
                    for axis in 0..<3 {
                        let w = Double(op.links[axis].pointer[i])
                        a[i * n + next[axis]] -= w
                        a[next[axis] * n + i] -= w
                    }
                }
            }
        }
        let (values, vectors) = symmetricEigen(a, n: n)
        let largest = values.map(abs).max() ?? 0
        var inverse = [Double](repeating: 0, count: n * n)
        for k in 0..<n where values[k] > 1e-9 * largest {
            let scale = 1 / values[k]
            for i in 0..<n {
                let vi = vectors[i * n + k] * scale
                for j in 0..<n { inverse[i * n + j] += vi * vectors[j * n + k] }
            }
        }
        return inverse
    }
}
