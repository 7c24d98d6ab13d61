import Foundation

/// A 6 × 6 stiffness in Voigt notation — rows and columns xx, yy, zz, yz, xz, xy, with
/// engineering shear strains (γ = 2ε), so σ = C ε — and the engineering constants read
/// from it.
public struct StiffnessTensor: Sendable, Equatable {
    /// Row-major, symmetric.
    public var values: [Double]

    /// Symmetrises `values` (a solve leaves asymmetry at the level of its tolerance).
    public init(_ values: [Double]) {
        precondition(values.count == 36)
        var sym = values
        for i in 0..<6 { for j in 0..<6 { sym[6 * i + j] = (values[6 * i + j] + values[6 * j + i]) / 2 } }
        self.values = sym
    }

    /// The isotropic stiffness of (E, ν).
    public static func isotropic(youngsModulus e: Double, poissonRatio nu: Double) -> StiffnessTensor {
        let lambda = e * nu / ((1 + nu) * (1 - 2 * nu)), mu = e / (2 * (1 + nu))
        var c = [Double](repeating: 0, count: 36)
        for i in 0..<3 {
            for j in 0..<3 { c[6 * i + j] = lambda + (i == j ? 2 * mu : 0) }
            c[6 * (i + 3) + i + 3] = mu
        }
        return StiffnessTensor(c)
    }

    public subscript(i: Int, j: Int) -> Double { values[6 * i + j] }

    /// Eigenvalues and eigenvectors (columns) of the symmetric matrix, by Jacobi rotations.
    public var eigen: (values: [Double], vectors: [Double]) { symmetricEigen(values, n: 6) }

    /// Stress directions (Voigt unit vectors) that cost no energy: eigenvalues below
    /// `relative` × the largest.
    func isSoft(direction v: [Double], relative: Double = 1e-6) -> Bool {
        let (lambdas, vectors) = eigen
        let top = lambdas.max() ?? 0
        for k in 0..<6 where lambdas[k] <= relative * top {
            var projection = 0.0
            for i in 0..<6 { projection += vectors[6 * i + k] * v[i] }
            if abs(projection) > 1e-3 { return true }
        }
        return false
    }

    /// The compliance S = C⁻¹, restricted to the stiff directions (eigenvalues above
    /// `relative` × the largest; the pseudo-inverse there).
    public func compliance(relative: Double = 1e-6) -> [Double] {
        let (lambdas, vectors) = eigen
        let top = lambdas.max() ?? 0
        var s = [Double](repeating: 0, count: 36)
        for k in 0..<6 where lambdas[k] > relative * top {
            for i in 0..<6 {
                for j in 0..<6 { s[6 * i + j] += vectors[6 * i + k] * vectors[6 * j + k] / lambdas[k] }
            }
        }
        return s
    }

    /// Young's modulus along unit direction n: 1 / (nᵢnⱼnₖnₗ Sᵢⱼₖₗ); 0 when a uniaxial stress
    /// along n meets a mode with no stiffness (a phase that does not carry load that way).
    public func youngsModulus(along n: (Double, Double, Double)) -> Double {
        let v = [n.0 * n.0, n.1 * n.1, n.2 * n.2, n.1 * n.2, n.0 * n.2, n.0 * n.1]
        // Uniaxial stress σ = n ⊗ n in Voigt stress form (no factor 2 on the shears).
        if isSoft(direction: v) { return 0 }
        let s = compliance()
        // ε (engineering) = S σ; the strain along n is Σ v_i (S σ)_i with the shear entries halved.
        var strain = 0.0
        for i in 0..<6 {
            var e = 0.0
            for j in 0..<6 { e += s[6 * i + j] * v[j] }
            strain += e * v[i]
        }
        return strain > 0 ? 1 / strain : 0
    }

    /// E along x, y and z.
    public var axialYoungsModuli: [Double] {
        [youngsModulus(along: (1, 0, 0)), youngsModulus(along: (0, 1, 0)), youngsModulus(along: (0, 0, 1))]
    }

    /// Shear moduli G_yz, G_xz, G_xy (1/S₄₄, 1/S₅₅, 1/S₆₆; 0 in a mode with no stiffness).
    public var shearModuli: [Double] {
        let s = compliance()
        return (3..<6).map { i in
            var unit = [Double](repeating: 0, count: 6)
            unit[i] = 1
            return isSoft(direction: unit) || s[7 * i] <= 0 ? 0 : 1 / s[7 * i]
        }
    }

    /// Poisson ratios ν_ij = −S_ij / S_ii (contraction along j under stress along i), in the
    /// order xy, xz, yx, yz, zx, zy; nil where the stress along i is not carried.
    public var poissonRatios: [String: Double?] {
        let s = compliance()
        let names = ["x", "y", "z"]
        var out: [String: Double?] = [:]
        for i in 0..<3 {
            var unit = [Double](repeating: 0, count: 6)
            unit[i] = 1
            let carried = !isSoft(direction: unit) && s[7 * i] > 0
            for j in 0..<3 where j != i {
                out[names[i] + names[j]] = carried ? -s[6 * i + j] / s[7 * i] : nil
            }
        }
        return out
    }

    /// Voigt (upper) and Reuss (lower) bulk and shear moduli and their Hill averages.
    public var bounds: (bulkVoigt: Double, bulkReuss: Double, shearVoigt: Double, shearReuss: Double) {
        let c = values
        let kv = (c[0] + c[7] + c[14] + 2 * (c[1] + c[2] + c[8])) / 9
        let gv = (c[0] + c[7] + c[14] - (c[1] + c[2] + c[8]) + 3 * (c[21] + c[28] + c[35])) / 15
        let s = compliance()
        let soft = eigen.values.contains { $0 <= 1e-6 * (eigen.values.max() ?? 0) }
        let sumK = s[0] + s[7] + s[14] + 2 * (s[1] + s[2] + s[8])
        let sumG = 4 * (s[0] + s[7] + s[14]) - 4 * (s[1] + s[2] + s[8]) + 3 * (s[21] + s[28] + s[35])
        let kr = soft || sumK <= 0 ? 0 : 1 / sumK
        let gr = soft || sumG <= 0 ? 0 : 15 / sumG
        return (kv, kr, gv, gr)
    }

    /// The universal anisotropy index Aᵁ = 5 G_V/G_R + K_V/K_R − 6 (Ranganathan & Ostoja-
    /// Starzewski 2008): 0 for isotropic stiffness; nil when a Reuss modulus is 0.
    public var universalAnisotropy: Double? {
        let b = bounds
        guard b.shearReuss > 0, b.bulkReuss > 0 else { return nil }
        return 5 * b.shearVoigt / b.shearReuss + b.bulkVoigt / b.bulkReuss - 6
    }

    /// The tensor in axes rotated by the rotation matrix r (row-major 3 × 3, new = r · old):
    /// C' = M C Mᵀ with M the Bond matrix for engineering strains.
    public func rotated(by r: [Double]) -> StiffnessTensor {
        precondition(r.count == 9)
        func a(_ i: Int, _ j: Int) -> Double { r[3 * i + j] }
        let pairs = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
        var m = [Double](repeating: 0, count: 36)
        for (I, (i, j)) in pairs.enumerated() {
            for (J, (k, l)) in pairs.enumerated() {
                m[6 * I + J] = J < 3 ? a(i, k) * a(j, l) : a(i, k) * a(j, l) + a(i, l) * a(j, k)
            }
        }
        var out = [Double](repeating: 0, count: 36)
        for i in 0..<6 {
            for j in 0..<6 {
                var sum = 0.0
                for k in 0..<6 { for l in 0..<6 { sum += m[6 * i + k] * values[6 * k + l] * m[6 * j + l] } }
                out[6 * i + j] = sum
            }
        }
        return StiffnessTensor(out)
    }
}

/// Eigen-decomposition of a symmetric n × n matrix (row-major) by cyclic Jacobi rotations.
/// Returns eigenvalues and the eigenvectors as columns of a row-major matrix.
func symmetricEigen(_ matrix: [Double], n: Int) -> (values: [Double], vectors: [Double]) {
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
        var off = 0.0
        for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
        var scale = 0.0
        for i in 0..<n * n { scale += a[i] * a[i] }
        if off <= 1e-30 * max(scale, 1e-300) { break }
        for p in 0..<n {
            for q in (p + 1)..<n where a[p * n + q] != 0 {
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0..<n {
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    return ((0..<n).map { a[$0 * n + $0] }, v)
}
