import Foundation

/// DIR/report.html of an iteration: the target and what it asks for, why the loop stopped
/// and why the best round is best, every round with its changes, measured distance and
/// critique, then the best round's design.
enum IterationReport {
    static func write(_ summary: IterationSummary, in folder: URL) throws {
        guard let best = summary.best else { return }
        let bestFolder = folder.appendingPathComponent(Iteration.roundFolder(best))
        let design = try DesignFolder(bestFolder)
        let rounds = summary.rounds.map { r in
            let preview = ["preview.png", DesignImages.montage].first {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(r.folder).appendingPathComponent($0).path)
            }
            var round = ReportPage.Round(label: "Round \(r.round)", image: preview.map { r.folder + "/" + $0 },
                                         link: r.folder + "/" + ReportPage.fileName, score: r.score,
                                         summary: r.summary + " (\(r.critic) critic)", issues: r.issues, isBest: r.round == best)
            round.changes = r.changes.isEmpty ? [] : r.changes.map { $0 + (r.changesFrom.map { " (proposed by the \($0))" } ?? "") }
            round.measured = r.measuredDistance.map { distance in
                String(format: "Measured distance to the target %.2f", distance)
                    + (r.measuredMet == true ? ": every measured gap closed" : ": " + (r.measuredIssues ?? []).joined(separator: "; "))
            }
            return round
        }
        var lines: [(String, String)] = [("Target", summary.target)]
        if let asks = summary.targetAsks {
            var parts: [String] = []
            if let f = asks.family { parts.append(f) }
            if let m = asks.mode { parts.append(m) }
            if let phi = asks.solidFraction { parts.append(String(format: "%.1f%% solid", phi * 100)) }
            if let layers = asks.layerFractions {
                parts.append("graded " + layers.map { String(format: "%.0f%%", $0 * 100) }.joined(separator: " → "))
            }
            parts.append(String(format: "features %.3g mm", asks.wavelengthMM))
            lines.append(("Read as", parts.joined(separator: ", ")))
        }
        if let targets = summary.targets { lines.append(("Property targets", targets.joined(separator: "; "))) }
        lines.append(("Stopped", summary.stopReason))
        if let missing = summary.notReached { lines.append(("Not reached", missing.joined(separator: "; "))) }
        lines.append(("Best", "round \(best)" + (summary.bestReason.map { ": \($0)" } ?? "")))
        let prefix = Iteration.roundFolder(best) + "/"
        let renders = ["preview.png"].filter { FileManager.default.fileExists(atPath: bestFolder.appendingPathComponent($0).path) }
        let notes = ReportPage.IterationNotes(target: summary.target, targetSolidFraction: summary.targetAsks?.solidFraction,
                                              lines: lines)
        try ReportPage.write(into: folder, recipe: design.recipe, metrics: design.metrics, renders: renders.map { prefix + $0 },
                             rounds: rounds, assetPrefix: prefix, heading: "Iteration towards “\(summary.target)”",
                             iteration: notes)
    }
}
