import ForgeCore
import Foundation

/// A critic that needs no model: it compares the measurements with what the target asks
/// for (`TargetAssessment`: fraction within 2 points, characteristic length within 15% of
/// the target wavelength, family and mode as named, graded layers, anisotropy,
/// printability, and the property targets from the computed stiffness and flow) and proposes
/// the changes that close each gap — the fraction moved by the measured error, the
/// wavelength scaled by target / measured, narrower cones, a minimum feature size for thin
/// walls, and the physical steps of `PropertySteps` for the property targets. The score starts at 10 and loses points for each open gap;
/// the critique is satisfied when every gap is closed.
public struct LocalCritic: Critic {
    public init() {}

    public func critique(_ request: CritiqueRequest) -> CritiqueOutcome {
        let assessment = TargetAssessment(request)
        var penalty = 0.0
        for gap in assessment.gaps where gap.issue != nil {
            switch gap.measure {
            case "family": penalty += 3
            case "mode": penalty += 2
            case "solid_fraction": penalty += min(4, gap.size * 0.5)
            case "layers": penalty += min(3, gap.size * 0.5)
            case "length": penalty += min(4, gap.size * 1.2)
            case "anisotropy": penalty += request.targetDescription.recipe.family.isAnisotropic ? 1.5 : 1
            case "printability": penalty += min(4, 1.5 * max(1, gap.size - 2))
            default: penalty += min(3, 1 + 0.1 * gap.size)
            }
        }
        let issues = assessment.issues
        let m = request.measures
        let score = max(0, (10 - penalty) * 10).rounded() / 10
        let length = request.recipe.family.isLattice && m.latticeCellMM != nil
            ? String(format: "cells %.3g mm", m.latticeCellMM ?? 0) : String(format: "features %.3g mm", m.characteristicLengthMM)
        let reached = request.targets.compactMap { t in
            m.properties?.value(of: t).map { "\(PropertySteps.symbol(t)) \(PropertyTarget.number($0))" }
        }
        let summary = issues.isEmpty
            ? String(format: "Matches the target: %@%.1f%% solid, %@, printable.",
                     reached.isEmpty ? "" : reached.joined(separator: ", ") + ", ", m.solidFraction * 100, length)
            : "\(issues.count) gap\(issues.count == 1 ? "" : "s") to the target: " + issues[0] + "."
        let critique = Critique(score: score, summary: summary, issues: issues, adjustments: assessment.adjustments,
                                satisfied: assessment.met)
        return CritiqueOutcome(critique: critique, critic: "local", warnings: [], exchange: nil)
    }
}

extension StructureFamily {
    /// Columnar and lamellar structures, which the critic expects to measure anisotropic.
    var isAnisotropic: Bool { self == .columnar || self == .lamellar }
}
