import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// One design of a sweep.
public struct SweepVariant: Sendable {
    /// Position in the sweep (grid combinations, then samples, then seeds).
    public let index: Int
    /// Stable id derived from the base, the size and the parameters.
    public let id: String
    /// Parameter name → value, in the sweep's parameter order.
    public let parameters: [(name: String, value: ParameterValue)]
    public let recipe: Recipe

    /// The folder of this variant inside a batch folder.
    public var folder: String { "variants/\(id)" }
}

/// A sweep file expanded into its variants: grid combinations × random samples × seeds.
/// The same file always gives the same variants, in the same order, with the same ids.
public struct Sweep: Sendable {
    public let spec: SweepSpec
    public let base: Recipe
    public let variants: [SweepVariant]
    /// Grid parameters (sorted), then random ones (sorted).
    public let parameterNames: [String]

    /// Reads, checks and expands a sweep file. Every problem is reported before anything runs.
    public static func load(_ url: URL) throws -> Sweep {
        let spec = try SweepSpec.load(url)
        do {
            return try Sweep(spec)
        } catch let error as SweepError {
            throw FormatError.sweep(path: url.path, reason: error.description)
        }
    }

    public init(_ spec: SweepSpec) throws {
        self.spec = spec
        switch (spec.base.prompt, spec.base.recipe) {
        case let (prompt?, nil): base = try LocalDescriber().describe(prompt).recipe
        case let (nil, reference?): base = try RecipeFile.load(reference, templateFolders: TemplateFolders.recipeFolders())
        default: throw SweepError("base needs exactly one of prompt or recipe")
        }
        var recipe = base
        if let size = spec.size { recipe.size = size }
        for name in Array(spec.grid.keys) + Array(spec.random.keys) where !RecipeAdjuster.parameters.contains(name) {
            throw SweepError("'\(name)' cannot be swept; parameters: " + RecipeAdjuster.parameters.filter { $0 != "seed" }.joined(separator: ", "))
        }
        if spec.grid.keys.contains("seed") || spec.random.keys.contains("seed") { throw SweepError("give seeds with 'seeds', not as a parameter") }
        if let both = Set(spec.grid.keys).intersection(spec.random.keys).first { throw SweepError("'\(both)' is in both grid and random") }
        for (name, values) in spec.grid where values.isEmpty { throw SweepError("grid '\(name)' has no values") }
        for (name, range) in spec.random where range.count != 2 || !(range[0] < range[1]) {
            throw SweepError("random '\(name)' needs [low, high] with low < high")
        }
        guard spec.samples >= 1, spec.samples <= Self.maximumVariants else {
            throw SweepError("samples must lie between 1 and \(Self.maximumVariants)")
        }
        guard !spec.seeds.isEmpty else { throw SweepError("seeds must list at least one seed") }
        var total = spec.random.isEmpty ? 1 : spec.samples
        for count in spec.grid.values.map(\.count) + [spec.seeds.count] {
            let (product, overflow) = total.multipliedReportingOverflow(by: count)
            guard !overflow, product <= Self.maximumVariants else {
                throw SweepError("it has more than \(Self.maximumVariants) variants; split it into smaller sweeps")
            }
            total = product
        }
        let gridNames = spec.grid.keys.sorted(), randomNames = spec.random.keys.sorted()
        parameterNames = gridNames + randomNames
        let draws = Self.draws(spec, names: randomNames)
        let identity = (spec.base.prompt.map { "prompt:" + $0 } ?? "recipe:" + (spec.base.recipe ?? "")) + "|size:\(recipe.size)"

        var variants: [SweepVariant] = [], seen: [String: Int] = [:]
        for combination in Self.combinations(gridNames.map { spec.grid[$0]! }) {
            for sample in 0..<(randomNames.isEmpty ? 1 : spec.samples) {
                for seed in spec.seeds {
                    var parameters = zip(gridNames, combination).map { (name: $0, value: $1) }
                    parameters += randomNames.enumerated().map { (name: $0.element, value: ParameterValue.number(draws[sample][$0.offset])) }
                    let canonical = identity + "|" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ";") + "|seed=\(seed)"
                    let id = "v" + Self.hash(canonical)
                    if let earlier = seen[id] { throw SweepError("variants \(earlier + 1) and \(variants.count + 1) are identical (\(canonical))") }
                    seen[id] = variants.count
                    var v = recipe
                    var warnings: [String] = []
                    for (name, value) in parameters {
                        let change: RecipeAdjuster.Change = .set(value)
                        do { try RecipeAdjuster.apply(name, change, to: &v, warnings: &warnings) } catch {
                            throw SweepError("variant \(id): \(error)")
                        }
                    }
                    if let first = warnings.first { throw SweepError("variant \(id): \(first.replacingOccurrences(of: "; clamped to", with: "; it would be clamped to"))") }
                    v.seed = seed
                    do { try v.validate() } catch { throw SweepError("variant \(id) (\(parameters.map { "\($0.name) \($0.value)" }.joined(separator: ", "))): \(error)") }
                    variants.append(SweepVariant(index: variants.count, id: id, parameters: parameters, recipe: v))
                }
            }
        }
        self.variants = variants
    }

    /// A hash of what the sweep makes: its settings and its base recipe.
    public var contentHash: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let spec = (try? encoder.encode(self.spec)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let recipe = (try? encoder.encode(base)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Self.hash(spec + "|" + recipe)
    }

    /// The most variants one sweep may have.
    public static let maximumVariants = 1_000_000

    /// The variants of shard `i` of `n` (1-based): every n-th variant starting at i − 1, so
    /// the shards cover the sweep exactly once.
    public func shard(_ i: Int, of n: Int) -> [SweepVariant] {
        precondition(n >= 1 && (1...n).contains(i))
        return variants.filter { $0.index % n == i - 1 }
    }

    /// The random values of each sample (uniform, or Latin hypercube), rounded to six
    /// significant digits so ids and tables read well.
    static func draws(_ spec: SweepSpec, names: [String]) -> [[Double]] {
        var rng = SeededRandom(seed: spec.sampleSeed, stream: 0x5eed)
        let n = spec.samples
        var strata: [[Int]] = []
        if spec.latin {
            for _ in names {
                var order = Array(0..<n)
                for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
                strata.append(order)
            }
        }
        return (0..<n).map { k in
            names.enumerated().map { p, name in
                let range = spec.random[name]!
                let u = rng.nextOpenUnit()
                let t = spec.latin ? (Double(strata[p][k]) + u) / Double(n) : u
                return Double(String(format: "%.6g", range[0] + t * (range[1] - range[0])))!
            }
        }
    }

    static func combinations(_ lists: [[ParameterValue]]) -> [[ParameterValue]] {
        lists.reduce([[]]) { partial, values in partial.flatMap { prefix in values.map { prefix + [$0] } } }
    }

    /// 48 bits of FNV-1a, finished with the SplitMix64 mixer so that texts differing in
    /// one character differ everywhere, as 12 hex digits.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100000001b3
        }
        h = (h ^ (h >> 30)) &* 0xbf58476d1ce4e5b9
        h = (h ^ (h >> 27)) &* 0x94d049bb133111eb
        h ^= h >> 31
        return String(String(h >> 16, radix: 16).leftPadded(to: 12))
    }
}

struct SweepError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
