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
    /// Values the model gave that contradict what the prompt states (the prompt's are kept).
    public var conflicts: [Conflict] = []
    /// The model exchange, when a model was asked.
    public var exchange: ChatExchange?

    public init(recipe: Recipe, fromPrompt: [String: String]) {
        self.recipe = recipe
        self.fromPrompt = fromPrompt
    }

    /// Whether the prompt states `key` outright: it names the family, mode or axis, or gives
    /// the value in numbers ("70% porosity", "600 µm pores", "10 mm cube"). Values implied by
    /// a word ("foam" → a 2 mm wavelength, "resin" → 0.1 mm resolution) are not stated: a
    /// model may refine them.
    public func states(_ key: String) -> Bool {
        guard let words = fromPrompt[key] else { return false }
        return ["family", "mode", "axis"].contains(key) || words.contains(where: \.isNumber)
    }

    /// Recipe keys that took their documented default.
    public var defaulted: [String] {
        Description.reportedKeys.filter { fromPrompt[$0] == nil && fromModel[$0] == nil }
    }

    /// The keys whose source is reported, in display order.
    public static let reportedKeys = ["family", "mode", "solid_fraction", "grading", "wavelength_mm", "axis",
                                      "extent_mm", "bandwidth", "min_feature_mm", "printer_resolution_mm",
                                      "tile", "size", "seed", "material"]
}

/// A value the model gave against what the prompt states; the prompt wins.
public struct Conflict: Codable, Sendable, Equatable {
    public var key: String
    /// The words of the prompt that set the key.
    public var words: String
    /// The value kept (from the prompt) and the model's.
    public var kept: String
    public var model: String

    public var sentence: String {
        "the prompt says \(key) = \(kept) (\"\(words)\"), Cephalo said \(model); the prompt's value is kept"
    }
}

/// Turns a description of a microstructure into a recipe.
public protocol Describer {
    /// The recipe for `prompt`; `size`, when given, is the grid the recipe will be made on
    /// (values that depend on the voxel size are judged against it).
    func describe(_ prompt: String, size: GridSize?) throws -> Description
}

extension Describer {
    public func describe(_ prompt: String) throws -> Description { try describe(prompt, size: nil) }
}
