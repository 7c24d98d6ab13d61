extension Recipe: Codable {
    /// The recipe's keys as they appear in files.
    public enum Key: String, CodingKey, CaseIterable, Sendable {
        case name, prompt, family, mode, seed, size, bandwidth, axis, beta, blend, grading, tile, image, material, targets
        case solidFraction = "solid_fraction"
        case wavelengthMM = "wavelength_mm"
        case coneAnglesDeg = "cone_angles_deg"
        case coneAngleDeg = "cone_angle_deg"
        case rotationDeg = "rotation_deg"
        case minWavelengthMM = "min_wavelength_mm"
        case keepMainBody = "keep_main_body"
        case fillEnclosedVoids = "fill_enclosed_voids"
        case minFeatureMM = "min_feature_mm"
        case printerResolutionMM = "printer_resolution_mm"
        case plateThicknessMM = "plate_thickness_mm"
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
        func value<T: Decodable>(_ key: Key, _ fallback: T) throws -> T {
            do {
                return try c.decodeIfPresent(T.self, forKey: key) ?? fallback
            } catch let error as RecipeError {
                throw error
            } catch {
                throw RecipeError.wrongType(key: key.rawValue, expected: Self.expectedType(key))
            }
        }
        func named<T: RawRepresentable & CaseIterable>(_ key: Key, _ fallback: T) throws -> T where T.RawValue == String {
            guard let text = try value(key, nil as String?) else { return fallback }
            return try Self.choice(text, key: key.rawValue)
        }
        self.init()
        name = try value(.name, d.name)
        prompt = try value(.prompt, d.prompt)
        family = try named(.family, d.family)
        mode = try named(.mode, d.mode)
        solidFraction = try value(.solidFraction, d.solidFraction)
        wavelengthMM = try value(.wavelengthMM, d.wavelengthMM)
        bandwidth = try value(.bandwidth, d.bandwidth)
        coneAnglesDeg = try value(.coneAnglesDeg, d.coneAnglesDeg)
        coneAngleDeg = try value(.coneAngleDeg, d.coneAngleDeg)
        axis = try named(.axis, d.axis)
        rotationDeg = try value(.rotationDeg, d.rotationDeg)
        beta = try value(.beta, d.beta)
        minWavelengthMM = try value(.minWavelengthMM, d.minWavelengthMM)
        blend = try value(.blend, d.blend)
        grading = try value(.grading, d.grading)
        image = try value(.image, d.image)
        keepMainBody = try value(.keepMainBody, d.keepMainBody)
        fillEnclosedVoids = try value(.fillEnclosedVoids, d.fillEnclosedVoids)
        minFeatureMM = try value(.minFeatureMM, d.minFeatureMM)
        printerResolutionMM = try value(.printerResolutionMM, d.printerResolutionMM)
        plateThicknessMM = try value(.plateThicknessMM, d.plateThicknessMM)
        tile = try value(.tile, d.tile)
        extentMM = try value(.extentMM, d.extentMM)
        size = try value(.size, d.size)
        seed = try value(.seed, d.seed)
        material = try value(.material, d.material)
        targets = try value(.targets, d.targets)
        if let grading, !c.contains(.solidFraction) {
            solidFraction = grading.meanFraction(layers: size.count(along: grading.axis))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(prompt, forKey: .prompt)
        try c.encode(family, forKey: .family)
        try c.encode(mode, forKey: .mode)
        try c.encode(solidFraction, forKey: .solidFraction)
        try c.encode(wavelengthMM, forKey: .wavelengthMM)
        try c.encode(bandwidth, forKey: .bandwidth)
        try c.encode(coneAnglesDeg, forKey: .coneAnglesDeg)
        try c.encode(coneAngleDeg, forKey: .coneAngleDeg)
        try c.encode(axis, forKey: .axis)
        try c.encode(rotationDeg, forKey: .rotationDeg)
        try c.encode(beta, forKey: .beta)
        try c.encodeIfPresent(minWavelengthMM, forKey: .minWavelengthMM)
        try c.encodeIfPresent(blend, forKey: .blend)
        try c.encodeIfPresent(grading, forKey: .grading)
        try c.encodeIfPresent(image, forKey: .image)
        try c.encode(keepMainBody, forKey: .keepMainBody)
        try c.encode(fillEnclosedVoids, forKey: .fillEnclosedVoids)
        try c.encode(minFeatureMM, forKey: .minFeatureMM)
        try c.encode(printerResolutionMM, forKey: .printerResolutionMM)
        try c.encode(plateThicknessMM, forKey: .plateThicknessMM)
        try c.encode(tile, forKey: .tile)
        try c.encode(extentMM, forKey: .extentMM)
        try c.encode(size, forKey: .size)
        try c.encode(seed, forKey: .seed)
        try c.encode(material, forKey: .material)
        if !targets.isEmpty { try c.encode(targets, forKey: .targets) }
    }

    /// Parses a named value (family, mode, axis), suggesting the closest on a typo.
    public static func choice<T: RawRepresentable & CaseIterable>(_ text: String, key: String) throws -> T
        where T.RawValue == String
    {
        let normalised = text.lowercased().replacingOccurrences(of: "-", with: "_")
            .replacingOccurrences(of: " ", with: "_")
        if let value = T(rawValue: normalised) { return value }
        let names = T.allCases.map(\.rawValue)
        throw RecipeError.unknownChoice(key: key, value: text, known: names,
                                        suggestion: closestMatch(to: normalised, in: names))
    }

    private static func expectedType(_ key: Key) -> String {
        switch key {
        case .name, .prompt, .family, .mode, .axis: return "a string"
        case .seed: return "a non-negative integer"
        case .size: return "an integer, a list [nx, ny, nz] or a string like \"512x512\""
        case .coneAnglesDeg, .rotationDeg: return "a list of three numbers"
        case .tile: return "a list of three whole numbers, e.g. [2, 2, 1]"
        case .keepMainBody, .fillEnclosedVoids: return "true or false"
        case .blend: return "a mapping {family, weight, wavelength_mm}"
        case .grading: return "a mapping {axis, fractions: [..]}"
        case .image: return "a mapping {path, pixel_mm, invert, threshold}"
        case .targets: return "a list of {quantity, axis, value, tolerance} or {quantity, axis, min, max}"
        case .material: return "a preset name (resin, pla, pa12, ti64, ss316l) or {name, youngs_modulus_gpa, poisson_ratio}"
        default: return "a number"
        }
    }
}

extension GridSize {
    /// Samples along `axis`.
    public func count(along axis: Axis) -> Int {
        switch axis {
        case .x: return nx
        case .y: return ny
        case .z: return nz
        }
    }
}

/// A coding key for any string, used to list the keys a file actually contains.
public struct AnyCodingKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
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
