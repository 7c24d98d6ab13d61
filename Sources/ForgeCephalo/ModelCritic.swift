import ForgeCore
import Foundation

/// A critic that asks a Cephalo model, and falls back to the local critic (saying so)
/// when the model gives nothing usable.
public struct ModelCritic: Critic {
    public let client: ChatClient
    public let templates: PromptTemplates
    public var fallback: any Critic = LocalCritic()

    public init(client: ChatClient, templates: PromptTemplates) {
        self.client = client
        self.templates = templates
    }

    /// The prompt text for `request`.
    public func promptText(_ request: CritiqueRequest) -> String {
        let recipeJSON = (try? JSONSerialization.data(withJSONObject: Self.recipeSummary(request.recipe), options: [.sortedKeys, .prettyPrinted]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let measures = (try? encoder.encode(request.measures)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let images = request.images.map { Self.caption($0.name) }.joined(separator: "; ")
        return PromptTemplates.fill(templates.critique, [
            "target": request.target, "recipe": recipeJSON, "measures": measures,
            "images": images.isEmpty ? "none" : images,
            "parameters": PromptTemplates.parameterList(for: request.recipe, allowed: request.adjustable),
            "properties": PropertyTable.text(request),
        ])
    }

    public func critique(_ request: CritiqueRequest) -> CritiqueOutcome {
        var exchange: ChatExchange?
        do {
            let reply = try client.complete(text: promptText(request), images: request.images, exchange: &exchange)
            guard let object = JSONExtraction.object(in: reply) else {
                throw CephaloError.noJSON(excerpt: String(reply.prefix(80)))
            }
            var dropped: [String] = []
            let critique = try Critique(json: object, dropped: &dropped)
            let notes = (exchange?.notes ?? []).map { "Cephalo: \($0)" }
            return CritiqueOutcome(critique: critique, critic: "cephalo \(client.config.model)",
                                   warnings: notes + dropped.map { "Cephalo critique: \($0)" }, exchange: exchange)
        } catch {
            var outcome = fallback.critique(request)
            outcome.warnings = (exchange?.notes ?? []).map { "Cephalo: \($0)" }
                + ["Cephalo critique failed: \(error); the local critic judged this round instead"] + outcome.warnings
            outcome.exchange = exchange
            return outcome
        }
    }

    /// What the picture called `name` shows.
    static func caption(_ name: String) -> String {
        switch name {
        case "critique.png":
            return "one picture: on the left a shaded 3D render of the part (iso view, scale bar in mm), on the right "
                + "cross-sections (six z slices, then the central x and y sections; solid dark, pores light)"
        case "critique-stiffness.png":
            return "one picture in three panels: on the left a shaded 3D render of the part (iso view); in the middle "
                + "its directional Young's modulus (a closed surface whose distance from the centre in each direction "
                + "is the stiffness along it, coloured by E on the scale beside it); on the right cross-sections "
                + "(z slices, then the central x and y sections; solid dark, pores light)"
        case "preview.png": return "a shaded 3D render of the part (iso view, scale bar in mm)"
        case "montage.png": return "cross-sections: z slices, then the central x and y sections (solid dark)"
        default: return "the middle z slice (solid white)"
        }
    }

    /// The recipe keys a critic needs (not the prompt, which is given separately).
    static func recipeSummary(_ r: Recipe) -> [String: Any] {
        var out: [String: Any] = [
            "family": r.family.rawValue, "mode": r.mode.rawValue, "solid_fraction": r.solidFraction,
            "wavelength_mm": r.wavelengthMM, "extent_mm": r.extentMM, "bandwidth": r.bandwidth,
            "min_feature_mm": r.minFeatureMM, "printer_resolution_mm": r.printerResolutionMM, "axis": r.axis.rawValue,
        ]
        if let g = r.grading { out["grading_fractions"] = g.fractions }
        if r.family == .spinodoid { out["cone_angles_deg"] = r.coneAnglesDeg }
        if [.lamellar, .columnar, .cubic].contains(r.family) { out["cone_angle_deg"] = r.coneAngleDeg }
        out["material"] = r.material.name
        return out
    }
}
