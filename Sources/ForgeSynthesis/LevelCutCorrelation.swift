import Foundation

/// The two-point probability of a Gaussian field cut at a level, and its inverse.
///
/// A unit Gaussian field g with correlation ρ(r), solid where g > t and P(g > t) = φ, has
/// S₂(r) = P(g(0) > t, g(r) > t) = φ² + ∫₀^ρ exp(−t²/(1 + s)) / (2π √(1 − s²)) ds
/// (the bivariate normal orthant probability; its derivative in ρ is the bivariate density
/// at (t, t)). With s = sin θ the integrand is smooth: exp(−t²/(1 + sin θ)) / 2π dθ.
/// Tabulated over ρ in −1…1 and inverted by bisection, it turns a measured S₂ into the
/// correlation a Gaussian field must have for its level cut to reproduce it (Quiblier 1984).
public struct LevelCutCorrelation: Sendable {
    public let fraction: Double
    /// The cut level t with P(g > t) = fraction.
    public let level: Double
    private let rho: [Double]
    private let s2: [Double]

    public init(fraction: Double, samples: Int = 2001) {
        precondition(fraction > 0 && fraction < 1)
        self.fraction = fraction
        // t with ½ erfc(t / √2) = fraction, by bisection.
        var lo = -10.0, hi = 10.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if 0.5 * erfc(mid / 2.0.squareRoot()) > fraction { lo = mid } else { hi = mid }
        }
        let t = (lo + hi) / 2
        level = t
        // Integrate in θ from 0 both ways with the trapezoid rule on a fine grid.
        let half = samples / 2
        let dTheta = (Double.pi / 2) / Double(half)
        func integrand(_ theta: Double) -> Double { exp(-t * t / (1 + sin(theta))) / (2 * .pi) }
        var up = [Double](repeating: 0, count: half + 1), down = [Double](repeating: 0, count: half + 1)
        for i in 1...half {
            let a = Double(i - 1) * dTheta, b = Double(i) * dTheta
            up[i] = up[i - 1] + 0.5 * (integrand(a) + integrand(b)) * dTheta
            // θ → −π/2 makes 1 + sin θ → 0: the integrand vanishes there.
            let fa = integrand(-a), fb = i == half ? 0 : integrand(-b)
            down[i] = down[i - 1] + 0.5 * (fa + fb) * dTheta
        }
        var rho: [Double] = [], s2: [Double] = []
        for i in stride(from: half, through: 1, by: -1) {
            rho.append(-sin(Double(i) * dTheta))
            s2.append(fraction * fraction - down[i])
        }
        for i in 0...half {
            rho.append(sin(Double(i) * dTheta))
            s2.append(fraction * fraction + up[i])
        }
        self.rho = rho
        self.s2 = s2
    }

    /// S₂ of the level cut for field correlation `rho` (−1…1).
    public func twoPoint(correlation r: Double) -> Double {
        interpolate(r, xs: rho, ys: s2)
    }

    /// The field correlation whose level cut has two-point probability `s2` (clamped to
    /// what a level cut can reach).
    public func correlation(twoPoint value: Double) -> Double {
        interpolate(value, xs: s2, ys: rho)
    }

    private func interpolate(_ x: Double, xs: [Double], ys: [Double]) -> Double {
        if x <= xs[0] { return ys[0] }
        if x >= xs[xs.count - 1] { return ys[ys.count - 1] }
        var lo = 0, hi = xs.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if xs[mid] <= x { lo = mid } else { hi = mid }
        }
        let f = (x - xs[lo]) / max(xs[hi] - xs[lo], 1e-300)
        return ys[lo] + f * (ys[hi] - ys[lo])
    }
}
