import ForgeCore

/// A symmetric seven-point operator on a periodic grid, given by its links:
///
///     (A x)ᵢ = dᵢ xᵢ − Σₐ ( wᵃᵢ x_{i+eₐ} + wᵃ_{i−eₐ} x_{i−eₐ} )
///
/// where wᵃᵢ ≥ 0 couples cell i to its +a neighbour and dᵢ = Σ of its six links plus a
/// non-negative extra term (a wall's drag, or nothing). A cell with dᵢ = 0 takes no part:
/// its row and column are zero. Face conductances of a two-phase medium, and the velocity
/// Laplacian of a staggered Stokes grid with no-slip walls, are both of this form, and so are
/// its aggregated (Galerkin) coarsenings, which is what `AggregationMultigrid` builds on.
final class LinkOperator: @unchecked Sendable {
    let size: GridSize
    /// Links to the +x, +y and +z neighbour.
    let links: [FloatBuffer]
    let diagonal: FloatBuffer
    /// 1/d where d > 0, else 0.
    let inverseDiagonal: FloatBuffer
    /// When every link is 0 or 1 and every diagonal a whole number below 32 (the fine
    /// operators of a pore network and of its Stokes flow): one word per cell, the diagonal's
    /// Float bits with the +x, +y, +z links in the three lowest (a whole number below 32 leaves
    /// them zero). The sweeps then read one word instead of four Floats per cell, which is most
    /// of their memory traffic.
    private(set) var codes: UnsafeMutablePointer<UInt32>?

    deinit { codes?.deallocate() }

    /// An operator with links and extra diagonal terms set by `fill(links, extra)`.
    init(size: GridSize, fill: (_ links: [UnsafeMutablePointer<Float>], _ extra: UnsafeMutablePointer<Float>) -> Void) {
        self.size = size
        links = (0..<3).map { _ in FloatBuffer(count: size.count) }
        diagonal = FloatBuffer(count: size.count)
        inverseDiagonal = FloatBuffer(count: size.count)
        fill(links.map(\.pointer), diagonal.pointer)
        defer { codes = LinkOperator.linkCodes(links: links, diagonal: diagonal) }
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let w = links.map(\.sendable), d = diagonal.sendable
        parallelForRanges(nz) { zs in
            for z in zs {
                for y in 0..<ny {
                    for x in 0..<nx {
                        let i = x + nx * (y + ny * z)
                        let xm = (x == 0 ? nx - 1 : x - 1) + nx * (y + ny * z)
                        let ym = x + nx * ((y == 0 ? ny - 1 : y - 1) + ny * z)
                        let zm = x + nx * (y + ny * (z == 0 ? nz - 1 : z - 1))
                        d[i] += w[0][i] + w[0][xm] + w[1][i] + w[1][ym] + w[2][i] + w[2][zm]
                    }
                }
            }
        }
        finishDiagonal()
    }

    private init(size: GridSize, links: [FloatBuffer], diagonal: FloatBuffer) {
        self.size = size
        self.links = links
        self.diagonal = diagonal
        inverseDiagonal = FloatBuffer(count: size.count)
        finishDiagonal()
    }

    private static func linkCodes(links: [FloatBuffer], diagonal: FloatBuffer) -> UnsafeMutablePointer<UInt32>? {
        let n = diagonal.count
        let w0 = links[0].pointer, w1 = links[1].pointer, w2 = links[2].pointer, d = diagonal.pointer
        for i in 0..<n {
            let whole = d[i].rounded()
            guard w0[i] == 0 || w0[i] == 1, w1[i] == 0 || w1[i] == 1, w2[i] == 0 || w2[i] == 1,
                  whole == d[i], whole >= 0, whole < 32 else { return nil }
        }
        let codes = UnsafeMutablePointer<UInt32>.allocate(capacity: max(n, 1))
        for i in 0..<n {
            codes[i] = d[i].bitPattern | UInt32(w0[i]) | UInt32(w1[i]) << 1 | UInt32(w2[i]) << 2
        }
        return codes
    }

    private func finishDiagonal() {
        let d = diagonal.sendable, inv = inverseDiagonal.sendable
        parallelForRanges(size.count, minimumChunk: 1 << 15) { range in
            for i in range { inv[i] = d[i] > 0 ? 1 / d[i] : 0 }
        }
    }

    /// Calls `row(base, xm, ym, yp, zm, zp)` for every x row: the row's first index and the first
    /// indices of the rows around it (periodic), each z plane on one thread.
    @inline(__always)
    func forEachRow(_ row: @Sendable (_ base: Int, _ ym: Int, _ yp: Int, _ zm: Int, _ zp: Int) -> Void) {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        parallelForRanges(nz) { zs in
            for z in zs {
                let zm = z == 0 ? nz - 1 : z - 1, zp = z == nz - 1 ? 0 : z + 1
                for y in 0..<ny {
                    let ym = y == 0 ? ny - 1 : y - 1, yp = y == ny - 1 ? 0 : y + 1
                    row(nx * (y + ny * z), nx * (ym + ny * z), nx * (yp + ny * z), nx * (y + ny * zm), nx * (y + ny * zp))
                }
            }
        }
    }

    /// Runs `kernel.store(i, oᵢ, dᵢ)` for every cell, oᵢ = Σ links × neighbours (so
    /// (A x)ᵢ = dᵢ xᵢ − oᵢ): each row's ends (where x wraps) one at a time, its interior eight
    /// at a time, from the link codes when the operator has them.
    @inline(__always)
    func sweep<K: LinkKernel>(_ x: FloatBuffer, _ kernel: K) {
        if let codes {
            codedSweep(x, kernel, codes: SendablePointer(codes))
            return
        }
        let nx = size.nx
        let w0 = links[0].sendable, w1 = links[1].sendable, w2 = links[2].sendable, d = diagonal.sendable
        let v = x.sendable
        forEachRow { base, ym, yp, zm, zp in
            @inline(__always) func off(_ x: Int, _ xm: Int, _ xp: Int) -> Float {
                let i = base + x
                return w0[i] * v[base + xp] + w0[base + xm] * v[base + xm]
                    + w1[i] * v[yp + x] + w1[ym + x] * v[ym + x] + w2[i] * v[zp + x] + w2[zm + x] * v[zm + x]
            }
            if nx == 1 {
                kernel.store(base, off(0, 0, 0), d[base])
                return
            }
            kernel.store(base, off(0, nx - 1, 1), d[base])
            var x = 1
            let (b, bm, bp) = (base, base - 1, base + 1)
            while x + 8 <= nx - 1 {
                let i = b + x
                var sum = load8(w0.base, i) * load8(v.base, bp + x) + load8(w0.base, bm + x) * load8(v.base, bm + x)
                sum += load8(w1.base, i) * load8(v.base, yp + x) + load8(w1.base, ym + x) * load8(v.base, ym + x)
                sum += load8(w2.base, i) * load8(v.base, zp + x) + load8(w2.base, zm + x) * load8(v.base, zm + x)
                kernel.store8(i, sum, load8(d.base, i))
                x += 8
            }
            while x < nx - 1 {
                kernel.store(base + x, off(x, x - 1, x + 1), d[base + x])
                x += 1
            }
            kernel.store(base + nx - 1, off(nx - 1, nx - 2, 0), d[base + nx - 1])
        }
    }

    /// `sweep` over the link codes.
    @inline(__always)
    private func codedSweep<K: LinkKernel>(_ x: FloatBuffer, _ kernel: K, codes c: SendablePointer<UInt32>) {
        let nx = size.nx
        let v = x.sendable
        forEachRow { base, ym, yp, zm, zp in
            @inline(__always) func bit(_ code: UInt32, _ k: UInt32) -> Float { (code >> k) & 1 != 0 ? 1 : 0 }
            @inline(__always) func one(_ x: Int, _ xm: Int, _ xp: Int) {
                let i = base + x
                let code = c[i]
                let off = bit(code, 0) * v[base + xp] + bit(c[base + xm], 0) * v[base + xm]
                    + bit(code, 1) * v[yp + x] + bit(c[ym + x], 1) * v[ym + x]
                    + bit(code, 2) * v[zp + x] + bit(c[zm + x], 2) * v[zm + x]
                kernel.store(i, off, Float(bitPattern: code & ~7))
            }
            @inline(__always) func words(_ j: Int) -> SIMD8<UInt32> {
                UnsafeRawPointer(c.base + j).loadUnaligned(as: SIMD8<UInt32>.self)
            }
            if nx == 1 {
                one(0, 0, 0)
                return
            }
            one(0, nx - 1, 1)
            var x = 1
            let (b, bm, bp) = (base, base - 1, base + 1)
            let zero = SIMD8<Float>(), none = SIMD8<UInt32>()
            let (m0, m1, m2) = (SIMD8<UInt32>(repeating: 1), SIMD8<UInt32>(repeating: 2), SIMD8<UInt32>(repeating: 4))
            while x + 8 <= nx - 1 {
                let i = b + x
                let code = words(i)
                var sum = zero.replacing(with: load8(v.base, bp + x), where: code & m0 .!= none)
                sum += zero.replacing(with: load8(v.base, bm + x), where: words(bm + x) & m0 .!= none)
                sum += zero.replacing(with: load8(v.base, yp + x), where: code & m1 .!= none)
                sum += zero.replacing(with: load8(v.base, ym + x), where: words(ym + x) & m1 .!= none)
                sum += zero.replacing(with: load8(v.base, zp + x), where: code & m2 .!= none)
                sum += zero.replacing(with: load8(v.base, zm + x), where: words(zm + x) & m2 .!= none)
                kernel.store8(i, sum, unsafeBitCast(code & ~SIMD8<UInt32>(repeating: 7), to: SIMD8<Float>.self))
                x += 8
            }
            while x < nx - 1 {
                one(x, x - 1, x + 1)
                x += 1
            }
            one(nx - 1, nx - 2, 0)
        }
    }

    /// out ← b − A x.
    func residual(b: FloatBuffer, x: FloatBuffer, into out: FloatBuffer) {
        sweep(x, ResidualKernel(b: b.sendable, x: x.sendable, out: out.sendable))
    }

    /// out ← x + ω D⁻¹ (b − A x): one damped Jacobi sweep.
    func jacobi(b: FloatBuffer, x: FloatBuffer, into out: FloatBuffer, omega: Float) {
        sweep(x, JacobiKernel(b: b.sendable, x: x.sendable, out: out.sendable, omega: omega))
    }

    /// out ← A x, and returns x·A x.
    @discardableResult
    func apply(_ x: FloatBuffer, into out: FloatBuffer) -> Double {
        sweep(x, ApplyKernel(x: x.sendable, out: out.sendable))
        return BufferMath.dot(x, out)
    }

    /// The coarse cell holding fine index `i` along an axis of `n` fine and `coarse` coarse cells:
    /// pairs, with an odd last cell joining the last pair.
    @inline(__always) static func aggregate(_ i: Int, coarse: Int) -> Int { min(i / 2, coarse - 1) }

    /// The size of the next coarser grid (each axis halved, rounding down, at least 1).
    static func coarser(_ s: GridSize) -> GridSize {
        GridSize(nx: max(1, s.nx / 2), ny: max(1, s.ny / 2), nz: max(1, s.nz / 2))
    }

    /// The Galerkin operator Pᵀ A P for P the piecewise-constant prolongation from
    /// `coarser(size)`: links crossing between two aggregates add up, links inside one drop out
    /// of both the links and the diagonal.
    func coarsened() -> LinkOperator {
        let c = LinkOperator.coarser(size)
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let coarseLinks = (0..<3).map { _ in FloatBuffer(count: c.count) }
        let coarseDiagonal = FloatBuffer(count: c.count)
        let w = links.map(\.pointer), d = diagonal.pointer
        let cw = coarseLinks.map(\.pointer), cd = coarseDiagonal.pointer
        let dims = [nx, ny, nz], cdims = [c.nx, c.ny, c.nz]
        for z in 0..<nz {
            let cz = LinkOperator.aggregate(z, coarse: c.nz)
            for y in 0..<ny {
                let cy = LinkOperator.aggregate(y, coarse: c.ny)
                for x in 0..<nx {
                    let i = x + nx * (y + ny * z)
                    let cx = LinkOperator.aggregate(x, coarse: c.nx)
                    let ci = cx + c.nx * (cy + c.ny * cz)
                    cd[ci] += d[i]
                    let here = [x, y, z], chere = [cx, cy, cz]
                    for a in 0..<3 where w[a][i] != 0 {
                        let next = here[a] + 1 == dims[a] ? 0 : here[a] + 1
                        let cnext = LinkOperator.aggregate(next, coarse: cdims[a])
                        if cnext == chere[a] {
                            cd[ci] -= 2 * w[a][i]
                        } else {
                            // The link runs from aggregate ci to its +a neighbour (periodically).
                            cw[a][ci] += w[a][i]
                        }
                    }
                }
            }
        }
        // Link weights are small whole numbers, so the sums are exact; clamp round-off anyway.
        for i in 0..<c.count where cd[i] < 1e-6 { cd[i] = 0 }
        return LinkOperator(size: c, links: coarseLinks, diagonal: coarseDiagonal)
    }
}

/// What a `LinkOperator.sweep` does with oᵢ = Σ links × neighbours and the diagonal dᵢ.
protocol LinkKernel: Sendable {
    func store(_ i: Int, _ off: Float, _ d: Float)
    func store8(_ i: Int, _ off: SIMD8<Float>, _ d: SIMD8<Float>)
}

/// out = A x.
struct ApplyKernel: LinkKernel {
    let x: SendablePointer<Float>, out: SendablePointer<Float>
    @inline(__always) func store(_ i: Int, _ off: Float, _ d: Float) { out[i] = d * x[i] - off }
    @inline(__always) func store8(_ i: Int, _ off: SIMD8<Float>, _ d: SIMD8<Float>) {
        ForgeProperties.store8(d * load8(x.base, i) - off, out.base, i)
    }
}

/// out = b − A x.
struct ResidualKernel: LinkKernel {
    let b: SendablePointer<Float>, x: SendablePointer<Float>, out: SendablePointer<Float>
    @inline(__always) func store(_ i: Int, _ off: Float, _ d: Float) { out[i] = b[i] - d * x[i] + off }
    @inline(__always) func store8(_ i: Int, _ off: SIMD8<Float>, _ d: SIMD8<Float>) {
        ForgeProperties.store8(load8(b.base, i) - d * load8(x.base, i) + off, out.base, i)
    }
}

/// out = x + ω D⁻¹ (b − A x) = (1 − ω) x + ω (b + o)/d; cells with d = 0 keep x.
struct JacobiKernel: LinkKernel {
    let b: SendablePointer<Float>, x: SendablePointer<Float>
    let out: SendablePointer<Float>
    let omega: Float
    @inline(__always) func store(_ i: Int, _ off: Float, _ d: Float) {
        out[i] = d > 0 ? (1 - omega) * x[i] + omega * (b[i] + off) / d : x[i]
    }
    @inline(__always) func store8(_ i: Int, _ off: SIMD8<Float>, _ d: SIMD8<Float>) {
        let xi = load8(x.base, i)
        let active = d .> 0
        let safe = d.replacing(with: 1, where: .!active)
        let smoothed = (1 - omega) * xi + omega * (load8(b.base, i) + off) / safe
        ForgeProperties.store8(xi.replacing(with: smoothed, where: active), out.base, i)
    }
}
