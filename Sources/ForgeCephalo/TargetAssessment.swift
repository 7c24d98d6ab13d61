import ForgeCore
import Foundation

/// How far a design's measurements lie from what its target asks for, gap by gap, and the
/// changes that would close each gap. This is what the iteration ranks rounds by and stops
/// on; a model's score only breaks ties.
///
/// Each gap is measured in units of its tolerance (1 = at the edge of acceptable):
/// - solid fraction: |φ − φ_target| / 0.02 (graded designs: the worst layer against its target);
/// - feature size: |ℓ / λ_target − 1| / 0.15, ℓ the characteristic length (a lattice's cell
///   for lattices);
/// - family and mode, when the target names them: 3 and 2 when they differ;
/// - anisotropy: columnar and lamellar targets below 1.5, isotropic ones above 1.35, by
///   the excess over 0.15;
/// - printability: 2 plus one per reason when the verdict is "not printable".
/// - property targets (recipe key `targets`): value targets |m/v − 1| / tolerance, windows
///   1 + |ln(m / edge)| / ln 1.1 outside (`PropertySteps`, which also proposes the steps and
///   takes over the fraction, length, family and anisotropy checks its levers move, unless the
///   prompt states them).
/// `distance` is the root of the sum of squares; `met` holds when every gap is within 1
/// and the discrete ones are closed.
public struct TargetAssessment: Codable, Sendable, Equatable {
    public struct Gap: Codable, Sendable, Equatable {
        /// solid_fraction, layers, length, family, mode, anisotropy, printability.
        public var measure: String
        /// In units of the tolerance; above 1 is off.
        public var size: Double
        /// A sentence for the user, when the gap is off.
        public var issue: String?
    }

    public var gaps: [Gap]
    public var distance: Double
    public var met: Bool
    /// The changes that would close the open gaps.
    public var adjustments: [Critique.Adjustment]
    /// Targets that pull one parameter opposite ways, and where the design balances them.
    public var tradeOffs: [String]?
    /// Targets the structure's levers cannot reach, with why.
    public var unreachable: [String]?

    /// The sentences of the gaps that are off.
    public var issues: [String] { gaps.compactMap(\.issue) }

    public static let fractionTolerance = 0.02
    public static let lengthTolerance = 0.15

    public init(_ request: CritiqueRequest) {
        let target = request.targetDescription.recipe, stated = request.targetDescription.fromPrompt
        let m = request.measures, recipe = request.recipe
        var gaps: [Gap] = [], adjustments: [Critique.Adjustment] = []
        let properties = PropertySteps(request)
        let overridden = properties.overrides
        func round4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }

        if stated["family"] != nil, !overridden.contains("family") {
            let off = recipe.family != target.family
            gaps.append(Gap(measure: "family", size: off ? 3 : 0,
                            issue: off ? "the structure is \(recipe.family.rawValue), the target asks for \(target.family.rawValue)" : nil))
            if off { adjustments.append(.init(parameter: "family", value: .text(target.family.rawValue), reason: "the target names it")) }
        }
        if stated["mode"] != nil {
            let off = recipe.mode != target.mode
            gaps.append(Gap(measure: "mode", size: off ? 2 : 0,
                            issue: off ? "the solid is a \(recipe.mode.rawValue), the target asks for a \(target.mode.rawValue)" : nil))
            if off { adjustments.append(.init(parameter: "mode", value: .text(target.mode.rawValue), reason: "the target names it")) }
        }

        if let grading = target.grading, let layers = m.layerSolidFractions, !layers.isEmpty {
            let worst = layers.indices.map { abs(layers[$0] - grading.fraction(layer: $0, of: layers.count)) }.max() ?? 0
            let size = worst / Self.fractionTolerance
            gaps.append(Gap(measure: "layers", size: size, issue: size > 1
                ? String(format: "a layer's solid fraction is %.1f points off its graded target", worst * 100) : nil))
        } else if target.grading == nil, !overridden.contains("solid_fraction") {
            let error = m.solidFraction - target.solidFraction
            let size = abs(error) / Self.fractionTolerance
            gaps.append(Gap(measure: "solid_fraction", size: size, issue: size > 1
                ? String(format: "solid fraction %.3f is %.1f points %@ the %.3f asked for", m.solidFraction,
                         abs(error) * 100, error > 0 ? "above" : "below", target.solidFraction) : nil))
            if size > 1 {
                adjustments.append(.init(parameter: "solid_fraction", value: .number(round4(recipe.solidFraction - error)),
                                         reason: "moves the fraction onto the target"))
            }
        }

        // A lattice is read by its cell (the spectrum's leading period times the family's
        // cell per period), other structures by their characteristic length.
        let lattice = recipe.family.isLattice ? m.latticeCellMM : nil
        let measured = lattice ?? m.characteristicLengthMM
        let ratio = measured / target.wavelengthMM
        if ratio.isFinite, ratio > 0, !overridden.contains("length") {
            let size = abs(ratio - 1) / Self.lengthTolerance
            gaps.append(Gap(measure: "length", size: size, issue: size > 1
                ? String(format: "%@ %.3g mm, %.0f%% %@ the %.3g mm asked for", lattice == nil ? "features measure" : "cells measure",
                         measured, abs(ratio - 1) * 100, ratio > 1 ? "above" : "below", target.wavelengthMM) : nil))
            if size > 1 {
                adjustments.append(.init(parameter: "wavelength_mm", value: .number(round4(recipe.wavelengthMM / ratio)),
                                         reason: "scales the feature size onto the target"))
            }
        }

        switch overridden.contains("anisotropy") ? nil : target.family {
        case .columnar, .lamellar:
            let size = max(0, 1.5 - m.anisotropyRatio) / 0.15
            gaps.append(Gap(measure: "anisotropy", size: size > 0 ? 1 + size : 0, issue: size > 0
                ? String(format: "anisotropy %.2f is too low for a %@ structure", m.anisotropyRatio, target.family.rawValue) : nil))
            if size > 0 { adjustments.append(.init(parameter: "cone_angle_deg", change: "-25%", reason: "narrower cones align the features")) }
        case .spinodal, .blob, .fractal:
            let size = max(0, m.anisotropyRatio - 1.35) / 0.15
            gaps.append(Gap(measure: "anisotropy", size: size > 0 ? 1 + size : 0, issue: size > 0
                ? String(format: "anisotropy %.2f: the target is isotropic", m.anisotropyRatio) : nil))
        default:
            break
        }

        if !m.printable {
            let reasons = m.printabilityReasons
            gaps.append(Gap(measure: "printability", size: 2 + Double(reasons.count),
                            issue: reasons.isEmpty ? "the design is not printable" : reasons.joined(separator: "; ")))
            let resolution = recipe.printerResolutionMM
            let thin = [m.solidThicknessP5MM, m.poreThicknessP5MM].compactMap { $0 }.contains { $0 < resolution }
            if thin, recipe.minFeatureMM < resolution {
                adjustments.append(.init(parameter: "min_feature_mm", value: .number(round4(resolution)),
                                         reason: "removes struts and pores thinner than the printer resolves"))
            }
        }

        gaps += properties.gaps
        adjustments += properties.adjustments
        tradeOffs = properties.tradeOffs.isEmpty ? nil : properties.tradeOffs
        unreachable = properties.unreachable.isEmpty ? nil : properties.unreachable
        self.gaps = gaps
        self.adjustments = adjustments
        distance = (gaps.map { $0.size * $0.size }.reduce(0, +)).squareRoot()
        met = gaps.allSatisfy { $0.issue == nil }
    }
}
