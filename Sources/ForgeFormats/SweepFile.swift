import ForgeCore
import Foundation
import Yams

/// A sweep file (YAML or JSON): a base, then what varies.
///
/// ```yaml
/// base: { prompt: "spinodal foam, 30% solid, 10 mm cube" }   # or { recipe: name-or-path }
/// size: 96
/// grid:   { solid_fraction: [0.25, 0.35] }
/// random: { wavelength_mm: [1.0, 2.0] }   # uniform in [low, high]
/// latin: true                              # Latin hypercube instead of independent draws
/// samples: 2
/// seeds: [1, 2]
/// sample_seed: 0                           # the random draws' own seed
/// ```
public struct SweepSpec: Codable, Sendable, Equatable {
    public struct Base: Codable, Sendable, Equatable {
        public var prompt: String?
        public var recipe: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case prompt, recipe }

        public init(prompt: String? = nil, recipe: String? = nil) {
            self.prompt = prompt
            self.recipe = recipe
        }

        public init(from decoder: Decoder) throws {
            try SweepSpec.rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "base")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            prompt = try c.decodeIfPresent(String.self, forKey: .prompt)
            recipe = try c.decodeIfPresent(String.self, forKey: .recipe)
        }
    }

    public var base: Base
    public var size: GridSize?
    public var grid: [String: [ParameterValue]]
    public var random: [String: [Double]]
    public var latin: Bool
    public var samples: Int
    public var seeds: [UInt64]
    public var sampleSeed: UInt64

    enum CodingKeys: String, CodingKey, CaseIterable {
        case base, size, grid, random, latin, samples, seeds
        case sampleSeed = "sample_seed"
    }

    public init(base: Base, size: GridSize? = nil, grid: [String: [ParameterValue]] = [:], random: [String: [Double]] = [:],
                latin: Bool = false, samples: Int = 1, seeds: [UInt64] = [1], sampleSeed: UInt64 = 0) {
        self.base = base
        self.size = size
        self.grid = grid
        self.random = random
        self.latin = latin
        self.samples = samples
        self.seeds = seeds
        self.sampleSeed = sampleSeed
    }

    public init(from decoder: Decoder) throws {
        try Self.rejectUnknownKeys(decoder, known: CodingKeys.allCases.map(\.rawValue), in: "the sweep")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        base = try c.decode(Base.self, forKey: .base)
        size = try c.decodeIfPresent(GridSize.self, forKey: .size)
        grid = try c.decodeIfPresent([String: [ParameterValue]].self, forKey: .grid) ?? [:]
        random = try c.decodeIfPresent([String: [Double]].self, forKey: .random) ?? [:]
        latin = try c.decodeIfPresent(Bool.self, forKey: .latin) ?? false
        samples = try c.decodeIfPresent(Int.self, forKey: .samples) ?? 1
        seeds = try c.decodeIfPresent([UInt64].self, forKey: .seeds) ?? [1]
        sampleSeed = try c.decodeIfPresent(UInt64.self, forKey: .sampleSeed) ?? 0
    }

    static func rejectUnknownKeys(_ decoder: Decoder, known: [String], in place: String) throws {
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in any.allKeys where !known.contains(key.stringValue) {
            throw FormatError.sweep(path: "", reason: "unknown key '\(key.stringValue)' in \(place); known keys: "
                + known.joined(separator: ", "))
        }
    }

    /// Reads a sweep file (YAML, or JSON, which YAML reads too).
    /// A regular file of at most 1 MiB, nesting at most 32 levels, with no key given twice.
    public static func load(_ url: URL) throws -> SweepSpec {
        let data = try InputFile.read(url, maximumBytes: StructuredText.maximumBytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw FormatError.sweep(path: url.path, reason: "it is not UTF-8 text")
        }
        do {
            if text.first(where: { !$0.isWhitespace }) == "{" { try StructuredText.checkJSON(data) }
            try StructuredText.checkYAML(text)
            return try YAMLDecoder().decode(SweepSpec.self, from: text)
        } catch let problem as StructuredText.Problem {
            throw FormatError.sweep(path: url.path, reason: problem.reason)
        } catch let FormatError.sweep(_, reason) {
            throw FormatError.sweep(path: url.path, reason: reason)
        } catch let DecodingError.keyNotFound(key, _) {
            throw FormatError.sweep(path: url.path, reason: "'\(key.stringValue)' is missing")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw FormatError.sweep(path: url.path, reason: "'\(path)' has the wrong type (\(context.debugDescription))")
        } catch let DecodingError.dataCorrupted(context) {
            if case let FormatError.sweep(_, reason)? = context.underlyingError {
                throw FormatError.sweep(path: url.path, reason: reason)
            }
            throw FormatError.sweep(path: url.path, reason: context.debugDescription)
        } catch {
            throw FormatError.sweep(path: url.path, reason: "\(error)")
        }
    }
}

