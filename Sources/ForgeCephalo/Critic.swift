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
    /// One picture: the 3D render beside the slice montage (or the middle slice).
    public var images: [ChatImage]
    /// The parameters a critique may change (the design parameters, plus what the user
    /// allowed).
    public var adjustable: [String]
    /// Earlier rounds of the same design, oldest first: what the property steps fit their
    /// scaling laws to.
    public var history: [Observation] = []

    /// One design made and measured.
    public struct Observation: Sendable {
        public var recipe: Recipe
        public var measures: DesignMeasures

        public init(recipe: Recipe, measures: DesignMeasures) {
            self.recipe = recipe
            self.measures = measures
        }
    }

    /// The property targets judged: the recipe's own, else those the target's words ask for.
    public var targets: [PropertyTarget] {
        recipe.targets.isEmpty ? targetDescription.recipe.targets : recipe.targets
    }

    public init(target: String, targetDescription: Description, recipe: Recipe, measures: DesignMeasures, images: [ChatImage],
                adjustable: [String] = RecipeAdjuster.designParameters) {
        self.target = target
        self.targetDescription = targetDescription
        self.recipe = recipe
        self.measures = measures
        self.images = images
        self.adjustable = adjustable
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

    public init(critique: Critique, critic: String, warnings: [String], exchange: ChatExchange?) {
        self.critique = critique
        self.critic = critic
        self.warnings = warnings
        self.exchange = exchange
    }
}

/// Judges a design against its target.
public protocol Critic: Sendable {
    func critique(_ request: CritiqueRequest) -> CritiqueOutcome
}
