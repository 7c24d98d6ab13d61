import CephaloForge
import Foundation

/// The body of `POST /api/designs`, checked as the CLI checks its arguments:
/// `{"prompt": …}`, `{"recipe": {…} | "yaml or json text"}` or `{"template": "name"}` (a
/// recipe of Templates/recipes), with optional `size`
/// (128 or "128x128x64"), `seed`, `formats` (["stl", "3mf"] or "stl,3mf"), `properties`
/// (off|fast|full) and `images` (true by default).
struct DesignRequest {
    static let keys = ["prompt", "recipe", "template", "size", "seed", "material", "picture", "invert", "picture_pixel_mm",
                       "formats", "properties", "images"]
    /// Keys an iteration takes besides: what it converges to and the rounds of its first step.
    static let iterationKeys = ["target", "rounds"]

    var prompt: String?
    /// Recipe text and the extension it is read with (json or yaml).
    var recipeText: (text: String, ext: String)?
    /// The name of a recipe template.
    var template: String?
    var size: GridSize?
    var seed: UInt64?
    var formats: String = "stl"
    var properties: PropertyMode = .fast
    var images = true
    var target: String?
    var rounds = 1
    var material: SolidMaterial?
    /// An uploaded picture (`POST /api/pictures`): its id, whether its dark phase is solid,
    /// and the size of one pixel in mm.
    var picture: String?
    var invert = false
    var picturePixelMM: Double?

    init(json data: Data, iteration: Bool = false) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else {
            throw StudioError.badRequest("the body is not a JSON object: send {\"prompt\": \"…\"} or {\"recipe\": {…}}")
        }
        let known = Self.keys + (iteration ? Self.iterationKeys : [])
        for key in body.keys where !known.contains(key) {
            throw StudioError.badRequest("unknown key '\(key)': use \(known.joined(separator: ", "))")
        }
        target = try JSONValue.text(body, "target")
        rounds = try JSONValue.wholeNumber(body, "rounds", in: 1...Iteration.maxRounds) ?? 1
        prompt = try JSONValue.text(body, "prompt")
        if let value = body["recipe"] {
            if let text = value as? String {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                recipeText = (text, trimmed.hasPrefix("{") ? "json" : "yaml")
            } else if value is [String: Any],
                      let encoded = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                recipeText = (String(decoding: encoded, as: UTF8.self), "json")
            } else {
                throw StudioError.badRequest("recipe must be a JSON object or the text of a recipe file (YAML or JSON)")
            }
        }
        if let value = body["template"] {
            guard let name = value as? String, RecipeTemplates.names().contains(name) else {
                throw StudioError.badRequest("template must name a recipe of Templates/recipes: "
                                             + RecipeTemplates.names().joined(separator: ", "))
            }
            template = name
        }
        guard [prompt != nil, recipeText != nil, template != nil].filter({ $0 }).count <= 1 else {
            throw StudioError.badRequest("give one of prompt, recipe and template")
        }
        if let value = body["size"] {
            let text = (value as? String) ?? (value as? NSNumber).map { "\($0)" } ?? ""
            guard let parsed = GridSize(parsing: text) else {
                throw StudioError.badRequest("size \(text.isEmpty ? "\(value)" : text) is not a size: write 128, 512x512 or 128x128x64")
            }
            size = parsed
        }
        if let value = body["seed"] {
            guard let number = value as? NSNumber, !JSONValue.isFlag(number),
                  let seed = UInt64(exactly: number.doubleValue), number.doubleValue < 9.0e15 else {
                throw StudioError.badRequest("seed must be a whole number from 0 to 9e15")
            }
            self.seed = seed
        }
        if let value = body["formats"] {
            let list = (value as? [String])?.joined(separator: ",") ?? (value as? String)
            guard let list, !list.isEmpty else {
                throw StudioError.badRequest("formats must be a list such as [\"stl\", \"3mf\"]")
            }
            do { _ = try MeshFormat.list(list) } catch { throw StudioError.badRequest("\(error)") }
            formats = list
        }
        if let value = body["properties"] {
            guard let text = value as? String, let mode = PropertyMode(rawValue: text.lowercased()) else {
                throw StudioError.badRequest("properties must be off, fast or full")
            }
            properties = mode
        }
        if let value = body["material"] {
            let text: String
            if let name = value as? String {
                text = "\"" + name.replacingOccurrences(of: "\"", with: "") + "\""
            } else if let object = value as? [String: Any], let data = try? JSONSerialization.data(withJSONObject: object) {
                text = String(decoding: data, as: UTF8.self)
            } else {
                throw StudioError.badRequest("material must be a name (resin, pla, pa12, ti64, ss316l) or "
                                             + "{\"name\": …, \"youngs_modulus_gpa\": …, \"poisson_ratio\": …}")
            }
            do {
                let decoded = try JSONDecoder().decode(SolidMaterial.self, from: Data(text.utf8))
                try decoded.validate()
                material = decoded
            } catch {
                throw StudioError.badRequest("material: \(error)")
            }
        }
        if let value = body["picture"] {
            guard let id = value as? String, StudioPaths.isPlainName(id), !id.contains(".") else {
                throw StudioError.badRequest("picture must be the id POST /api/pictures returned")
            }
            picture = id
        }
        if let value = body["invert"] {
            guard let number = value as? NSNumber, JSONValue.isFlag(number) else {
                throw StudioError.badRequest("invert must be true or false")
            }
            invert = number.boolValue
        }
        if let value = body["picture_pixel_mm"] {
            guard let number = value as? NSNumber, !JSONValue.isFlag(number), number.doubleValue > 0,
                  number.doubleValue.isFinite, number.doubleValue <= 100 else {
                throw StudioError.badRequest("picture_pixel_mm must be a size in mm greater than 0 (at most 100)")
            }
            picturePixelMM = number.doubleValue
        }
        if picture == nil && (body["invert"] != nil || picturePixelMM != nil) {
            throw StudioError.badRequest("invert and picture_pixel_mm need a picture")
        }
        if let value = body["images"] {
            guard let number = value as? NSNumber, JSONValue.isFlag(number) else { throw StudioError.badRequest("images must be true or false") }
            images = number.boolValue
        }
    }

    /// Resolves the recipe as `generate` would (the local describer for a prompt), checks that it
    /// fits in memory, and writes it to `recipeURL`, from which the job's `generate` reads it.
    func resolve(writingRecipeTo recipeURL: URL, pictures: URL) throws -> ResolvedRecipe {
        var request = RecipeRequest(prompt: prompt, recipeReference: template, size: size, seed: seed, material: material)
        if let picture {
            let file = pictures.appendingPathComponent(picture + ".png")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw StudioError.badRequest("no picture \(picture): upload it with POST /api/pictures first")
            }
            request.image = ImageReference(path: file.path, pixelMM: picturePixelMM, invert: invert)
        }
        var written: URL?
        if let recipeText {
            let source = recipeURL.deletingPathExtension().appendingPathExtension("source." + recipeText.ext)
            try Data(recipeText.text.utf8).write(to: source)
            request.recipeReference = source.path
            written = source
        }
        defer { if let written { try? FileManager.default.removeItem(at: written) } }
        do {
            let resolved = try RecipeResolver.resolve(request)
            try MemoryBudget.check(resolved.recipe.tiledSize)
            try MemoryBudget.checkProperties(DesignProperties.cellSize(of: resolved.recipe), mode: properties)
            try JSONFile.encode(resolved.recipe).write(to: recipeURL, options: .atomic)
            return resolved
        } catch let error as StudioError {
            throw error
        } catch {
            var message = "\(error)"
            if let written { message = message.replacingOccurrences(of: written.path, with: "recipe") }
            throw StudioError.badRequest(message)
        }
    }

    /// The `generate` arguments of the job, after the executable.
    func arguments(recipe: URL, folder: URL) -> [String] {
        ["generate"] + common(recipe: recipe, folder: folder)
    }

    /// The `iterate` arguments of an iteration's steps, without `--rounds`.
    func iterationArguments(recipe: URL, folder: URL, target: String) -> [String] {
        // One argument with `=`: a target that starts with a dash stays a value.
        ["iterate", "--target=" + target] + common(recipe: recipe, folder: folder)
    }

    private func common(recipe: URL, folder: URL) -> [String] {
        var arguments = ["--recipe", recipe.path, "--out", folder.path, "--format", formats,
                         "--properties", properties.rawValue, "--progress-json"]
        if !images { arguments.append("--no-images") }
        return arguments
    }
}

/// Reading the values of a decoded JSON object, with one-line errors naming the key.
enum JSONValue {
    /// A non-empty string of at most 4096 bytes, when `key` is present.
    static func text(_ body: [String: Any], _ key: String) throws -> String? {
        guard let value = body[key] else { return nil }
        guard let text = value as? String, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              text.utf8.count <= 4096 else {
            throw StudioError.badRequest("\(key) must be a non-empty string of at most 4096 bytes")
        }
        return text
    }

    /// A whole number in `range`, when `key` is present.
    static func wholeNumber(_ body: [String: Any], _ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = body[key] else { return nil }
        guard let number = value as? NSNumber, !isFlag(number), let n = Int(exactly: number.doubleValue), range.contains(n) else {
            throw StudioError.badRequest("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// Whether a decoded number is JSON's true or false rather than a number.
    static func isFlag(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }
}
