import CephaloForge
import Foundation

/// What the studio shows of one design: its job (when the studio made it) and its folder.
struct DesignSummary: Codable, Sendable {
    var id: String
    var kind: StudioJob.Kind
    var state: StudioJob.State
    var stage: String?
    var progress: Double
    var error: String?
    var name: String
    var prompt: String?
    var size: String?
    var created: Date
    /// The shaded render (preview.png or the first preview-*.png), relative to the design folder.
    var preview: String?
}

/// The designs under the outputs folder: every folder with a recipe.json or metrics.json
/// (made by the studio or the CLI), and the studio's jobs that have no folder yet.
enum DesignCatalog {
    static func list(outputs: URL, jobs: [StudioJob]) -> [DesignSummary] {
        var byID: [String: DesignSummary] = [:]
        for job in jobs { byID[job.id] = summary(of: job, outputs: outputs) }
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: outputs.path)) ?? [] where StudioPaths.isDesignID(name) && byID[name] == nil {
            let folder = outputs.appendingPathComponent(name)
            let layout = OutputLayout(folder: folder)
            let isIteration = isIterationFolder(folder)
            let isBatch = fm.fileExists(atPath: folder.appendingPathComponent(BatchPage.manifest).path)
            guard isIteration || isBatch || fm.fileExists(atPath: layout.metricsURL.path) || fm.fileExists(atPath: layout.recipeURL.path)
            else { continue }
            let recipeURL = isIteration ? folder.appendingPathComponent(Iteration.roundFolder(1)).appendingPathComponent(OutputLayout.recipe)
                : layout.recipeURL
            let recipe = (try? InputFile.read(recipeURL, maximumBytes: 1 << 20))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            let created = (try? fm.attributesOfItem(atPath: folder.path)[.modificationDate] as? Date) ?? Date.distantPast
            byID[name] = DesignSummary(
                id: name, kind: isBatch ? .batch : isIteration ? .iteration : .design, state: .done, stage: nil, progress: 1, error: nil,
                name: (recipe?["prompt"] as? String) ?? (recipe?["name"] as? String) ?? name, prompt: recipe?["prompt"] as? String,
                size: (recipe?["size"] as? [Int]).map { $0.map(String.init).joined(separator: "x") },
                created: created,
                preview: isBatch ? batchPreview(in: folder) : isIteration ? iterationPreview(in: folder) : preview(in: folder))
        }
        return byID.values.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
    }

    static func summary(of job: StudioJob, outputs: URL) -> DesignSummary {
        let folder = outputs.appendingPathComponent(job.id)
        let preview = job.isIteration ? iterationPreview(in: folder)
            : job.state != .done ? nil : job.isBatch ? batchPreview(in: folder) : preview(in: folder)
        return DesignSummary(id: job.id, kind: job.kind ?? .design, state: job.state, stage: job.stage, progress: job.progress, error: job.error,
                             name: job.name, prompt: job.prompt, size: job.size, created: job.created, preview: preview)
    }

    /// Whether `folder` holds an iteration (`iterate`'s iteration.json, or a first round).
    static func isIterationFolder(_ folder: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: folder.appendingPathComponent(Iteration.summaryFile).path)
            || fm.fileExists(atPath: folder.appendingPathComponent(Iteration.roundFolder(1)).path)
    }

    /// A batch's contact sheet.
    static func batchPreview(in folder: URL) -> String? {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("contact_sheet.png").path) ? "contact_sheet.png" : nil
    }

    /// The render of an iteration's last complete round.
    static func iterationPreview(in folder: URL) -> String? {
        Iteration.completedRounds(in: folder).last?.preview
    }

    /// The design's shaded render: preview.png, or the first of several views.
    static func preview(in folder: URL) -> String? {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("preview.png").path)
            ? "preview.png" : DesignImages.existingRenders(in: folder).first
    }

    /// The files of a design folder, relative paths with sizes, sorted (slices in order).
    static func files(in folder: URL) -> [(path: String, bytes: Int)] {
        var found: [(String, Int)] = []
        let fm = FileManager.default
        func walk(_ url: URL, prefix: String, depth: Int) {
            guard depth < 4 else { return }
            for name in ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).sorted() where StudioPaths.isPlainName(name) {
                let item = url.appendingPathComponent(name)
                guard let attributes = try? fm.attributesOfItem(atPath: item.path),
                      let type = attributes[.type] as? FileAttributeType else { continue }
                if type == .typeDirectory {
                    walk(item, prefix: prefix + name + "/", depth: depth + 1)
                } else if type == .typeRegular {
                    found.append((prefix + name, (attributes[.size] as? Int) ?? 0))
                }
            }
        }
        walk(folder, prefix: "", depth: 0)
        return found
    }
}
