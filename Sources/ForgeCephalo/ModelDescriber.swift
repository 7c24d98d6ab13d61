import ForgeCore
import Foundation

/// A describer that asks a Cephalo model for recipe values and fills the rest from the
/// local describer. Values are validated and clamped (with a note); when the reply gives
/// nothing usable the local describer's recipe is used, and a note says so.
public struct ModelDescriber: Describer {
    public let client: ChatClient
    public let templates: PromptTemplates
    /// An image of the wanted structure, sent with the prompt.
    public var image: ChatImage?

    public init(client: ChatClient, templates: PromptTemplates, image: ChatImage? = nil) {
        self.client = client
        self.templates = templates
        self.image = image
    }

    public func promptText(_ prompt: String) -> String {
        PromptTemplates.fill(templates.describe, [
            "prompt": prompt, "schema": PromptTemplates.recipeSchema,
            "image_note": image == nil ? "" : " and shows a picture of it",
        ])
    }

    public func describe(_ prompt: String) throws -> Description {
        var local = try LocalDescriber().describe(prompt)
        var exchange: ChatExchange?
        do {
            let reply = try client.complete(text: promptText(prompt), images: image.map { [$0] } ?? [], exchange: &exchange)
            guard let object = JSONExtraction.object(in: reply) else {
                throw CephaloError.noJSON(excerpt: String(reply.prefix(80)))
            }
            var merged = try Self.merge(object, into: local)
            merged.exchange = exchange
            return merged
        } catch {
            local.notes.append("Cephalo describe failed: \(error); the local describer's recipe is used")
            local.exchange = exchange
            return local
        }
    }

    /// `local` with the values of a model's JSON object applied (known keys only, in a
    /// fixed order so that bounds depending on the extent see the new extent).
    public static func merge(_ object: [String: Any], into local: Description) throws(CephaloError) -> Description {
        var recipe = local.recipe, notes: [String] = [], fromModel: [String: String] = [:]
        let lowered = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in lowered.keys.sorted() where !RecipeAdjuster.parameters.contains(key) && key != "name" {
            notes.append("Cephalo gave '\(key)', which is not a recipe key it may set; ignored")
        }
        let order = ["extent_mm"] + RecipeAdjuster.parameters.filter { $0 != "extent_mm" && $0 != "seed" }
        for key in order {
            guard let raw = lowered[key] else { continue }
            guard let value = ParameterValue(json: raw) else {
                notes.append("Cephalo gave \(key) = \(raw), not a number or a name; ignored")
                continue
            }
            do {
                try RecipeAdjuster.apply(key, .set(value), to: &recipe, warnings: &notes)
                switch value {
                case .number(let v): fromModel[key] = String(format: "%.4g", RecipeAdjuster.number(key, of: recipe).isNaN ? v : RecipeAdjuster.number(key, of: recipe))
                case .text(let t): fromModel[key] = t
                }
            } catch {
                notes.append("Cephalo's \(key): \(error); ignored")
            }
        }
        if let name = lowered["name"] as? String, !name.isEmpty {
            recipe.name = LocalDescriber.slug(name)
        }
        guard !fromModel.isEmpty else { throw .wrongShape(reason: "none of its keys is a usable recipe value") }
        do { try recipe.validate() } catch { throw .wrongShape(reason: "the merged recipe is invalid: \(error)") }
        var description = Description(recipe: recipe, fromPrompt: local.fromPrompt.filter { fromModel[$0.key] == nil })
        description.fromModel = fromModel
        description.notes = notes.map { "Cephalo describe: \($0)" }
        return description
    }
}
