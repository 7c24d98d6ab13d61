import ForgeCore

/// The solid fraction a level set must reach: one value, or one per layer along an axis.
public enum FractionTargets: Sendable, Equatable {
    case uniform(Double)
    case layers([Double], along: Axis)

    /// The targets a recipe asks for (its grading profile, or its solid fraction).
    public init(recipe: Recipe) {
        if let grading = recipe.grading {
            let n = recipe.size.count(along: grading.axis)
            self = .layers((0..<n).map { grading.fraction(layer: $0, of: n) }, along: grading.axis)
        } else {
            self = .uniform(recipe.solidFraction)
        }
    }

    var values: [Double] {
        switch self {
        case let .uniform(f): return [f]
        case let .layers(f, _): return f
        }
    }

    func with(_ values: [Double]) -> FractionTargets {
        switch self {
        case .uniform: return .uniform(values[0])
        case let .layers(_, axis): return .layers(values, along: axis)
        }
    }

    /// Realised fractions of `mask` in the same grouping.
    func realised(by mask: VoxelMask) -> [Double] {
        switch self {
        case .uniform: return [Double(mask.count) / Double(mask.size.count)]
        case let .layers(_, axis): return mask.layerFractions(along: axis)
        }
    }
}

extension ScalarGrid {
    /// Thresholds the field at `targets` (see `threshold(toSolidFraction:)` and
    /// `threshold(layerFractions:along:)`); the field becomes a level set.
    public mutating func threshold(to targets: FractionTargets) {
        switch targets {
        case let .uniform(f): threshold(toSolidFraction: f)
        case let .layers(f, axis): threshold(layerFractions: f, along: axis)
        }
    }
}
