extension Recipe: Codable {
    /// The recipe's keys as they appear in files.
    public enum Key: String, CodingKey, CaseIterable, Sendable {
        case name, prompt, family, seed, size, bandwidth
        case solidFraction = "solid_fraction"
        case wavelengthMM = "wavelength_mm"
        case extentMM = "extent_mm"
    }

    /// Every key a recipe file may use.
    public static var keyNames: [String] { Key.allCases.map(\.rawValue) }

    /// Decodes any subset of the keys; missing keys take `Recipe.defaults`.
    /// Unknown keys are an error that names the closest known key.
    public init(from decoder: Decoder) throws {
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in any.allKeys where Key(stringValue: key.stringValue) == nil {
            throw RecipeError.unknownKey(key.stringValue,
                                         suggestion: closestMatch(to: key.stringValue, in: Self.keyNames))
        }
        let c = try decoder.container(keyedBy: Key.self)
        let d = Recipe.defaults
        func value<T: Decodable>(_ type: T.Type, _ key: Key, _ fallback: T) throws -> T {
            do {
                return try c.decodeIfPresent(type, forKey: key) ?? fallback
            } catch {
                throw RecipeError.wrongType(key: key.rawValue, expected: "\(T.self)")
            }
        }
        self.init(
            name: try value(String?.self, .name, d.name),
            prompt: try value(String?.self, .prompt, d.prompt),
            family: try c.decodeIfPresent(String.self, forKey: .family).map(Self.family(named:)) ?? d.family,
            solidFraction: try value(Double.self, .solidFraction, d.solidFraction),
            wavelengthMM: try value(Double.self, .wavelengthMM, d.wavelengthMM),
            bandwidth: try value(Double.self, .bandwidth, d.bandwidth),
            extentMM: try value(Double.self, .extentMM, d.extentMM),
            size: try value(GridSize.self, .size, d.size),
            seed: try value(UInt64.self, .seed, d.seed))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(prompt, forKey: .prompt)
        try c.encode(family, forKey: .family)
        try c.encode(solidFraction, forKey: .solidFraction)
        try c.encode(wavelengthMM, forKey: .wavelengthMM)
        try c.encode(bandwidth, forKey: .bandwidth)
        try c.encode(extentMM, forKey: .extentMM)
        try c.encode(size, forKey: .size)
        try c.encode(seed, forKey: .seed)
    }

    private static func family(named text: String) throws -> StructureFamily {
        if let family = StructureFamily(rawValue: text.lowercased()) { return family }
        let names = StructureFamily.allCases.map(\.rawValue)
        throw RecipeError.unknownFamily(text, known: names, suggestion: closestMatch(to: text, in: names))
    }
}

/// A coding key for any string, used to list the keys a file actually contains.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The candidate closest to `word` by edit distance, if it is plausibly a misspelling.
func closestMatch(to word: String, in candidates: [String]) -> String? {
    let target = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(target, Array(candidate))
        if d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    guard let (match, distance) = best, distance <= max(2, target.count / 3) else { return nil }
    return match
}

private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
        var current = [i + 1]
        for (j, cb) in b.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}
