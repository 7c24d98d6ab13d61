import ForgeCore
import Foundation

/// A radially symmetric power spectrum S(|k|), |k| in radians per millimetre.
public enum Spectrum: Sendable, Equatable {
    /// S ∝ exp(−(|k| − k₀)² / 2σ²): a band-pass shell (spinodal decomposition, Cahn 1965).
    case shell(k0: Double, sigma: Double)
    /// S ∝ exp(−|k|² ℓ² / 2): a Gaussian low-pass (blobs of size ~ℓ).
    case lowPass(length: Double)

    /// The spectrum a recipe asks for.
    public init(recipe: Recipe) {
        let k0 = 2 * Double.pi / recipe.wavelengthMM
        switch recipe.family {
        case .spinodal: self = .shell(k0: k0, sigma: recipe.bandwidth * k0)
        case .blob: self = .lowPass(length: 1 / k0)
        }
    }

    /// √S(|k|), the amplitude that multiplies white noise in Fourier space.
    @inline(__always)
    public func amplitude(k: Double) -> Double {
        switch self {
        case let .shell(k0, sigma):
            let d = k - k0
            return exp(-d * d / (4 * sigma * sigma))
        case let .lowPass(length):
            return exp(-k * k * length * length / 4)
        }
    }
}
