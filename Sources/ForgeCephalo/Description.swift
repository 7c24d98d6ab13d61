import ForgeCore

/// A recipe described from a prompt, with where each value came from.
public struct Description: Sendable, Equatable {
    public var recipe: Recipe
    /// Recipe key → the words of the prompt that set it; keys not listed took their default.
    public var fromPrompt: [String: String]

    /// Recipe keys that took their documented default.
    public var defaulted: [String] {
        ["family", "solid_fraction", "wavelength_mm", "extent_mm", "bandwidth", "size", "seed"]
            .filter { fromPrompt[$0] == nil }
    }
}

/// Turns a description of a microstructure into a recipe.
public protocol Describer {
    func describe(_ prompt: String) throws -> Description
}
