import ForgeCore
import Foundation
import Yams

/// Recipes on disk: JSON or YAML files, or templates by name from `Templates/recipes/`.
public enum RecipeFile {
    /// Loads `reference`: a path to a `.json`, `.yaml` or `.yml` file, or the name of a
    /// template in one of `templateFolders`. Missing keys take `Recipe.defaults`.
    public static func load(_ reference: String, templateFolders: [URL]) throws -> Recipe {
        guard !reference.isEmpty else {
            throw FormatError.cannotRead(path: "\"\"", reason: "the recipe name is empty; give a file or a template name")
        }
        let direct = URL(fileURLWithPath: reference)
        if FileManager.default.fileExists(atPath: direct.path) {
            return try decode(direct)
        }
        let looksLikePath = reference.contains("/") || [".json", ".yaml", ".yml"].contains { reference.hasSuffix($0) }
        if looksLikePath {
            throw FormatError.cannotRead(path: reference, reason: "no such file")
        }
        for folder in templateFolders {
            for ext in ["yaml", "yml", "json"] {
                let url = folder.appendingPathComponent("\(reference).\(ext)")
                if FileManager.default.fileExists(atPath: url.path) {
                    var recipe = try decode(url)
                    if recipe.name == nil { recipe.name = reference }
                    return recipe
                }
            }
        }
        throw FormatError.recipeNotFound(name: reference, searched: templateFolders.map(\.path))
    }

    /// Decodes one recipe file; the format follows the extension (JSON unless .yaml/.yml).
    /// A regular file of at most 1 MiB, nesting at most 32 levels, with no key given twice.
    public static func decode(_ url: URL) throws -> Recipe {
        let data = try InputFile.read(url, maximumBytes: StructuredText.maximumBytes)
        do {
            if ["yaml", "yml"].contains(url.pathExtension.lowercased()) {
                let text = String(decoding: data, as: UTF8.self)
                try StructuredText.checkYAML(text)
                return try YAMLDecoder().decode(Recipe.self, from: text)
            }
            try StructuredText.checkJSON(data)
            return try JSONDecoder().decode(Recipe.self, from: data)
        } catch let problem as StructuredText.Problem {
            throw FormatError.recipe(path: url.path, reason: problem.reason)
        } catch let error as RecipeError {
            throw FormatError.recipe(path: url.path, reason: error.description)
        } catch let DecodingError.dataCorrupted(context) {
            // Yams reports what the recipe's own decoding threw (an unknown key, a bad value)
            // as "not valid YAML", with the real reason underneath.
            if let reason = context.underlyingError as? RecipeError {
                throw FormatError.recipe(path: url.path, reason: reason.description)
            }
            if let inner = context.underlyingError as? DecodingError {
                throw FormatError.recipe(path: url.path, reason: Self.reason(inner))
            }
            throw FormatError.recipe(path: url.path, reason: context.debugDescription)
        } catch let DecodingError.typeMismatch(_, context) {
            throw FormatError.recipe(path: url.path, reason: "expected a mapping of recipe keys (\(context.debugDescription))")
        } catch {
            throw FormatError.recipe(path: url.path, reason: "\(error)")
        }
    }

    /// A decoding error in a sentence: what was wrong, and at which key.
    static func reason(_ error: DecodingError) -> String {
        let (context, what): (DecodingError.Context, String)
        switch error {
        case let .typeMismatch(type, c): (context, what) = (c, "expected \(type)")
        case let .valueNotFound(type, c): (context, what) = (c, "missing \(type)")
        case let .keyNotFound(key, c): (context, what) = (c, "missing key '\(key.stringValue)'")
        case let .dataCorrupted(c): (context, what) = (c, c.debugDescription)
        @unknown default: return "\(error)"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? what : "\(path): \(what)"
    }
}
