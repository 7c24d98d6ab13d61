import ForgeCore
import Foundation

/// A judgement of one design against its target, from the model or the local critic.
public struct Critique: Codable, Sendable, Equatable {
    /// 0 (nothing like the target) … 10 (exactly it).
    public var score: Double
    public var summary: String
    public var issues: [String]
    public var adjustments: [Adjustment]
    /// The critic is content: the design meets the target.
    public var satisfied: Bool

    public struct Adjustment: Codable, Sendable, Equatable {
        public var parameter: String
        /// The new value, or nil when `change` gives a relative change.
        public var value: ParameterValue?
        /// A relative change: "-10%" or "+0.05".
        public var change: String?
        public var reason: String

        public init(parameter: String, value: ParameterValue? = nil, change: String? = nil, reason: String) {
            self.parameter = parameter
            self.value = value
            self.change = change
            self.reason = reason
        }

        /// The change this adjustment asks for, if it names one.
        public var requested: RecipeAdjuster.Change? {
            if let value { return .set(value) }
            return change.flatMap(RecipeAdjuster.parseChange)
        }
    }

    public init(score: Double, summary: String, issues: [String], adjustments: [Adjustment], satisfied: Bool) {
        self.score = score
        self.summary = summary
        self.issues = issues
        self.adjustments = adjustments
        self.satisfied = satisfied
    }

    /// The score at or above which a model's critique counts as satisfied.
    public static let satisfiedScore = 8.0

    /// Reads a critique from a model's JSON object, leniently: a score given as a string
    /// or out of 0…10 is converted and clamped, issues given as one string become a list,
    /// adjustments without a parameter or a value are dropped (with a note in `dropped`).
    public init(json object: [String: Any], dropped: inout [String]) throws(CephaloError) {
        let rawScore = object["score"]
        let parsed: Double? = (rawScore as? NSNumber)?.doubleValue
            ?? (rawScore as? String).flatMap { Double($0.split(separator: "/").first?.trimmingCharacters(in: .whitespaces) ?? "") }
        guard let value = parsed, value.isFinite else {
            throw .wrongShape(reason: "no numeric \"score\" (got \(rawScore.map { "\($0)" } ?? "nothing"))")
        }
        score = min(max(value, 0), 10)
        if value != score { dropped.append("score \(value) clamped to \(score)") }
        summary = (object["summary"] as? String) ?? ""
        if let list = object["issues"] as? [Any] {
            issues = list.compactMap { $0 as? String }
        } else if let one = object["issues"] as? String {
            issues = [one]
        } else {
            issues = []
        }
        var adjustments: [Adjustment] = []
        for item in (object["adjustments"] as? [Any]) ?? [] {
            guard let entry = item as? [String: Any], let parameter = entry["parameter"] as? String else {
                dropped.append("an adjustment without a parameter was ignored")
                continue
            }
            let value = entry["value"].flatMap(ParameterValue.init(json:))
            let change = entry["change"] as? String
            guard value != nil || change.flatMap(RecipeAdjuster.parseChange) != nil else {
                dropped.append("the adjustment of \(parameter) has no usable value or change")
                continue
            }
            adjustments.append(Adjustment(parameter: parameter, value: value, change: change,
                                          reason: (entry["reason"] as? String) ?? ""))
        }
        self.adjustments = adjustments
        satisfied = (object["satisfied"] as? Bool) ?? (score >= Self.satisfiedScore && adjustments.isEmpty)
    }
}
