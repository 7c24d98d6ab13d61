import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// The complete rounds of an iteration folder, read back for display: each round's record,
/// its critique's proposals for the next round, and the decision taken on them.
public struct IterationRoundView: Sendable {
    public var record: RoundRecord
    /// What the next round would apply, and whose proposals they are ("critic" or "measurements").
    public var proposals: [Critique.Adjustment]
    public var proposalsFrom: String
    public var decision: RoundDecision?
    /// The round's shaded render, relative to the iteration folder.
    public var preview: String?
}

extension Iteration {
    /// The complete rounds in `folder`, in order; stops at the first round that is not complete.
    public static func completedRounds(in folder: URL) -> [IterationRoundView] {
        var views: [IterationRoundView] = []
        for n in 1...maxRounds {
            let url = folder.appendingPathComponent(roundFolder(n))
            guard let (record, saved, recipe) = try? completedRound(n, at: url) else { break }
            let (_, proposals, from) = self.proposals(after: saved, recipe: recipe)
            let preview = FileManager.default.fileExists(atPath: url.appendingPathComponent("preview.png").path)
                ? roundFolder(n) + "/preview.png" : DesignImages.existingRenders(in: url).first.map { roundFolder(n) + "/" + $0 }
            views.append(IterationRoundView(record: record, proposals: proposals, proposalsFrom: from,
                                            decision: try? RoundDecision.recorded(in: url), preview: preview))
        }
        return views
    }

    /// The summary `iterate` wrote last, if any.
    public static func summary(in folder: URL) -> IterationSummary? {
        guard let data = try? InputFile.read(folder.appendingPathComponent(summaryFile), maximumBytes: 16 << 20) else { return nil }
        return try? JSONDecoder().decode(IterationSummary.self, from: data)
    }
}
