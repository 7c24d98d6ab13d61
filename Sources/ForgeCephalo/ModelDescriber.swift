import ForgeCore
import Foundation

/// A describer that asks a Cephalo model for recipe values and fills the rest from the
/// local describer. What the prompt states (`Description.states`) wins: a model value that
/// contradicts it is ignored and recorded as a conflict; values the prompt only implies are
/// the model's to refine. Values are validated and clamped (with a note);
/// when the reply gives nothing usable the local describer's recipe is used, and a note
/// says so.
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

    public func describe(_ prompt: String, size: GridSize? = nil) throws -> Description {
        var local = try LocalDescriber().describe(prompt, size: size)
        var exchange: ChatExchange?
        do {
            let reply = try client.complete(text: promptText(prompt), images: image.map { [$0] } ?? [], exchange: &exchange)
            guard let object = JSONExtraction.object(in: reply) else {
                throw CephaloError.noJSON(excerpt: String(reply.prefix(80)))
            }
            var merged = try Self.merge(object, into: local)
            merged.notes = (exchange?.notes ?? []).map { "Cephalo: \($0)" } + merged.notes
            merged.exchange = exchange
            return merged
        } catch {
            local.notes += (exchange?.notes ?? []).map { "Cephalo: \($0)" }
            local.notes.append("Cephalo describe failed: \(error); the local describer's recipe is used")
            local.exchange = exchange
            return local
        }
    }

    /// `local` with the values of a model's JSON object applied (known keys only, in a
    /// fixed order so that bounds depending on the extent see the new extent). A key the
    /// prompt stated keeps the prompt's value; a different model value becomes a conflict.
    public static func merge(_ object: [String: Any], into local: Description) throws(CephaloError) -> Description {
        var recipe = local.recipe, notes: [String] = [], fromModel: [String: String] = [:]
        var conflicts: [Conflict] = []
        let lowered = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in lowered.keys.sorted() where !RecipeAdjuster.parameters.contains(key) && !["name", "targets", "material"].contains(key) {
            notes.append("Cephalo gave '\(key)', which is not a recipe key it may set; ignored")
        }
        let order = ["extent_mm"] + RecipeAdjuster.parameters.filter { $0 != "extent_mm" && $0 != "seed" }
        for key in order {
            guard let raw = lowered[key] else { continue }
            guard let value = ParameterValue(json: raw) else {
                notes.append("Cephalo gave \(key) = \(raw), not a number or a name; ignored")
                continue
            }
            var trial = recipe, trialNotes: [String] = []
            do {
                try RecipeAdjuster.apply(key, .set(value), to: &trial, warnings: &trialNotes)
            } catch {
                notes.append("Cephalo's \(key): \(error); ignored")
                continue
            }
            let before = RecipeAdjuster.valueText(key, of: recipe), after = RecipeAdjuster.valueText(key, of: trial)
            if local.states(key), let words = local.fromPrompt[key] {
                if !RecipeAdjuster.sameValue(key, recipe, trial) {
                    conflicts.append(Conflict(key: key, words: words, kept: before, model: after))
                }
                continue
            }
            recipe = trial
            notes += trialNotes
            fromModel[key] = after
        }
        if let name = lowered["name"] as? String, !name.isEmpty {
            recipe.name = LocalDescriber.slug(name)
        }
        mergeMaterial(lowered["material"], into: &recipe, local: local, notes: &notes, fromModel: &fromModel, conflicts: &conflicts)
        mergeTargets(lowered["targets"], into: &recipe, local: local, notes: &notes, fromModel: &fromModel)
        guard !fromModel.isEmpty || !conflicts.isEmpty else {
            throw .wrongShape(reason: "none of its keys is a usable recipe value")
        }
        do { try recipe.validate() } catch { throw .wrongShape(reason: "the merged recipe is invalid: \(error)") }
        var description = Description(recipe: recipe, fromPrompt: local.fromPrompt.filter { fromModel[$0.key] == nil })
        description.fromModel = fromModel
        description.conflicts = conflicts
        description.notes = notes.map { "Cephalo describe: \($0)" } + conflicts.map { "Cephalo describe: \($0.sentence)" }
        return description
    }

    /// A material preset from the model, unless the prompt names one.
    static func mergeMaterial(_ raw: Any?, into recipe: inout Recipe, local: Description, notes: inout [String],
                              fromModel: inout [String: String], conflicts: inout [Conflict]) {
        guard let raw else { return }
        guard let name = raw as? String, let material = SolidMaterial.preset(named: name) else {
            notes.append("Cephalo gave material \(raw), not one of " + SolidMaterial.presets.map(\.name).joined(separator: ", ") + "; ignored")
            return
        }
        if let words = local.fromPrompt["material"] {
            if material != recipe.material {
                conflicts.append(Conflict(key: "material", words: words, kept: recipe.material.name, model: material.name))
            }
            return
        }
        recipe.material = material
        fromModel["material"] = material.name
    }

    /// Property targets from the model (each checked; a bad one is dropped with a note), unless
    /// the prompt's words already give targets.
    static func mergeTargets(_ raw: Any?, into recipe: inout Recipe, local: Description, notes: inout [String],
                             fromModel: inout [String: String]) {
        guard let raw else { return }
        guard let list = raw as? [Any] else {
            notes.append("Cephalo gave targets that are not a list; ignored")
            return
        }
        guard local.recipe.targets.isEmpty else {
            if !list.isEmpty { notes.append("the prompt's own targets are kept; Cephalo's were not used") }
            return
        }
        var targets: [PropertyTarget] = []
        for item in list.prefix(16) {
            guard item is [String: Any], JSONSerialization.isValidJSONObject(item) else {
                notes.append("Cephalo gave a target that is not an object; ignored")
                continue
            }
            do {
                let data = try JSONSerialization.data(withJSONObject: item)
                let target = try JSONDecoder().decode(PropertyTarget.self, from: data)
                var trial = recipe
                trial.targets = [target]
                try trial.validate()
                targets.append(target)
            } catch {
                notes.append("Cephalo gave a target that cannot be judged (\(error)); ignored")
            }
        }
        guard !targets.isEmpty else { return }
        recipe.targets = targets
        fromModel["targets"] = targets.map(\.label).joined(separator: "; ")
    }
}
