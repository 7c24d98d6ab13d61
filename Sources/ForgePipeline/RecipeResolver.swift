import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// Where a run's recipe comes from: a prompt (through a describer), a recipe file or
/// template, plus command-line overrides.
public struct RecipeRequest: Sendable {
    public var prompt: String?
    public var recipeReference: String?
    public var size: GridSize?
    public var seed: UInt64?
    public var tile: [Int]?
    /// A picture to rebuild: its statistics set the structure (see `ImageReference`).
    public var image: ImageReference?
    /// The solid's material (`--material`): overrides the recipe's.
    public var material: SolidMaterial?

    public init(prompt: String? = nil, recipeReference: String? = nil, size: GridSize? = nil, seed: UInt64? = nil,
                tile: [Int]? = nil, image: ImageReference? = nil, material: SolidMaterial? = nil) {
        self.image = image
        self.material = material
        self.prompt = prompt
        self.recipeReference = recipeReference
        self.size = size
        self.seed = seed
        self.tile = tile
    }

    /// The prompt used when neither a prompt nor a recipe is given.
    public static let defaultPrompt = "trabecular bone scaffold, 30% solid, 10 mm cube"
}

/// A resolved recipe and an account of where its values came from.
public struct ResolvedRecipe: Sendable {
    public var recipe: Recipe
    /// Recipe key → source ("prompt: …", "recipe file", "--size", "default").
    public var sources: [(key: String, source: String)]
    /// Folder name for the default output location.
    public var slug: String
    /// What the describer wants the user to know (a Cephalo fallback, clamped values).
    public var notes: [String] = []
    /// The Cephalo exchange, when a model described the prompt.
    public var exchange: ChatExchange?
    /// Values the model gave against what the prompt states (the prompt's were kept).
    public var conflicts: [Conflict] = []

    /// What `describe.json` records when a model described the prompt: where each value
    /// came from, the conflicts with the prompt and the notes.
    public func describeRecord() throws -> Data {
        struct Record: Encodable {
            var sources: [String: String]
            var conflicts: [Conflict]
            var notes: [String]
        }
        let record = Record(sources: Dictionary(sources.map { ($0.key, $0.source) }, uniquingKeysWith: { a, _ in a }),
                            conflicts: conflicts, notes: notes)
        return try JSONFile.encode(record)
    }
}

public enum RecipeResolver {
    public static func resolve(_ request: RecipeRequest, describer: Describer = LocalDescriber()) throws -> ResolvedRecipe {
        var recipe: Recipe
        var sources: [String: String] = [:]
        var notes: [String] = [], exchange: ChatExchange?, conflicts: [Conflict] = []
        if let reference = request.recipeReference {
            if let prompt = request.prompt, !prompt.isEmpty {
                throw ResolveError.promptAndRecipe(prompt: prompt)
            }
            recipe = try RecipeFile.load(reference, templateFolders: TemplateFolders.recipeFolders())
            for key in Recipe.keyNames { sources[key] = "recipe \(reference)" }
        } else {
            let prompt = request.prompt ?? RecipeRequest.defaultPrompt
            let description = try describer.describe(prompt, size: request.size)
            recipe = description.recipe
            for (key, words) in description.fromPrompt { sources[key] = "prompt: \"\(words)\"" }
            for (key, value) in description.fromModel { sources[key] = "cephalo: \(value)" }
            notes = description.notes
            exchange = description.exchange
            conflicts = description.conflicts
        }
        if let size = request.size {
            recipe.size = size
            sources["size"] = "--size"
        }
        if let seed = request.seed {
            recipe.seed = seed
            sources["seed"] = "--seed"
        }
        if let tile = request.tile {
            recipe.tile = tile
            sources["tile"] = "--tile"
        }
        if let material = request.material {
            recipe.material = material
            sources["material"] = "--material"
        }
        if var reference = request.image {
            reference.path = URL(fileURLWithPath: reference.path).standardizedFileURL.path
            // A fraction from the prompt cuts the image there; otherwise Otsu's method does,
            // and the image's fraction becomes the recipe's.
            let fromPrompt = sources["solid_fraction"]?.hasPrefix("prompt") == true
            reference.threshold = fromPrompt ? .fraction : .otsu
            let analysis = try ImageAnalysis(reference, fraction: recipe.solidFraction, extentMM: recipe.extentMM)
            if reference.threshold == .otsu {
                recipe.solidFraction = (analysis.fraction * 10_000).rounded() / 10_000
                recipe.grading = nil
                sources["solid_fraction"] = "image (Otsu's threshold)"
            }
            // For the record and the critic: the spinodal wavelength with the same 1/e length.
            let lengths = analysis.summary.correlationLengthsMM
            let wavelength = 3.8 * lengths.reduce(0, +) / Double(lengths.count)
            recipe.wavelengthMM = min(max(wavelength, 2 * recipe.voxelSizeMM), recipe.extentMM)
            sources["wavelength_mm"] = "image statistics"
            if lengths.min()! < recipe.voxelSizeMM {
                notes.append(String(format: "the image's features (%.3g mm) are finer than a voxel (%.3g mm); "
                    + "raise --size or set --image-pixel-mm", lengths.min()!, recipe.voxelSizeMM))
            }
            recipe.image = reference
        }
        try recipe.validate()
        let listed = Description.reportedKeys.map { (key: $0, source: sources[$0] ?? "default") }
            + sources.filter { Recipe.keyNames.contains($0.key) && !Description.reportedKeys.contains($0.key) && !$0.value.hasPrefix("recipe") }
                .sorted { $0.key < $1.key }.map { (key: $0.key, source: $0.value) }
            + recipe.targets.indices.map { i in
                (key: "target \(i + 1) (\(recipe.targets[i].label))", source: sources["targets[\(i)]"] ?? sources["targets"] ?? "default")
            }
        let slug = LocalDescriber.slug(recipe.name ?? recipe.prompt ?? "design")
        return ResolvedRecipe(recipe: recipe, sources: listed, slug: slug, notes: notes, exchange: exchange, conflicts: conflicts)
    }
}

public enum ResolveError: Error, CustomStringConvertible {
    case promptAndRecipe(prompt: String)

    public var description: String {
        switch self {
        case let .promptAndRecipe(prompt):
            return "both a prompt (\"\(prompt)\") and --recipe were given: use one of them"
        }
    }
}
