import ForgeCore

/// A recipe described from a prompt, with where each value came from.
public struct Description: Sendable, Equatable {
    public var recipe: Recipe
    /// Recipe key → the words of the prompt that set it; keys not listed took their default.
    public var fromPrompt: [String: String]

    /// Recipe keys that took their documented default.
    public var defaulted: [String] {
        Description.reportedKeys.filter { fromPrompt[$0] == nil }
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
