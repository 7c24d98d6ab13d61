import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// generate → critique → adjust, round after round, each round in its own folder.
///
/// DIR/rounds/NN/ is a full design folder plus critique.json (and the model's request and
/// reply when Cephalo judged it); critique.json, written last, marks a round complete.
/// A rerun skips complete rounds — they are read, never rewritten — and redoes an
/// incomplete one. Every round is measured against the target (`TargetAssessment`),
/// whoever critiques it; the next round takes the critic's adjustments, or the
/// measurements' when the critic proposes none — or, where a person has decided
/// (`RoundDecision`, rounds/NN/decision.json), theirs. Rounds are ranked and the loop
/// stopped by `IterationRanking`. DIR/best links the best round, DIR/iteration.json and
/// DIR/report.html summarise all of them.
public enum Iteration {
    public static let summaryFile = "iteration.json"
    public static let maxRounds = 20

    public static func roundFolder(_ n: Int) -> String { String(format: "rounds/%02d", n) }

    /// The recipe round 1 was made from, when round 1 is complete in `folder`: a rerun
    /// starts from it without describing the prompt again.
    public static func recordedStart(in folder: URL) -> Recipe? {
        let round = folder.appendingPathComponent(roundFolder(1))
        guard FileManager.default.fileExists(atPath: round.appendingPathComponent(DesignCritique.fileName).path) else { return nil }
        return try? RecipeFile.decode(round.appendingPathComponent(OutputLayout.recipe))
    }

    /// Runs the loop. `prior` are designs measured before (an atlas's variants), oldest first:
    /// the property steps fit to them as to earlier rounds. `allowAdjust` lists the user's parameters (`RecipeAdjuster.userParameters`)
    /// a critique may change; adjustments of the others are ignored with a warning.
    public static func run(target: String, start: Recipe, into folder: URL, rounds: Int, options: DesignOptions,
                           critic: any Critic, allowAdjust: Set<String> = [],
                           prior: [CritiqueRequest.Observation] = [],
                           progress: ProgressReporter = ProgressReporter(quiet: true),
                           log: (String) -> Void = { _ in }) throws -> IterationSummary {
        guard (1...maxRounds).contains(rounds) else { throw PipelineError.badRounds(rounds) }
        try start.validate()
        let adjustable = RecipeAdjuster.parameters.filter { !RecipeAdjuster.userParameters.contains($0) || allowAdjust.contains($0) }
        var records: [RoundRecord] = []
        var previous: (recipe: Recipe, proposals: [Critique.Adjustment], from: String)?
        var stopReason = "ran all \(rounds) rounds"
        var history = prior
        // The property targets judged: the recipe's own, else those the target's words ask for.
        let targets = start.targets.isEmpty ? ((try? LocalDescriber().describe(target))?.recipe.targets ?? []) : start.targets
        var assessments: [TargetAssessment?] = []
        for n in 1...rounds {
            let url = folder.appendingPathComponent(roundFolder(n))
            var record: RoundRecord, saved: DesignCritique.Record, recipe: Recipe
            if let done = try? completedRound(n, at: url) {
                (record, saved, recipe) = done
                log("round \(n): complete, kept (score \(format(record.score)))")
            } else {
                var next = start
                var changes: [String] = [], warnings: [String] = []
                if let previous {
                    next = previous.recipe
                    (changes, warnings) = apply(previous.proposals, to: &next, adjustable: adjustable)
                    do { try next.validate() } catch {
                        warnings.append("the adjusted recipe is invalid (\(error)); the previous recipe is kept")
                        next = previous.recipe
                        changes = []
                    }
                }
                for warning in warnings { log("round \(n): \(warning)") }
                log("round \(n): generating" + (changes.isEmpty ? "" : " (" + changes.joined(separator: ", ") + ")"))
                let result = try DesignGenerator.generate(next, into: OutputLayout(folder: url), options: options,
                                                          progress: progress)
                let design = try DesignFolder(url)
                let outcome: CritiqueOutcome
                (saved, outcome) = try DesignCritique.critique(design, target: target, critic: critic, adjustable: adjustable,
                                                               history: history)
                for warning in outcome.warnings { log("round \(n): \(warning)") }
                recipe = next
                let measured = saved.measured
                record = RoundRecord(round: n, folder: roundFolder(n), score: saved.critique.score, satisfied: saved.critique.satisfied,
                                     summary: saved.critique.summary, issues: saved.critique.issues, critic: saved.critic,
                                     solidFraction: result.metrics.solidFraction,
                                     characteristicLengthMM: result.metrics.structure.twoPoint.characteristicLengthMM,
                                     printable: result.metrics.printability.printable,
                                     measuredDistance: measured?.distance, measuredMet: measured?.met,
                                     measuredIssues: measured?.issues, changes: changes,
                                     changesFrom: previous.map(\.from), warnings: warnings + outcome.warnings)
                record.describeTargets(targets, measured: design.metrics.measures(of: next), assessment: measured)
                try JSONFile.write(record, to: url.appendingPathComponent(roundFile))
                // The critique is written again last: its presence marks the round complete.
                try JSONFile.write(saved, to: url.appendingPathComponent(DesignCritique.fileName))
                log("round \(n): score \(format(saved.critique.score))"
                    + (measured.map { String(format: ", measured distance %.2f%@", $0.distance, $0.met ? " (met)" : "") } ?? "")
                    + " — \(saved.critique.summary)")
            }
            records.append(record)
            assessments.append(saved.measured)
            if let design = try? DesignFolder(url) {
                history.append(.init(recipe: recipe, measures: design.metrics.measures(of: recipe)))
            }
            previous = proposals(after: saved, recipe: recipe)
            // A person's decision replaces the proposals and, when it changes something,
            // the automatic stops: they asked for the next round.
            if let decision = try RoundDecision.recorded(in: url) {
                previous = (recipe, decision.adjustments, "you")
                guard !decision.adjustments.isEmpty else {
                    stopReason = "no adjustment was accepted after round \(n)"
                    break
                }
                continue
            }
            let patience = targets.isEmpty ? IterationRanking.patience : IterationRanking.propertyPatience
            if let reason = IterationRanking.stopReason(records, patience: patience) ?? stopForTargets(assessments, proposals: previous?.1 ?? []) {
                stopReason = reason
                break
            }
        }
        let best = IterationRanking.best(records)
        let targetAsks = try? TargetSummary(target, LocalDescriber().describe(target))
        var summary = IterationSummary(target: target, targetAsks: targetAsks, rounds: records, best: best?.round,
                                       bestReason: best.map { IterationRanking.reason($0, among: records) },
                                       stopReason: stopReason)
        summary.targets = targets.isEmpty ? nil : targets.map(\.label)
        if let best, best.measuredMet != true, let index = records.firstIndex(where: { $0.round == best.round }),
           let assessment = assessments[index] {
            summary.notReached = notReached(assessment)
        }
        try JSONFile.write(summary, to: folder.appendingPathComponent(summaryFile))
        if let best { try linkBest(roundFolder(best.round), in: folder) }
        try IterationReport.write(summary, in: folder)
        return summary
    }

    /// Stops when the targets conflict in two rounds running (the trade-off is reached), or
    /// when the measurements are off and nothing is left to change.
    static func stopForTargets(_ assessments: [TargetAssessment?], proposals: [Critique.Adjustment]) -> String? {
        guard let last = assessments.last ?? nil, !last.met else { return nil }
        if let conflict = last.tradeOffs?.first, assessments.count >= 2, assessments[assessments.count - 2]?.tradeOffs != nil {
            return "the targets conflict: " + conflict
        }
        if proposals.isEmpty {
            return "nothing left to change" + (last.unreachable.map { ": " + $0.joined(separator: "; ") } ?? "")
        }
        return nil
    }

    /// What `assessment` leaves unmet, each with why when the steps know.
    static func notReached(_ assessment: TargetAssessment) -> [String] {
        assessment.issues + (assessment.tradeOffs ?? []).map { "trade-off: " + $0 }
            + (assessment.unreachable ?? []).map { "out of reach: " + $0 }
    }

    /// What the next round changes: the critic's adjustments, or — when it proposes none
    /// while the measurements are off — the measurements' own.
    static func proposals(after saved: DesignCritique.Record, recipe: Recipe) -> (Recipe, [Critique.Adjustment], String) {
        if saved.critique.adjustments.isEmpty, let measured = saved.measured, !measured.met {
            return (recipe, measured.adjustments, "measurements")
        }
        return (recipe, saved.critique.adjustments, "critic")
    }

    /// Applies `proposals` within bounds; parameters outside `adjustable` are ignored.
    static func apply(_ proposals: [Critique.Adjustment], to recipe: inout Recipe,
                      adjustable: [String]) -> (changes: [String], warnings: [String]) {
        var changes: [String] = [], warnings: [String] = []
        for adjustment in proposals {
            guard let change = adjustment.requested else { continue }
            let key = adjustment.parameter.lowercased().replacingOccurrences(of: " ", with: "_")
            if RecipeAdjuster.userParameters.contains(key), !adjustable.contains(key) {
                warnings.append("the critic's change of \(key) was ignored: it is the user's to set "
                                + "(allow it with --allow-adjust \(key))")
                continue
            }
            do {
                changes.append(try RecipeAdjuster.apply(adjustment.parameter, change, to: &recipe, warnings: &warnings))
            } catch {
                warnings.append(error.description)
            }
        }
        return (changes, warnings)
    }

    /// Per-round record beside critique.json.
    static let roundFile = "round.json"

    /// A round whose critique.json (and design) are complete, read back.
    static func completedRound(_ n: Int, at url: URL) throws -> (RoundRecord, DesignCritique.Record, Recipe)? {
        let critiqueURL = url.appendingPathComponent(DesignCritique.fileName)
        guard FileManager.default.fileExists(atPath: critiqueURL.path) else { return nil }
        let design = try DesignFolder(url)
        let saved = try JSONDecoder().decode(DesignCritique.Record.self, from: Data(contentsOf: critiqueURL))
        let record = (try? JSONDecoder().decode(RoundRecord.self, from: Data(contentsOf: url.appendingPathComponent(roundFile))))
            ?? RoundRecord(round: n, folder: roundFolder(n), score: saved.critique.score, satisfied: saved.critique.satisfied,
                           summary: saved.critique.summary, issues: saved.critique.issues, critic: saved.critic,
                           solidFraction: design.metrics.solidFraction,
                           characteristicLengthMM: design.metrics.structure.twoPoint.characteristicLengthMM,
                           printable: design.metrics.printability.printable,
                           measuredDistance: saved.measured?.distance, measuredMet: saved.measured?.met,
                           measuredIssues: saved.measured?.issues, changes: [], changesFrom: nil, warnings: saved.warnings)
        return (record, saved, design.recipe)
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

    /// The table `iterate` prints; property targets add a column each (their measured value).
    public static func table(_ summary: IterationSummary) -> String {
        let targets = summary.targets ?? []
        var lines = ["round  score  measured  solid    length mm  printable  critic"
                     + targets.map { "  " + $0 }.joined()]
        for r in summary.rounds {
            let distance = r.measuredDistance.map { String(format: "%6.2f%@", $0, r.measuredMet == true ? "✓" : " ") } ?? "     - "
            let values = targets.indices.map { i -> String in
                let v = (r.targetValues?.indices.contains(i) ?? false) ? r.targetValues?[i] : nil
                let text = v.map { PropertyTarget.number($0) } ?? "-"
                return "  " + text.padding(toLength: max(targets[i].count, text.count), withPad: " ", startingAt: 0)
            }.joined()
            lines.append(String(format: "%@ %5@  %5.1f  %@  %6.3f   %8.3f   %-9@  %-7@", r.round == summary.best ? "*" : " ",
                                String(format: "%02d", r.round), r.score, distance, r.solidFraction, r.characteristicLengthMM,
                                r.printable ? "yes" : "no", r.critic) + values)
        }
        lines.append("best: " + (summary.best.map { roundFolder($0) } ?? "none")
                     + (summary.bestReason.map { " (\($0))" } ?? ""))
        lines.append("stopped: " + summary.stopReason)
        for line in summary.notReached ?? [] { lines.append("not reached: " + line) }
        return lines.joined(separator: "\n")
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}
