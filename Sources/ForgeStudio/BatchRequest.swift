import CephaloForge
import Foundation

/// The body of `POST /api/batches`: `{"sweep": "yaml or json text" | {…}}` or
/// `{"template": "foam-sweep"}` (a sweep of Templates/sweeps), with optional `jobs`
/// (variants at once, 1…16), `formats`, `properties` and `images` as for a design.
struct BatchRequest {
    static let keys = ["sweep", "template", "jobs", "formats", "properties", "images"]

    var sweepText: (text: String, ext: String)?
    var template: String?
    var jobs = 1
    var formats = "stl"
    var properties: PropertyMode = .fast
    var images = true

    init(json data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let body = object as? [String: Any] else {
            throw StudioError.badRequest("the body is not a JSON object: send {\"sweep\": \"…\"} or {\"template\": \"foam-sweep\"}")
        }
        for key in body.keys where !Self.keys.contains(key) {
            throw StudioError.badRequest("unknown key '\(key)': use \(Self.keys.joined(separator: ", "))")
        }
        if let value = body["sweep"] {
            if let text = value as? String, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                sweepText = (text, text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") ? "json" : "yaml")
            } else if value is [String: Any], let encoded = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) {
                sweepText = (String(decoding: encoded, as: UTF8.self), "json")
            } else {
                throw StudioError.badRequest("sweep must be the text of a sweep file (YAML or JSON) or a JSON object")
            }
        }
        if let value = body["template"] {
            guard let name = value as? String, Self.templates().contains(name) else {
                throw StudioError.badRequest("template must name a sweep of Templates/sweeps: " + Self.templates().joined(separator: ", "))
            }
            template = name
        }
        guard (sweepText == nil) != (template == nil) else {
            throw StudioError.badRequest("give a sweep or a template, one of them")
        }
        jobs = try JSONValue.wholeNumber(body, "jobs", in: 1...16) ?? 1
        // The output settings read as a design's do.
        var shared: [String: Any] = [:]
        for key in ["formats", "properties", "images"] { shared[key] = body[key] }
        shared["prompt"] = "sweep"
        let design = try DesignRequest(json: try JSONSerialization.data(withJSONObject: shared))
        formats = design.formats
        properties = design.properties
        images = design.images
    }

    /// The sweep templates a user can start from (`Templates/sweeps/*.yaml`).
    static func templates() -> [String] {
        RecipeTemplates.yamlNames(in: TemplateFolders.sweepFolders())
    }

    /// Writes the sweep beside `base` (its extension chosen here) and reads it as `batch`
    /// will: returns the file, the sweep and the batch's memory estimate (its largest
    /// variant times the variants at once), or throws the CLI's message as a bad request.
    func load(writingTo base: URL) throws -> (file: URL, sweep: Sweep, estimatedBytes: Double) {
        let file: URL
        if let sweepText {
            file = base.appendingPathExtension(sweepText.ext)
            try Data(sweepText.text.utf8).write(to: file)
        } else {
            guard let template, let source = TemplateFolders.sweepFolders().map({ $0.appendingPathComponent(template + ".yaml") })
                .first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                throw StudioError.badRequest("no sweep template \(template ?? "")")
            }
            file = base.appendingPathExtension("yaml")
            try FileManager.default.copyItem(at: source, to: file)
        }
        do {
            let sweep = try Sweep.load(file)
            guard let biggest = sweep.variants.max(by: { $0.recipe.tiledSize.count < $1.recipe.tiledSize.count }) else {
                throw StudioError.badRequest("the sweep has no variants")
            }
            try MemoryBudget.check(biggest.recipe.tiledSize)
            try MemoryBudget.checkProperties(DesignProperties.cellSize(of: biggest.recipe), mode: properties)
            let estimate = MemoryBudget.estimatedBytes(for: biggest.recipe.tiledSize) * Double(min(jobs, sweep.variants.count))
            return (file, sweep, estimate)
        } catch let error as StudioError {
            try? FileManager.default.removeItem(at: file)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw StudioError.badRequest("\(error)".replacingOccurrences(of: file.path, with: "sweep"))
        }
    }

    func arguments(sweep: URL, folder: URL) -> [String] {
        var arguments = ["batch", "run", sweep.path, "--out", folder.path, "--jobs", String(jobs), "--format", formats,
                         "--properties", properties.rawValue]
        if !images { arguments.append("--no-images") }
        return arguments
    }
}
