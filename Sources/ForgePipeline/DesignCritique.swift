import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

extension DesignMetrics {
    /// The numbers a critic judges by, for a design made from `recipe`.
    public func measures(of recipe: Recipe) -> DesignMeasures {
        let s = structure
        var measures = DesignMeasures(
            solidFraction: solidFraction, characteristicLengthMM: s.twoPoint.characteristicLengthMM,
            correlationLengthsMM: s.twoPoint.correlationLengthsMM, anisotropyRatio: s.twoPoint.anisotropyRatio,
            layerSolidFractions: layerSolidFractions, solidBodies: s.topology.solidComponents,
            enclosedVoids: s.topology.voidsEnclosed, solidThicknessP5MM: s.solidThickness?.percentile5MM,
            poreThicknessP5MM: s.poreThickness?.percentile5MM, watertight: watertight,
            printable: printability.printable, printabilityReasons: printability.reasons)
        measures.latticeCellMM = recipe.family.cellPerLeadingPeriod.map { s.twoPoint.characteristicLengthMM * $0 }
        measures.properties = properties.flatMap(\.measures)
        return measures
    }
}

/// Critiques a design folder and keeps the result beside it.
public enum DesignCritique {
    public static let fileName = "critique.json"

    /// What a critique of `design` records: the critique, the critic, and its warnings.
    public struct Record: Codable, Sendable {
        public var critique: Critique
        public var critic: String
        public var target: String
        public var warnings: [String]
        /// The measured distance to the target, gap by gap (the local critic's reading,
        /// whoever critiqued).
        public var measured: TargetAssessment?
    }

    /// Critiques `design` against `target` (its own prompt when nil) and writes
    /// critique.json (and the model exchange, when there was one) into its folder.
    public static func critique(_ design: DesignFolder, target: String?, critic: any Critic,
                                adjustable: [String] = RecipeAdjuster.designParameters,
                                history: [CritiqueRequest.Observation] = []) throws -> (Record, CritiqueOutcome) {
        let goal = target ?? design.recipe.prompt ?? design.recipe.name ?? "the design as recorded in its recipe"
        var targetDescription = try LocalDescriber().describe(goal)
        if target == nil && design.recipe.prompt == nil {
            // No words to go by: the recipe itself is the target.
            targetDescription = Description(recipe: design.recipe, fromPrompt: ["family": "recipe", "mode": "recipe"])
        }
        var request = CritiqueRequest(target: goal, targetDescription: targetDescription, recipe: design.recipe,
                                      measures: design.metrics.measures(of: design.recipe),
                                      images: ModelPictures.critiqueSheet(of: design.layout, sliceCount: design.recipe.tiledSize.nz)
                                          .map { [$0] } ?? [],
                                      adjustable: adjustable)
        request.history = history
        let outcome = critic.critique(request)
        if let exchange = outcome.exchange { try ExchangeRecord.write(exchange, into: design.layout.folder, stem: "critique") }
        let record = Record(critique: outcome.critique, critic: outcome.critic, target: goal, warnings: outcome.warnings,
                            measured: TargetAssessment(request))
        try JSONFile.write(record, to: design.layout.folder.appendingPathComponent(fileName))
        return (record, outcome)
    }
}

extension DesignProperties {
    /// The numbers property targets are judged by; nil without the elastic solve.
    public var measures: PropertyMeasures? {
        guard let e = elastic else { return nil }
        return PropertyMeasures(
            solidModulusGPa: e.material.youngsModulusGPa, youngsModulusGPa: e.youngsModulusGPa.values,
            shearModulusGPa: [e.shearModulusGPa.yz, e.shearModulusGPa.xz, e.shearModulusGPa.xy],
            permeabilityM2: transport?.permeabilityM2.values, tortuosityFactor: transport?.tortuosityFactor.values)
    }
}
