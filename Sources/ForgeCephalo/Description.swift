import ForgeCore

/// A recipe described from a prompt, with where each value came from.
public struct Description: Sendable {
    public var recipe: Recipe
    /// Recipe key → the words of the prompt that set it; keys not listed took their default.
    public var fromPrompt: [String: String]
    /// Recipe key → the value a model gave for it (keys set by Cephalo).
    public var fromModel: [String: String] = [:]
    /// What the describer wants the user to know (a fallback, clamped values).
    public var notes: [String] = []
    /// The model exchange, when a model was asked.
    public var exchange: ChatExchange?

    public init(recipe: Recipe, fromPrompt: [String: String]) {
        self.recipe = recipe
        self.fromPrompt = fromPrompt
    }

    /// Recipe keys that took their documented default.
    public var defaulted: [String] {
        Description.reportedKeys.filter { fromPrompt[$0] == nil && fromModel[$0] == nil }
    }

    /// The keys whose source is reported, in display order.
    public static let reportedKeys = ["family", "mode", "solid_fraction", "grading", "wavelength_mm", "axis",
                                      "extent_mm", "bandwidth", "min_feature_mm", "printer_resolution_mm",
                                      "tile", "size", "seed"]
}

/// Turns a description of a microstructure into a recipe.
public protocol Describer {
    func describe(_ prompt: String) throws -> Description
}
