/// The x rows of the staggered-grid kernels, eight voxels at a time: the interior of a row in
/// SIMD, its two ends (where x wraps) one voxel at a time.

@inline(__always) func load8(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always) func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Σ a[i] b[i] over `count` floats, in eight Float lanes.
@inline(__always) func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        lanes += load8(a, i) * load8(b, i)
        i += 8
    }
    var sum = lanes.sum()
    while i < count {
        sum += a[i] * b[i]
        i += 1
    }
    return sum
}

/// Stresses of one row: normal stresses at the voxel centres from the three normal strains,
/// shear stresses on the voxel's yz, xz and xy edges. Pointers are at x = 0 of the row (or of
/// the neighbouring row that a difference reaches into).
struct StressRow {
    let ux: UnsafePointer<Float>, uyAhead: UnsafePointer<Float>, uzAhead: UnsafePointer<Float>
    let uy: UnsafePointer<Float>, uz: UnsafePointer<Float>
    let uxBehindY: UnsafePointer<Float>, uxBehindZ: UnsafePointer<Float>
    let uyBehindZ: UnsafePointer<Float>, uzBehindY: UnsafePointer<Float>
    let lambda: UnsafePointer<Float>, mu: UnsafePointer<Float>
    let edgeYZ: UnsafePointer<Float>, edgeXZ: UnsafePointer<Float>, edgeXY: UnsafePointer<Float>
    let out: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
              UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    let strain: (Float, Float, Float, Float, Float, Float)

    /// Writes the row's six stresses; returns their sums in lanes 0…5.
    @inline(__always) func run(count nx: Int) -> SIMD8<Float> {
        var sums = SIMD8<Float>()
        @inline(__always) func cell(_ x: Int, _ xm: Int, _ xp: Int) {
            let exx = ux[xp] - ux[x] + strain.0
            let eyy = uyAhead[x] - uy[x] + strain.1
            let ezz = uzAhead[x] - uz[x] + strain.2
            let l = lambda[x] * (exx + eyy + ezz), m2 = 2 * mu[x]
            let gyz = uy[x] - uyBehindZ[x] + uz[x] - uzBehindY[x] + strain.3
            let gxz = ux[x] - uxBehindZ[x] + uz[x] - uz[xm] + strain.4
            let gxy = ux[x] - uxBehindY[x] + uy[x] - uy[xm] + strain.5
            let v = SIMD8<Float>(l + m2 * exx, l + m2 * eyy, l + m2 * ezz,
                                 edgeYZ[x] * gyz, edgeXZ[x] * gxz, edgeXY[x] * gxy, 0, 0)
            out.0[x] = v[0]; out.1[x] = v[1]; out.2[x] = v[2]; out.3[x] = v[3]; out.4[x] = v[4]; out.5[x] = v[5]
            sums += v
        }
        guard nx >= 10 else {
            for x in 0..<nx { cell(x, (x + nx - 1) % nx, (x + 1) % nx) }
            return sums
        }
        cell(0, nx - 1, 1)
        var x = 1
        var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>()
        var d = SIMD8<Float>(), f = SIMD8<Float>(), g = SIMD8<Float>()
        let s0 = SIMD8<Float>(repeating: strain.0), s1 = SIMD8<Float>(repeating: strain.1)
        let s2 = SIMD8<Float>(repeating: strain.2), s3 = SIMD8<Float>(repeating: strain.3)
        let s4 = SIMD8<Float>(repeating: strain.4), s5 = SIMD8<Float>(repeating: strain.5)
        while x + 8 <= nx - 1 {
            let uxx = load8(ux, x), uyx = load8(uy, x), uzx = load8(uz, x)
            let exx = load8(ux, x + 1) - uxx + s0
            let eyy = load8(uyAhead, x) - uyx + s1
            let ezz = load8(uzAhead, x) - uzx + s2
            let l = load8(lambda, x) * (exx + eyy + ezz), m2 = 2 * load8(mu, x)
            let gyz = uyx - load8(uyBehindZ, x) + uzx - load8(uzBehindY, x) + s3
            let gxz = uxx - load8(uxBehindZ, x) + uzx - load8(uz, x - 1) + s4
            let gxy = uxx - load8(uxBehindY, x) + uyx - load8(uy, x - 1) + s5
            let vxx = l + m2 * exx, vyy = l + m2 * eyy, vzz = l + m2 * ezz
            let vyz = load8(edgeYZ, x) * gyz, vxz = load8(edgeXZ, x) * gxz, vxy = load8(edgeXY, x) * gxy
            store8(vxx, out.0, x); store8(vyy, out.1, x); store8(vzz, out.2, x)
            store8(vyz, out.3, x); store8(vxz, out.4, x); store8(vxy, out.5, x)
            a += vxx; b += vyy; c += vzz; d += vyz; f += vxz; g += vxy
            x += 8
        }
        sums += SIMD8<Float>(a.sum(), b.sum(), c.sum(), d.sum(), f.sum(), g.sum(), 0, 0)
        while x < nx - 1 {
            cell(x, x - 1, x + 1)
            x += 1
        }
        cell(nx - 1, nx - 2, 0)
        return sums
    }
}

/// Gᵀσ of one row: the force on each face from the stresses of the voxels and edges around it.
struct AdjointRow {
    let sxx: UnsafePointer<Float>, syy: UnsafePointer<Float>, syyBehind: UnsafePointer<Float>
    let szz: UnsafePointer<Float>, szzBehind: UnsafePointer<Float>
    let syz: UnsafePointer<Float>, sxz: UnsafePointer<Float>, sxy: UnsafePointer<Float>
    let sxyAheadY: UnsafePointer<Float>, sxzAheadZ: UnsafePointer<Float>
    let syzAheadZ: UnsafePointer<Float>, syzAheadY: UnsafePointer<Float>
    let out: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)

    @inline(__always) func run(count nx: Int) {
        @inline(__always) func cell(_ x: Int, _ xm: Int, _ xp: Int) {
            out.0[x] = sxx[xm] - sxx[x] + sxy[x] - sxyAheadY[x] + sxz[x] - sxzAheadZ[x]
            out.1[x] = syyBehind[x] - syy[x] + sxy[x] - sxy[xp] + syz[x] - syzAheadZ[x]
            out.2[x] = szzBehind[x] - szz[x] + sxz[x] - sxz[xp] + syz[x] - syzAheadY[x]
        }
        guard nx >= 10 else {
            for x in 0..<nx { cell(x, (x + nx - 1) % nx, (x + 1) % nx) }
            return
        }
        cell(0, nx - 1, 1)
        var x = 1
        while x + 8 <= nx - 1 {
            let xy = load8(sxy, x), xz = load8(sxz, x), yz = load8(syz, x)
            store8(load8(sxx, x - 1) - load8(sxx, x) + xy - load8(sxyAheadY, x) + xz - load8(sxzAheadZ, x), out.0, x)
            store8(load8(syyBehind, x) - load8(syy, x) + xy - load8(sxy, x + 1) + yz - load8(syzAheadZ, x), out.1, x)
            store8(load8(szzBehind, x) - load8(szz, x) + xz - load8(sxz, x + 1) + yz - load8(syzAheadY, x), out.2, x)
            x += 8
        }
        while x < nx - 1 {
            cell(x, x - 1, x + 1)
            x += 1
        }
        cell(nx - 1, nx - 2, 0)
    }
}
