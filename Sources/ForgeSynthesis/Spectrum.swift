import ForgeCore
import Foundation

/// A power spectrum S(k) over wave vectors k in radians per millimetre: a radial profile,
/// optionally restricted to cones around (rotated) axes.
public struct Spectrum: Sendable, Equatable {
    public enum Profile: Sendable, Equatable {
        /// S ∝ exp(−(|k| − k₀)² / 2σ²): a band-pass shell (spinodal decomposition, Cahn 1965).
        case shell(k0: Double, sigma: Double)
        /// S ∝ exp(−|k|² ℓ² / 2): a Gaussian low-pass (blobs of size ~ℓ).
        case lowPass(length: Double)
        /// S ∝ |k|^−β for kMin ≤ |k| ≤ kMax, zero outside.
        case powerLaw(kMin: Double, kMax: Double, beta: Double)
    }

    public var profile: Profile
    /// cos θᵢ for each axis with a cone, nil for an axis that is switched off; nil for no cones.
    public var coneCosines: [Double?]?
    /// Rows of Rᵀ: the cone axes are the columns of R (rotation about x, then y, then z).
    public var inverseRotation: [SIMD3<Double>]

    public init(profile: Profile, coneAnglesDeg: [Double]? = nil, rotationDeg: [Double] = [0, 0, 0]) {
        self.profile = profile
        coneCosines = coneAnglesDeg.map { angles in
            angles.map { $0 > 0 ? cos($0 * Double.pi / 180) : nil }
        }
        inverseRotation = Self.transposedRotation(degrees: rotationDeg)
    }

    /// The spectrum of a spectral family at characteristic length `wavelengthMM`.
    /// Lattice families have none.
    public init?(recipe: Recipe, family: StructureFamily, wavelengthMM: Double) {
        let k0 = 2 * Double.pi / wavelengthMM
        switch family {
        case .spinodal:
            self.init(profile: .shell(k0: k0, sigma: recipe.bandwidth * k0))
        case .blob:
            self.init(profile: .lowPass(length: 1 / k0))
        case .fractal:
            let smallest = recipe.minWavelengthMM ?? 4 * recipe.voxelSizeMM
            self.init(profile: .powerLaw(kMin: k0, kMax: 2 * Double.pi / smallest, beta: recipe.beta))
        case .spinodoid, .lamellar, .columnar, .cubic:
            self.init(profile: .shell(k0: k0, sigma: recipe.bandwidth * k0),
                      coneAnglesDeg: recipe.effectiveConeAnglesDeg, rotationDeg: recipe.rotationDeg)
        case .gyroid, .schwarzP, .diamond, .neovius:
            return nil
        }
    }

    /// √S(k), the amplitude that multiplies white noise in Fourier space.
    @inline(__always)
    public func amplitude(_ k: SIMD3<Double>) -> Double {
        let magnitude = (k * k).sum().squareRoot()
        if let coneCosines, magnitude > 0 {
            var inside = false
            for axis in 0..<3 {
                guard let c = coneCosines[axis] else { continue }
                let along = abs((inverseRotation[axis] * k).sum())
                if along >= c * magnitude - 1e-12 {
                    inside = true
                    break
                }
            }
            if !inside { return 0 }
        }
        switch profile {
        case let .shell(k0, sigma):
            let d = magnitude - k0
            return exp(-d * d / (4 * sigma * sigma))
        case let .lowPass(length):
            return exp(-magnitude * magnitude * length * length / 4)
        case let .powerLaw(kMin, kMax, beta):
            guard magnitude >= kMin * 0.999, magnitude <= kMax * 1.001 else { return 0 }
            return pow(magnitude, -beta / 2)
        }
    }

    /// An upper bound of √S(k) over all k.
    public var peakAmplitude: Double {
        switch profile {
        case .shell, .lowPass: return 1
        case let .powerLaw(kMin, _, beta): return pow(kMin * 0.999, -beta / 2)
        }
    }

    /// A wave number beyond which √S(k) < `fraction` · `peakAmplitude` for every k
    /// (cones only lower the amplitude).
    public func radialLimit(belowFraction fraction: Double) -> Double {
        let root = (-log(fraction)).squareRoot()
        switch profile {
        case let .shell(k0, sigma): return k0 + 2 * sigma * root
        case let .lowPass(length): return 2 * root / length
        case let .powerLaw(_, kMax, _): return kMax * 1.001
        }
    }

    private static func transposedRotation(degrees: [Double]) -> [SIMD3<Double>] {
        let (a, b, c) = (degrees[0] * .pi / 180, degrees[1] * .pi / 180, degrees[2] * .pi / 180)
        // R = Rz(c) · Ry(b) · Rx(a)
        let rx = [SIMD3(1, 0, 0), SIMD3(0, cos(a), -sin(a)), SIMD3(0, sin(a), cos(a))]
        let ry = [SIMD3(cos(b), 0, sin(b)), SIMD3(0, 1, 0), SIMD3(-sin(b), 0, cos(b))]
        let rz = [SIMD3(cos(c), -sin(c), 0), SIMD3(sin(c), cos(c), 0), SIMD3(0, 0, 1)]
        func multiply(_ p: [SIMD3<Double>], _ q: [SIMD3<Double>]) -> [SIMD3<Double>] {
            (0..<3).map { i in SIMD3((0..<3).map { j in (0..<3).reduce(0.0) { $0 + p[i][$1] * q[$1][j] } }) }
        }
        let r = multiply(rz, multiply(ry, rx))
        return (0..<3).map { i in SIMD3(r[0][i], r[1][i], r[2][i]) }
    }
}
