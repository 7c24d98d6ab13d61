import ForgeCore
import Foundation

/// A critic that needs no model: it compares the measurements with what the target asks
/// for and proposes the changes that close each gap.
///
/// - Solid fraction: within `fractionTolerance` (absolute); otherwise the recipe's fraction
///   moves by the measured error.
/// - Feature size: the characteristic length within `lengthTolerance` (relative) of the
///   target wavelength; otherwise the wavelength is scaled by target / measured.
/// - Family and mode: as the target names them.
/// - Grading: every layer within `fractionTolerance` of its target.
/// - Anisotropy: isotropic families should measure below 1.35; columnar and lamellar above 1.5.
/// - Printability: the verdict's reasons; thin struts or pores raise min_feature_mm.
/// The score starts at 10 and loses points for each gap; the critique is satisfied when
/// there is no issue.
public struct LocalCritic: Critic {
    public var fractionTolerance = 0.02
    public var lengthTolerance = 0.15

    public init() {}

    public func critique(_ request: CritiqueRequest) -> CritiqueOutcome {
        let target = request.targetDescription.recipe, stated = request.targetDescription.fromPrompt
        let m = request.measures, recipe = request.recipe
        var issues: [String] = [], adjustments: [Critique.Adjustment] = []
        var penalty = 0.0

        if stated["family"] != nil, recipe.family != target.family {
            issues.append("the structure is \(recipe.family.rawValue), the target asks for \(target.family.rawValue)")
            adjustments.append(.init(parameter: "family", value: .text(target.family.rawValue), reason: "the target names it"))
            penalty += 3
        }
        if stated["mode"] != nil, recipe.mode != target.mode {
            issues.append("the solid is a \(recipe.mode.rawValue), the target asks for a \(target.mode.rawValue)")
            adjustments.append(.init(parameter: "mode", value: .text(target.mode.rawValue), reason: "the target names it"))
            penalty += 2
        }

        let fractionError = m.solidFraction - target.solidFraction
        if target.grading == nil, abs(fractionError) > fractionTolerance {
            issues.append(String(format: "solid fraction %.3f is %.1f points %@ the %.3f asked for", m.solidFraction,
                                 abs(fractionError) * 100, fractionError > 0 ? "above" : "below", target.solidFraction))
            adjustments.append(.init(parameter: "solid_fraction", value: .number(round4(recipe.solidFraction - fractionError)),
                                     reason: "moves the fraction onto the target"))
            penalty += min(4, abs(fractionError) * 100 * 0.25)
        }
        if let grading = target.grading, let layers = m.layerSolidFractions, !layers.isEmpty {
            let worst = layers.indices.map { abs(layers[$0] - grading.fraction(layer: $0, of: layers.count)) }.max() ?? 0
            if worst > fractionTolerance {
                issues.append(String(format: "a layer's solid fraction is %.1f points off its graded target", worst * 100))
                penalty += min(3, worst * 100 * 0.25)
            }
        }

        let lengthRatio = m.characteristicLengthMM / target.wavelengthMM
        if lengthRatio.isFinite, lengthRatio > 0, abs(lengthRatio - 1) > lengthTolerance {
            issues.append(String(format: "features measure %.3g mm, %.0f%% %@ the %.3g mm asked for", m.characteristicLengthMM,
                                 abs(lengthRatio - 1) * 100, lengthRatio > 1 ? "above" : "below", target.wavelengthMM))
            adjustments.append(.init(parameter: "wavelength_mm", value: .number(round4(recipe.wavelengthMM / lengthRatio)),
                                     reason: "scales the feature size onto the target"))
            penalty += min(4, abs(lengthRatio - 1) * 8)
        }

        switch target.family {
        case .columnar, .lamellar:
            if m.anisotropyRatio < 1.5 {
                issues.append(String(format: "anisotropy %.2f is too low for a %@ structure", m.anisotropyRatio, target.family.rawValue))
                adjustments.append(.init(parameter: "cone_angle_deg", change: "-25%", reason: "narrower cones align the features"))
                penalty += 1.5
            }
        case .spinodal, .blob, .fractal:
            if m.anisotropyRatio > 1.35 {
                issues.append(String(format: "anisotropy %.2f: the target is isotropic", m.anisotropyRatio))
                penalty += 1
            }
        default:
            break
        }

        if !m.printable {
            issues += m.printabilityReasons
            penalty += min(4, 1.5 * Double(max(1, m.printabilityReasons.count)))
            let resolution = recipe.printerResolutionMM
            let thin = [m.solidThicknessP5MM, m.poreThicknessP5MM].compactMap { $0 }.contains { $0 < resolution }
            if thin, recipe.minFeatureMM < resolution {
                adjustments.append(.init(parameter: "min_feature_mm", value: .number(round4(resolution)),
                                         reason: "removes struts and pores thinner than the printer resolves"))
            }
        }

        let score = max(0, (10 - penalty) * 10).rounded() / 10
        let summary = issues.isEmpty
            ? String(format: "Matches the target: %.1f%% solid, features %.3g mm, printable.", m.solidFraction * 100, m.characteristicLengthMM)
            : "\(issues.count) gap\(issues.count == 1 ? "" : "s") to the target: " + issues[0] + "."
        let critique = Critique(score: score, summary: summary, issues: issues, adjustments: adjustments, satisfied: issues.isEmpty)
        return CritiqueOutcome(critique: critique, critic: "local", warnings: [], exchange: nil)
    }

    private func round4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
}
