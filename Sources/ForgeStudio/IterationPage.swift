import CephaloForge
import Foundation

/// An iteration as the API and the iterate page show it: its rounds side by side, each
/// with its critique, and the proposals for the next round with the decision taken.
enum IterationPage {
    struct Round: Codable, Sendable {
        var round: Int
        var score: Double
        var satisfied: Bool
        var summary: String
        var issues: [String]
        var critic: String
        var solidFraction: Double
        var measuredDistance: Double?
        var measuredMet: Bool?
        var changes: [String]
        var changesFrom: String?
        /// Files of the round, relative to the iteration folder.
        var folder: String
        var preview: String?
        var proposals: [Critique.Adjustment]
        var proposalsFrom: String
        var decision: [Critique.Adjustment]?
    }

    struct Rounds: Codable, Sendable {
        var id: String
        var target: String?
        var rounds: [Round]
        var best: Int?
        var stopReason: String?
    }

    static func rounds(in folder: URL, id: String) -> Rounds {
        let views = Iteration.completedRounds(in: folder)
        let summary = Iteration.summary(in: folder)
        let rounds = views.map { view in
            let r = view.record
            return Round(round: r.round, score: r.score, satisfied: r.satisfied, summary: r.summary, issues: r.issues,
                         critic: r.critic, solidFraction: r.solidFraction, measuredDistance: r.measuredDistance,
                         measuredMet: r.measuredMet, changes: r.changes, changesFrom: r.changesFrom, folder: r.folder,
                         preview: view.preview, proposals: view.proposals, proposalsFrom: view.proposalsFrom,
                         decision: view.decision?.adjustments)
        }
        // The summary speaks of the last step; it may stop short of rounds a later step added.
        // Running all the rounds a step asked for is no stop: the next step may follow.
        let current = summary.map { $0.rounds.count == rounds.count } ?? false
        let reason = current ? summary?.stopReason : nil
        return Rounds(id: id, target: summary?.target, rounds: rounds, best: current ? summary?.best : nil,
                      stopReason: reason?.hasPrefix("ran all") == true ? nil : reason)
    }

    /// The adjustments of a decision: `{"adjustments": [{"parameter": …, "value": … | "change": "+10%", "reason": …}]}`,
    /// each a parameter a critique may change, with a value or a relative change.
    static func adjustments(from body: Data) throws -> [Critique.Adjustment] {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let list = object["adjustments"] as? [Any], object.keys.allSatisfy({ $0 == "adjustments" }) else {
            throw StudioError.badRequest("send {\"adjustments\": [{\"parameter\": …, \"value\": … or \"change\": \"+10%\"}]} "
                                         + "(an empty list stops the iteration)")
        }
        guard list.count <= 32 else { throw StudioError.badRequest("at most 32 adjustments at once") }
        return try list.map { item in
            guard let entry = item as? [String: Any], let parameter = entry["parameter"] as? String else {
                throw StudioError.badRequest("each adjustment needs a parameter")
            }
            guard RecipeAdjuster.parameters.contains(parameter) else {
                throw StudioError.badRequest("'\(parameter)' cannot be adjusted: use one of "
                                             + RecipeAdjuster.parameters.joined(separator: ", "))
            }
            let reason = (entry["reason"] as? String).map { String($0.prefix(500)) } ?? "chosen in the studio"
            if let raw = entry["value"] {
                let value: ParameterValue?
                if let text = raw as? String, let number = Double(text.trimmingCharacters(in: .whitespaces)) {
                    value = .number(number)
                } else if let number = raw as? NSNumber, JSONValue.isFlag(number) {
                    value = nil
                } else {
                    value = ParameterValue(json: raw)
                }
                guard let value, value.isFinite else {
                    throw StudioError.badRequest("the value of \(parameter) must be a number or a word")
                }
                return Critique.Adjustment(parameter: parameter, value: value, reason: reason)
            }
            if let change = entry["change"] as? String, RecipeAdjuster.parseChange(change) != nil {
                return Critique.Adjustment(parameter: parameter, change: change, reason: reason)
            }
            throw StudioError.badRequest("\(parameter) needs a value, or a change such as \"-10%\" or \"+0.05\"")
        }
    }
}

private extension ParameterValue {
    var isFinite: Bool {
        if case let .number(n) = self { return n.isFinite }
        return true
    }
}
