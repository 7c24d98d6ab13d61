import ForgeCephalo
import ForgeFormats
import Foundation

/// What a person decided about a round's proposed adjustments before the next round:
/// `rounds/NN/decision.json`. The next round applies these adjustments instead of the
/// critic's (accepted as proposed, edited, or some rejected by leaving them out); with
/// none, the loop stops after round NN. `iterate` and the studio both honour it, so
/// either can resume what the other started.
public struct RoundDecision: Codable, Sendable, Equatable {
    public var adjustments: [Critique.Adjustment]
    public var decided: Date

    public static let fileName = "decision.json"

    public init(adjustments: [Critique.Adjustment], decided: Date = Date()) {
        self.adjustments = adjustments
        self.decided = decided
    }

    /// The decision recorded in a round folder, if any.
    public static func recorded(in round: URL) throws -> RoundDecision? {
        let url = round.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try InputFile.read(url, maximumBytes: 1 << 20)
        do {
            return try Self.decoder.decode(RoundDecision.self, from: data)
        } catch {
            throw FormatError.recipe(path: url.path, reason: "not a round decision (\(error))")
        }
    }

    /// Writes the decision into `round` (atomically).
    public func write(into round: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(self), to: round.appendingPathComponent(Self.fileName))
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
