/// A solid fraction that varies along an axis: control values evenly spaced from the first
/// layer to the last, linear in between (two values give a linear ramp).
public struct Grading: Codable, Equatable, Sendable {
    public var axis: Axis
    /// Solid fractions at evenly spaced control points, each in (0, 1); at least two.
    public var fractions: [Double]

    public init(axis: Axis = .z, fractions: [Double]) {
        self.axis = axis
        self.fractions = fractions
    }

    /// The target fraction of layer `layer` out of `count` layers.
    public func fraction(layer: Int, of count: Int) -> Double {
        guard fractions.count > 1, count > 1 else { return fractions.first ?? 0.5 }
        let s = Double(layer) / Double(count - 1) * Double(fractions.count - 1)
        let i = min(Int(s), fractions.count - 2)
        let t = s - Double(i)
        return fractions[i] * (1 - t) + fractions[i + 1] * t
    }

    /// The mean of the layer targets.
    public func meanFraction(layers: Int) -> Double {
        let n = min(max(layers, 1), Recipe.Limits.maximumSamples)
        return (0..<n).reduce(0.0) { $0 + fraction(layer: $1, of: n) } / Double(n)
    }
}

/// A second field mixed into the first: g = (1 − w)·A + w·B, both at unit variance.
public struct BlendComponent: Codable, Equatable, Sendable {
    public var family: StructureFamily
    /// Weight w of this component, in [0, 1].
    public var weight: Double
    /// Its characteristic length (or cell size); the main recipe's when absent.
    public var wavelengthMM: Double?

    public init(family: StructureFamily, weight: Double, wavelengthMM: Double? = nil) {
        self.family = family
        self.weight = weight
        self.wavelengthMM = wavelengthMM
    }

    enum CodingKeys: String, CodingKey {
        case family, weight
        case wavelengthMM = "wavelength_mm"
    }
}
