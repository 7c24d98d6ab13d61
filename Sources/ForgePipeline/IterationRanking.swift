import Foundation

/// How rounds are compared: what was measured counts before what a model says.
///
/// A round that both the measurements and the critic accept ranks above any that not both
/// accept; then rounds whose measured gaps are all closed. Among rounds that meet the
/// measured target, the critic's higher score ranks first (what is left to judge is what
/// the numbers do not cover), then the smaller measured distance; among rounds that do not,
/// the smaller measured distance (to within 1%) ranks first, then the higher score. Last,
/// the earlier round. The loop stops when a round is accepted by both, or when `patience`
/// rounds in a row did not rank above the best before them.
public enum IterationRanking {
    public static let patience = 2
    /// With property targets: their levers interact (cones change the stiffness as well as
    /// its ratio), so a round may get worse before the next lands.
    public static let propertyPatience = 3

    /// Whether `a` ranks above `b`.
    public static func isBetter(_ a: RoundRecord, than b: RoundRecord) -> Bool {
        if a.satisfiesBoth != b.satisfiesBoth { return a.satisfiesBoth }
        let aMet = a.measuredMet ?? a.satisfied, bMet = b.measuredMet ?? b.satisfied
        if aMet != bMet { return aMet }
        let da = a.measuredDistance ?? (10 - a.score), db = b.measuredDistance ?? (10 - b.score)
        let closer = abs(da - db) > 0.01 * max(da, db) ? (da < db) : nil
        if aMet {
            if a.score != b.score { return a.score > b.score }
            if let closer { return closer }
        } else {
            if let closer { return closer }
            if a.score != b.score { return a.score > b.score }
        }
        return a.round < b.round
    }

    public static func best(_ rounds: [RoundRecord]) -> RoundRecord? {
        rounds.reduce(nil) { best, r in best.map { isBetter(r, than: $0) ? r : $0 } ?? r }
    }

    /// Why `record` is the best of `rounds`, in a sentence.
    static func reason(_ record: RoundRecord, among rounds: [RoundRecord]) -> String {
        let distance = record.measuredDistance.map { String(format: "measured distance %.2f", $0) } ?? "no measured distance"
        if record.satisfiesBoth { return "it meets the target as measured and satisfied the critic (\(distance))" }
        if record.measuredMet == true { return "it meets the target as measured (\(distance)); the critic still had issues" }
        return "closest to the target as measured (\(distance), score \(String(format: "%.1f", record.score)))"
    }

    /// The stop reason after `rounds` (the latest last), or nil to go on.
    public static func stopReason(_ rounds: [RoundRecord], patience: Int = patience) -> String? {
        guard let last = rounds.last else { return nil }
        if last.satisfiesBoth {
            return "round \(last.round) meets the target as measured and satisfied the critic"
        }
        guard rounds.count > patience else { return nil }
        let before = Array(rounds.dropLast(patience)), recent = rounds.suffix(patience)
        guard let bestBefore = best(before), !recent.contains(where: { isBetter($0, than: bestBefore) }) else { return nil }
        return "no round improved on round \(bestBefore.round) for \(patience) rounds (measured distance, then score)"
    }
}
