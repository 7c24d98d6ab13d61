import ForgeCephalo
import ForgeCore
import Foundation

/// One round of an iteration, as recorded in iteration.json and round.json.
public struct RoundRecord: Codable, Sendable {
    public var round: Int
    /// Relative to the iteration folder: rounds/01, …
    public var folder: String
    /// The critic's score (0–10) and whether it was content.
    public var score: Double
    public var satisfied: Bool
    public var summary: String
    public var issues: [String]
    public var critic: String
    public var solidFraction: Double
    public var characteristicLengthMM: Double
    public var printable: Bool
    /// The measured distance to the target (`TargetAssessment`; 0 = exactly on it) and
    /// whether every measured gap is closed.
    public var measuredDistance: Double?
    public var measuredMet: Bool?
    /// The measured gaps that are open.
    public var measuredIssues: [String]?
    /// The changes made to the previous round's recipe to get this one, and whose
    /// proposals they were ("critic" or "measurements").
    public var changes: [String]
    public var changesFrom: String?
    public var warnings: [String]
    /// Each property target's measured value, in the order of `IterationSummary.targets`.
    public var targetValues: [Double?]?
    /// Targets pulling one parameter opposite ways, and targets out of reach, as measured.
    public var tradeOffs: [String]?
    public var unreachable: [String]?

    enum CodingKeys: String, CodingKey {
        case round, folder, score, satisfied, summary, issues, critic, printable, changes, warnings
        case solidFraction = "solid_fraction"
        case characteristicLengthMM = "characteristic_length_mm"
        case measuredDistance = "measured_distance"
        case measuredMet = "measured_met"
        case measuredIssues = "measured_issues"
        case changesFrom = "changes_from"
        case targetValues = "target_values"
        case tradeOffs = "trade_offs"
        case unreachable
    }

    public init(round: Int, folder: String, score: Double, satisfied: Bool, summary: String, issues: [String], critic: String,
                solidFraction: Double, characteristicLengthMM: Double, printable: Bool, measuredDistance: Double?,
                measuredMet: Bool?, measuredIssues: [String]?, changes: [String], changesFrom: String?, warnings: [String]) {
        self.round = round
        self.folder = folder
        self.score = score
        self.satisfied = satisfied
        self.summary = summary
        self.issues = issues
        self.critic = critic
        self.solidFraction = solidFraction
        self.characteristicLengthMM = characteristicLengthMM
        self.printable = printable
        self.measuredDistance = measuredDistance
        self.measuredMet = measuredMet
        self.measuredIssues = measuredIssues
        self.changes = changes
        self.changesFrom = changesFrom
        self.warnings = warnings
    }

    /// Met by the measurements and the critic alike.
    public var satisfiesBoth: Bool { satisfied && (measuredMet ?? satisfied) }
}

/// What the target asks for, as the local describer reads it.
public struct TargetSummary: Codable, Sendable {
    public var text: String
    public var family: String?
    public var mode: String?
    public var solidFraction: Double?
    public var layerFractions: [Double]?
    public var wavelengthMM: Double

    enum CodingKeys: String, CodingKey {
        case text, family, mode
        case solidFraction = "solid_fraction"
        case layerFractions = "layer_fractions"
        case wavelengthMM = "wavelength_mm"
    }

    init(_ text: String, _ description: Description) {
        let r = description.recipe
        self.text = text
        family = description.fromPrompt["family"] != nil ? r.family.rawValue : nil
        mode = description.fromPrompt["mode"] != nil ? r.mode.rawValue : nil
        solidFraction = r.grading == nil ? r.solidFraction : nil
        layerFractions = r.grading?.fractions
        wavelengthMM = r.wavelengthMM
    }
}

/// The outcome of `iterate`: every round, the best one and why the loop stopped.
public struct IterationSummary: Codable, Sendable {
    public var target: String
    public var targetAsks: TargetSummary?
    public var rounds: [RoundRecord]
    /// The best round: met by measurements and critic first, then the smallest measured
    /// distance, then the highest score, then the earliest.
    public var best: Int?
    public var bestReason: String?
    public var stopReason: String
    /// The property targets, as labels ("E_z/E_x = 3 ± 10%").
    public var targets: [String]?
    /// What the best round leaves unmet and why, when it does not meet the target.
    public var notReached: [String]?

    enum CodingKeys: String, CodingKey {
        case target, rounds, best, targets
        case notReached = "not_reached"
        case targetAsks = "target_asks"
        case bestReason = "best_reason"
        case stopReason = "stop_reason"
    }
}

extension RoundRecord {
    /// Records each target's measured value and the trade-offs and limits the measurements found.
    mutating func describeTargets(_ targets: [PropertyTarget], measured: DesignMeasures, assessment: TargetAssessment?) {
        if !targets.isEmpty { targetValues = targets.map { measured.properties?.value(of: $0).flatMap { $0.isFinite ? $0 : nil } } }
        tradeOffs = assessment?.tradeOffs
        unreachable = assessment?.unreachable
    }
}
