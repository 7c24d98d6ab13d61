import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

extension DesignMetrics {
    /// The numbers a critic judges by.
    public var measures: DesignMeasures {
        let s = structure
        return DesignMeasures(
            solidFraction: solidFraction, characteristicLengthMM: s.twoPoint.characteristicLengthMM,
            correlationLengthsMM: s.twoPoint.correlationLengthsMM, anisotropyRatio: s.twoPoint.anisotropyRatio,
            layerSolidFractions: layerSolidFractions, solidBodies: s.topology.solidComponents,
            enclosedVoids: s.topology.voidsEnclosed, solidThicknessP5MM: s.solidThickness?.percentile5MM,
            poreThicknessP5MM: s.poreThickness?.percentile5MM, watertight: watertight,
            printable: printability.printable, printabilityReasons: printability.reasons)
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
    }

    /// The pictures a critic sees: the render and the montage, or the middle slice.
    public static func images(of layout: OutputLayout, sliceCount: Int) -> [ChatImage] {
        var images: [ChatImage] = []
        for name in ["preview.png", DesignImages.montage] {
            if let data = try? Data(contentsOf: layout.folder.appendingPathComponent(name)) {
                images.append(ChatImage(name: name, png: data))
            }
        }
        if images.isEmpty, sliceCount > 0 {
            let name = SliceStackWriter.fileName(z: sliceCount / 2)
            if let data = try? Data(contentsOf: layout.slicesURL.appendingPathComponent(name)) {
                images.append(ChatImage(name: "slices/" + name, png: data))
            }
        }
        return images
    }

    /// Critiques `design` against `target` (its own prompt when nil) and writes
    /// critique.json (and the model exchange, when there was one) into its folder.
    public static func critique(_ design: DesignFolder, target: String?, critic: any Critic) throws -> (Record, CritiqueOutcome) {
        let goal = target ?? design.recipe.prompt ?? design.recipe.name ?? "the design as recorded in its recipe"
        var targetDescription = try LocalDescriber().describe(goal)
        if target == nil && design.recipe.prompt == nil {
            // No words to go by: the recipe itself is the target.
            targetDescription = Description(recipe: design.recipe, fromPrompt: ["family": "recipe", "mode": "recipe"])
        }
        let request = CritiqueRequest(target: goal, targetDescription: targetDescription, recipe: design.recipe,
                                      measures: design.metrics.measures,
                                      images: images(of: design.layout, sliceCount: design.recipe.tiledSize.nz))
        let outcome = critic.critique(request)
        if let exchange = outcome.exchange { try ExchangeRecord.write(exchange, into: design.layout.folder, stem: "critique") }
        let record = Record(critique: outcome.critique, critic: outcome.critic, target: goal, warnings: outcome.warnings)
        try JSONFile.write(record, to: design.layout.folder.appendingPathComponent(fileName))
        return (record, outcome)
    }
}
