import CephaloForge
import Foundation
import Hummingbird
import Mustache

/// The pages of the studio, rendered from the Mustache templates in `Templates/studio`,
/// and their scripts and styles from `Templates/studio/assets`.
struct StudioPages: Sendable {
    let library: MustacheLibrary
    let assets: URL
    let outputs: URL
    let api: DesignAPI

    static let sizes = [32, 48, 64, 96, 128, 192, 256, 384, 512]

    func register(on router: Router<StudioContext>) {
        router.get("/") { _, _ in try await index() }
        router.get("designs/:id") { _, context in try await design(try context.parameters.require("id")) }
        router.get("designs/:id/variants/:variant") { _, context in
            try await variant(try context.parameters.require("id"), try context.parameters.require("variant"))
        }
        router.get("assets/:name") { _, context in try await asset(try context.parameters.require("name"), context: context) }
        router.get("openapi.json") { _, context in try await asset("openapi.json", context: context) }
    }

    private func index() async throws -> Response {
        let designs = DesignCatalog.list(outputs: outputs, jobs: await api.queue.all())
        let cards: [[String: Any]] = designs.map { design in
            var card: [String: Any] = ["id": design.id, "name": design.name, "state": design.state.rawValue,
                                       "created": Self.dateText(design.created)]
            if let preview = design.preview { card["preview"] = "/api/designs/\(design.id)/files/\(preview)" }
            if let size = design.size { card["size"] = size }
            return card
        }
        let templates = RecipeTemplates.names()
        return try render("index", [
            "title": "CephaloForge studio",
            "designs": cards, "hasDesigns": !cards.isEmpty,
            "sizes": Self.sizes.map { ["value": $0, "selected": $0 == 64] },
            "templates": templates.map { ["name": $0] },
            "sweeps": BatchRequest.templates().map { ["name": $0] },
            "defaultPrompt": RecipeRequest.defaultPrompt,
        ])
    }

    private func design(_ id: String) async throws -> Response {
        let summary = try await api.summary(id)
        let folder = outputs.appendingPathComponent(id)
        if summary.kind == .iteration { return try iteration(summary, folder: folder) }
        if summary.kind == .batch { return try batch(summary, folder: folder) }
        var page: [String: Any] = [
            "title": summary.name, "id": id, "name": summary.name, "state": summary.state.rawValue,
            "stage": summary.stage ?? "", "progress": Int((summary.progress * 100).rounded()),
            "running": !summary.state.isFinal, "done": summary.state == .done,
            "created": Self.dateText(summary.created),
        ]
        if let error = summary.error { page["error"] = error }
        if let prompt = summary.prompt { page["prompt"] = prompt }
        if summary.state == .done { page.merge(results(in: folder, files: "/api/designs/\(id)/files/")) { $1 } }
        return try render("design", page)
    }

    /// A variant of a batch, on the design page.
    private func variant(_ id: String, _ variant: String) async throws -> Response {
        let folder = try StudioPaths.confined(outputs: outputs, id: id, components: ["variants", variant[...]])
        guard FileManager.default.fileExists(atPath: OutputLayout(folder: folder).metricsURL.path) else {
            throw StudioError.notFound("variant \(variant) of \(id) has no finished design")
        }
        var page: [String: Any] = [
            "title": "\(id) · \(variant)", "id": id, "name": "Variant \(variant) of \(id)", "state": "done",
            "running": false, "done": true, "back": "/designs/\(id)",
        ]
        page.merge(results(in: folder, files: "/api/designs/\(id)/files/variants/\(variant)/")) { $1 }
        return try render("design", page)
    }

    /// What the design page shows of a finished design folder; `files` is the URL its files are under.
    private func results(in folder: URL, files prefix: String) -> [String: Any] {
        var page: [String: Any] = [:]
        let files = DesignCatalog.files(in: folder)
        let slices = files.filter { $0.path.hasPrefix("slices/") && $0.path.hasSuffix(".png") }.map(\.path)
        page["slices"] = slices.joined(separator: "\n")
        page["sliceCount"] = slices.count
        page["hasSlices"] = !slices.isEmpty
        page["lastSlice"] = max(slices.count - 1, 0)
        page["firstSlice"] = slices.first.map { prefix + $0 } ?? ""
        page["filesBase"] = prefix
        if let mesh = files.first(where: { $0.path == "model.stl" }) {
            page["mesh"] = prefix + "model.stl"
            page["meshBytes"] = mesh.bytes
        }
        page["pictures"] = files.filter { Self.isPicture($0.path) }.map { ["url": prefix + $0.path, "name": $0.path] }
        page["downloads"] = files.filter { !$0.path.hasPrefix("slices") }.map {
            ["url": prefix + $0.path, "name": $0.path, "size": Self.sizeText($0.bytes)]
        }
        page["metrics"] = MetricsTable.rows(of: OutputLayout(folder: folder).metricsURL)
        page.merge(Verdict.of(folder)) { $1 }
        if files.contains(where: { $0.path == "report.html" }) { page["report"] = prefix + "report.html" }
        return page
    }

    /// The batch page: the manifest as a table to sort and filter, the contact sheet and maps,
    /// each variant one click away.
    private func batch(_ summary: DesignSummary, folder: URL) throws -> Response {
        let id = summary.id
        var page: [String: Any] = [
            "title": summary.name, "id": id, "name": summary.name, "state": summary.state.rawValue,
            "stage": summary.stage ?? "", "progress": Int((summary.progress * 100).rounded()),
            "running": !summary.state.isFinal, "created": Self.dateText(summary.created),
        ]
        if let error = summary.error { page["error"] = error }
        let files = "/api/designs/\(id)/files/"
        page["pictures"] = BatchPage.pictures.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
            .map { ["url": files + $0, "name": $0] }
        page["hasPictures"] = !((page["pictures"] as? [Any])?.isEmpty ?? true)
        if let table = BatchPage.table(in: folder), !table.rows.isEmpty {
            page["hasRows"] = true
            page["columns"] = table.columns.enumerated().map { ["name": $0.element, "index": $0.offset] }
            page["rows"] = table.rows.map { row in
                [
                    "id": row.id, "status": row.status, "done": row.status == "done",
                    "link": "/designs/\(id)/variants/\(row.id)", "preview": files + "variants/\(row.id)/preview.png",
                    "cells": zip(row.cells, row.sortKeys).enumerated().map { ["text": $0.element.0, "key": $0.element.1, "first": $0.offset == 0] },
                ] as [String: Any]
            }
            page["variantCount"] = table.rows.count
        }
        for name in ["manifest.csv", "manifest.json", "report.html"]
        where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) {
            page[name.replacingOccurrences(of: ".", with: "_")] = files + name
        }
        return try render("batch", page)
    }

    /// The iterate page: every complete round side by side, and the next round's proposals
    /// to accept, edit or reject once the last step has ended.
    private func iteration(_ summary: DesignSummary, folder: URL) throws -> Response {
        let id = summary.id
        let view = IterationPage.rounds(in: folder, id: id)
        let files = "/api/designs/\(id)/files/"
        func text(_ a: Critique.Adjustment) -> String { a.value?.description ?? a.change ?? "" }
        let rounds: [[String: Any]] = view.rounds.map { round in
            var card: [String: Any] = [
                "round": round.round, "score": String(format: "%.1f", round.score), "summary": round.summary,
                "issues": round.issues.map { ["text": $0] }, "satisfied": round.satisfied,
                "solidFraction": String(format: "%.3f", round.solidFraction), "critic": round.critic,
                "changes": round.changes.joined(separator: "; "), "changesFrom": round.changesFrom ?? "",
                "hasChanges": !round.changes.isEmpty,
                "best": view.best == round.round,
                "model": files + round.folder + "/model.stl", "report": files + round.folder + "/report.html",
            ]
            if let preview = round.preview { card["preview"] = files + preview }
            if let distance = round.measuredDistance { card["distance"] = String(format: "%.2f", distance) }
            if let decision = round.decision {
                card["decision"] = decision.isEmpty ? "stopped here" : decision.map { "\($0.parameter) \(text($0))" }.joined(separator: "; ")
            }
            return card
        }
        var page: [String: Any] = [
            "title": summary.name, "id": id, "name": summary.name, "state": summary.state.rawValue,
            "stage": summary.stage ?? "", "progress": Int((summary.progress * 100).rounded()),
            "running": !summary.state.isFinal, "created": Self.dateText(summary.created),
            "target": view.target ?? "", "rounds": rounds, "roundCount": rounds.count,
            "parameters": RecipeAdjuster.parameters.map { ["name": $0] },
        ]
        if let error = summary.error { page["error"] = error }
        if let reason = view.stopReason { page["stopReason"] = reason }
        if summary.state.isFinal, let last = view.rounds.last, last.decision == nil, last.round < Iteration.maxRounds {
            page["next"] = [
                "round": last.round + 1, "from": last.proposalsFrom,
                "proposals": last.proposals.map { ["parameter": $0.parameter, "value": text($0), "reason": $0.reason] },
                "hasProposals": !last.proposals.isEmpty,
            ] as [String: Any]
        }
        return try render("iteration", page)
    }

    private func asset(_ name: String, context: StudioContext) async throws -> Response {
        guard StudioPaths.isPlainName(name) else { throw StudioError.notFound("no asset \(name)") }
        let url = (name == "openapi.json" ? assets.deletingLastPathComponent() : assets).appendingPathComponent(name)
        guard let data = try? InputFile.read(url, maximumBytes: 4 << 20) else { throw StudioError.notFound("no asset \(name)") }
        let type = MediaType.getMediaType(forExtension: url.pathExtension)?.description ?? "application/octet-stream"
        return DesignAPI.response(data, type: type)
    }

    private func render(_ template: String, _ object: [String: Any]) throws -> Response {
        guard let html = library.render(object, withTemplate: template) else {
            throw StudioError.notFound("the page template \(template).mustache is missing from Templates/studio")
        }
        return DesignAPI.response(Data(html.utf8), type: "text/html; charset=utf-8")
    }

    static func isPicture(_ path: String) -> Bool {
        !path.contains("/") && (path.hasSuffix(".png") || path.hasSuffix(".svg"))
    }

    static func dateText(_ date: Date) -> String {
        guard date != .distantPast else { return "" }
        return date.formatted(.iso8601.year().month().day().dateSeparator(.dash).dateTimeSeparator(.space)
            .time(includingFractionalSeconds: false).timeSeparator(.colon)) + " UTC"
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576)
            : bytes >= 1024 ? String(format: "%.0f kB", Double(bytes) / 1024) : "\(bytes) B"
    }
}

/// The verdict on a design: printable or not and why, watertight, the run's warnings, and
/// a critique's score and summary where one was made (iterate, `critique`).
enum Verdict {
    static func of(_ folder: URL) -> [String: Any] {
        guard let data = try? InputFile.read(OutputLayout(folder: folder).metricsURL, maximumBytes: 16 << 20),
              let metrics = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var verdict: [String: Any] = [:]
        let printability = metrics["printability"] as? [String: Any]
        verdict["printable"] = printability?["printable"] as? Bool ?? false
        verdict["reasons"] = ((printability?["reasons"] as? [String]) ?? []).map { ["text": $0] }
        verdict["watertight"] = metrics["watertight"] as? Bool ?? false
        verdict["warnings"] = ((metrics["warnings"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
            .map { ["text": $0] }
        if let critique = try? InputFile.read(folder.appendingPathComponent("critique.json"), maximumBytes: 4 << 20),
           let record = try? JSONSerialization.jsonObject(with: critique) as? [String: Any],
           let body = record["critique"] as? [String: Any] {
            verdict["critique"] = [
                "score": String(format: "%.1f", (body["score"] as? Double) ?? 0), "summary": body["summary"] as? String ?? "",
                "critic": record["critic"] as? String ?? "",
            ]
        }
        return ["verdict": verdict]
    }
}

/// The recipe templates a user can start from (`Templates/recipes/*.yaml`).
enum RecipeTemplates {
    static func names() -> [String] {
        yamlNames(in: TemplateFolders.recipeFolders())
    }

    /// The names of the YAML files in `folders`, without the extension, sorted.
    static func yamlNames(in folders: [URL]) -> [String] {
        var names = Set<String>()
        for folder in folders {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where file.hasSuffix(".yaml") && StudioPaths.isPlainName(file) {
                names.insert(String(file.dropLast(5)))
            }
        }
        return names.sorted()
    }
}

/// metrics.json as rows of a table: every number, flag and word up to three levels deep,
/// named by its path (structure.topology.genus); lists are left to the file itself.
enum MetricsTable {
    static func rows(of url: URL) -> [[String: String]] {
        guard let data = try? InputFile.read(url, maximumBytes: 16 << 20),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        var rows: [[String: String]] = []
        func walk(_ value: Any, _ path: String, _ depth: Int) {
            switch value {
            case let dictionary as [String: Any]:
                guard depth < 3 else { return }
                for key in dictionary.keys.sorted() { walk(dictionary[key]!, path.isEmpty ? key : path + "." + key, depth + 1) }
            case let number as NSNumber:
                let text = JSONValue.isFlag(number) ? (number.boolValue ? "yes" : "no")
                    : String(format: "%.6g", number.doubleValue)
                rows.append(["key": path, "value": text])
            case let text as String:
                rows.append(["key": path, "value": String(text.prefix(200))])
            default:
                break
            }
        }
        walk(object, "", 0)
        return rows
    }
}
