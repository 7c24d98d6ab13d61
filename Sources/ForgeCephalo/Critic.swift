import ForgeCore
import Foundation

/// What a critic looks at: the target, the recipe that was used, the measurements and the
/// pictures.
public struct CritiqueRequest: Sendable {
    /// The designer's description of what they want.
    public var target: String
    /// The target read as a recipe (what it asks for, with defaults for the rest).
    public var targetDescription: Description
    public var recipe: Recipe
    public var measures: DesignMeasures
    /// The 3D render and the slice montage (or the middle slice), in that order.
    public var images: [ChatImage]

    public init(target: String, targetDescription: Description, recipe: Recipe, measures: DesignMeasures, images: [ChatImage]) {
        self.target = target
        self.targetDescription = targetDescription
        self.recipe = recipe
        self.measures = measures
        self.images = images
    }
}

/// A critique and how it was made.
public struct CritiqueOutcome: Sendable {
    public var critique: Critique
    /// "local" or "cephalo <model>".
    public var critic: String
    /// Problems that did not stop the critique (a fallback, dropped adjustments).
    public var warnings: [String]
    /// The model exchange, when a model was asked.
    public var exchange: ChatExchange?
}

/// Judges a design against its target.
public protocol Critic: Sendable {
    func critique(_ request: CritiqueRequest) -> CritiqueOutcome
}
