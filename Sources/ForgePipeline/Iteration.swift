import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// One round of an iteration, as recorded in iteration.json.
public struct RoundRecord: Codable, Sendable {
    public var round: Int
    /// Relative to the iteration folder: rounds/01, …
    public var folder: String
    public var score: Double
    public var satisfied: Bool
    public var summary: String
    public var issues: [String]
    public var critic: String
    public var solidFraction: Double
    public var characteristicLengthMM: Double
    public var printable: Bool
    /// The changes made to the previous round's recipe to get this one.
    public var changes: [String]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case round, folder, score, satisfied, summary, issues, critic, printable, changes, warnings
        case solidFraction = "solid_fraction"
        case characteristicLengthMM = "characteristic_length_mm"
    }
}

/// The outcome of `iterate`: every round, the best one and why the loop stopped.
public struct IterationSummary: Codable, Sendable {
    public var target: String
    public var rounds: [RoundRecord]
    /// The round with the highest score (the earliest on ties).
    public var best: Int?
    public var stopReason: String

    enum CodingKeys: String, CodingKey {
        case target, rounds, best
        case stopReason = "stop_reason"
    }
}

/// generate → critique → adjust, round after round, each round in its own folder.
///
/// DIR/rounds/NN/ is a full design folder plus critique.json (and the model's request and
/// reply when Cephalo judged it); critique.json, written last, marks a round complete.
/// A rerun skips complete rounds — they are read, never rewritten — and redoes an
/// incomplete one. The loop stops when a critique is satisfied, when the score does not
/// improve on the best so far, or after the last round. DIR/best links the best round,
/// DIR/iteration.json and DIR/report.html summarise all of them.
public enum Iteration {
    public static let summaryFile = "iteration.json"
    public static let maxRounds = 20

    public static func roundFolder(_ n: Int) -> String { String(format: "rounds/%02d", n) }

    public static func run(target: String, start: Recipe, into folder: URL, rounds: Int, options: DesignOptions,
                           critic: any Critic, log: (String) -> Void = { _ in }) throws -> IterationSummary {
        guard (1...maxRounds).contains(rounds) else { throw PipelineError.badRounds(rounds) }
        try start.validate()
        var records: [RoundRecord] = []
        var previous: (recipe: Recipe, critique: Critique)?
        var stopReason = "ran all \(rounds) rounds"
        for n in 1...rounds {
            let url = folder.appendingPathComponent(roundFolder(n))
            let record: RoundRecord, critique: Critique, recipe: Recipe
            if let done = try? completedRound(n, at: url) {
                (record, critique, recipe) = done
                log("round \(n): complete, kept (score \(format(record.score)))")
            } else {
                var next = start
                var changes: [String] = [], warnings: [String] = []
                if let previous {
                    next = previous.recipe
                    for adjustment in previous.critique.adjustments {
                        guard let change = adjustment.requested else { continue }
                        do {
                            changes.append(try RecipeAdjuster.apply(adjustment.parameter, change, to: &next, warnings: &warnings))
                        } catch {
                            warnings.append(error.description)
                        }
                    }
                    do { try next.validate() } catch {
                        warnings.append("the adjusted recipe is invalid (\(error)); the previous recipe is kept")
                        next = previous.recipe
                        changes = []
                    }
                }
                for warning in warnings { log("round \(n): \(warning)") }
                log("round \(n): generating" + (changes.isEmpty ? "" : " (" + changes.joined(separator: ", ") + ")"))
                let result = try DesignGenerator.generate(next, into: OutputLayout(folder: url), options: options)
                let design = try DesignFolder(url)
                let (saved, outcome) = try DesignCritique.critique(design, target: target, critic: critic)
                for warning in outcome.warnings { log("round \(n): \(warning)") }
                critique = saved.critique
                recipe = next
                record = RoundRecord(round: n, folder: roundFolder(n), score: critique.score, satisfied: critique.satisfied,
                                     summary: critique.summary, issues: critique.issues, critic: saved.critic,
                                     solidFraction: result.metrics.solidFraction,
                                     characteristicLengthMM: result.metrics.structure.twoPoint.characteristicLengthMM,
                                     printable: result.metrics.printability.printable, changes: changes,
                                     warnings: warnings + outcome.warnings)
                try JSONFile.write(record, to: url.appendingPathComponent(roundFile))
                // The critique is written again last: its presence marks the round complete.
                try JSONFile.write(saved, to: url.appendingPathComponent(DesignCritique.fileName))
                log("round \(n): score \(format(critique.score)) — \(critique.summary)")
            }
            let bestBefore = records.map(\.score).max()
            records.append(record)
            previous = (recipe, critique)
            if critique.satisfied {
                stopReason = "round \(n) satisfied the critic"
                break
            }
            if let bestBefore, record.score <= bestBefore {
                stopReason = "the score stopped improving at round \(n)"
                break
            }
        }
        let best = records.max { a, b in a.score < b.score || (a.score == b.score && a.round > b.round) }?.round
        let summary = IterationSummary(target: target, rounds: records, best: best, stopReason: stopReason)
        try JSONFile.write(summary, to: folder.appendingPathComponent(summaryFile))
        if let best { try linkBest(roundFolder(best), in: folder) }
        try writeReport(summary, in: folder)
        return summary
    }

    /// Per-round record beside critique.json.
    static let roundFile = "round.json"

    /// A round whose critique.json (and design) are complete, read back.
    static func completedRound(_ n: Int, at url: URL) throws -> (RoundRecord, Critique, Recipe)? {
        let critiqueURL = url.appendingPathComponent(DesignCritique.fileName)
        guard FileManager.default.fileExists(atPath: critiqueURL.path) else { return nil }
        let design = try DesignFolder(url)
        let saved = try JSONDecoder().decode(DesignCritique.Record.self, from: Data(contentsOf: critiqueURL))
        let record = (try? JSONDecoder().decode(RoundRecord.self, from: Data(contentsOf: url.appendingPathComponent(roundFile))))
            ?? RoundRecord(round: n, folder: roundFolder(n), score: saved.critique.score, satisfied: saved.critique.satisfied,
                           summary: saved.critique.summary, issues: saved.critique.issues, critic: saved.critic,
                           solidFraction: design.metrics.solidFraction,
                           characteristicLengthMM: design.metrics.structure.twoPoint.characteristicLengthMM,
                           printable: design.metrics.printability.printable, changes: [], warnings: saved.warnings)
        return (record, saved.critique, design.recipe)
    }

    /// Points DIR/best at the best round (a relative symbolic link, replaced atomically).
    static func linkBest(_ target: String, in folder: URL) throws {
        let link = folder.appendingPathComponent("best"), temporary = folder.appendingPathComponent(".best-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: target)
        guard rename(temporary.path, link.path) == 0 else {
            throw PipelineError.outputNotWritable(path: link.path, reason: String(cString: strerror(errno)))
        }
    }

    static func writeReport(_ summary: IterationSummary, in folder: URL) throws {
        guard let best = summary.best else { return }
        let bestFolder = folder.appendingPathComponent(roundFolder(best))
        let design = try DesignFolder(bestFolder)
        let rounds = summary.rounds.map { r in
            let preview = ["preview.png", DesignImages.montage].first {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent(r.folder).appendingPathComponent($0).path)
            }
            return ReportPage.Round(label: "Round \(r.round)", image: preview.map { r.folder + "/" + $0 },
                                    link: r.folder + "/" + ReportPage.fileName, score: r.score,
                                    summary: r.summary + " (\(r.critic) critic)", issues: r.issues, isBest: r.round == best)
        }
        let prefix = roundFolder(best) + "/"
        let renders = ["preview.png"].filter { FileManager.default.fileExists(atPath: bestFolder.appendingPathComponent($0).path) }
        try ReportPage.write(into: folder, recipe: design.recipe, metrics: design.metrics, renders: renders.map { prefix + $0 },
                             rounds: rounds, assetPrefix: prefix, heading: "Iteration towards “\(summary.target)”")
    }

    /// The table `iterate` prints.
    public static func table(_ summary: IterationSummary) -> String {
        var lines = ["round  score  solid    length mm  printable  critic"]
        for r in summary.rounds {
            lines.append(String(format: "%@ %5@  %5.1f  %6.3f   %8.3f   %-9@  %@", r.round == summary.best ? "*" : " ",
                                String(format: "%02d", r.round), r.score, r.solidFraction, r.characteristicLengthMM,
                                r.printable ? "yes" : "no", r.critic))
        }
        lines.append("best: " + (summary.best.map { roundFolder($0) } ?? "none") + "; " + summary.stopReason)
        return lines.joined(separator: "\n")
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}
