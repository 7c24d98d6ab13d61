import ForgeCore
import Foundation

/// A describer that needs no model server: it reads fractions, lengths and material words
/// from the prompt.
///
/// - Fractions: `30% solid`, `solid fraction 0.3`, `density 30%` set the solid fraction;
///   `70% porosity`, `porous 0.6`, `60% void` set it to one minus the number; a bare `30%`
///   counts as solid.
/// - Lengths (mm, µm/um/micron, cm): after wavelength / period / spacing / cell size they
///   set `wavelength_mm`; after pore / feature / strut size they set it to twice the length
///   (a pore is half a period); before cube / box / block / part / scaffold or after
///   extent / edge, and otherwise the first unqualified length, they set `extent_mm`.
/// - Words: spinodal, bicontinuous, foam, sponge, bone, trabecular, scaffold → spinodal;
///   blob, particle, particulate, granular, droplet, inclusion → blob. Bone and trabecular
///   default to λ = 1.2 mm, foam and sponge to 2 mm. coarse ×2, fine ×0.5 on λ; regular /
///   ordered narrow the spectrum (bandwidth 0.1), irregular / random / disordered widen it
///   (0.35).
/// - `N voxels`, `size N`, `resolution N` set the size; `seed N` the seed.
public struct LocalDescriber: Describer {
    public init() {}

    public func describe(_ prompt: String) throws -> Description {
        var recipe = Recipe.defaults
        var from: [String: String] = [:]
        let text = prompt.lowercased().replacingOccurrences(of: "μ", with: "µ")
        recipe.prompt = prompt
        recipe.name = Self.slug(prompt)

        applyFamily(text, &recipe, &from)
        applyFraction(text, &recipe, &from)
        applyLengths(text, &recipe, &from)
        applyModifiers(text, &recipe, &from)
        if let (n, words) = Self.firstInteger(text, patterns: [#"(\d+)\s*(?:voxels|vox|³|\^3)"#, #"(?:size|resolution)\s*(?:of\s*)?(\d+)\b(?!\s*(?:mm|µm|um|cm|micron))"#]) {
            recipe.size = GridSize(cube: n)
            from["size"] = words
        }
        if let (n, words) = Self.firstInteger(text, patterns: [#"seed\s*[=:#]?\s*(\d+)"#]) {
            recipe.seed = UInt64(n)
            from["seed"] = words
        }
        return Description(recipe: recipe, fromPrompt: from)
    }

    private func applyFamily(_ text: String, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let blob = ["blob", "particle", "particulate", "granular", "droplet", "inclusion"]
        let spinodal = ["spinodal", "bicontinuous", "foam", "sponge", "bone", "trabecular", "scaffold", "gyroidal"]
        if let word = Self.firstWord(text, in: blob) {
            recipe.family = .blob
            from["family"] = word
        } else if let word = Self.firstWord(text, in: spinodal) {
            recipe.family = .spinodal
            from["family"] = word
        }
        if let word = Self.firstWord(text, in: ["bone", "trabecular"]) {
            recipe.wavelengthMM = 1.2
            from["wavelength_mm"] = word
        } else if let word = Self.firstWord(text, in: ["foam", "sponge"]) {
            recipe.wavelengthMM = 2.0
            from["wavelength_mm"] = word
        }
    }

    private func applyFraction(_ text: String, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let number = #"(\d+(?:\.\d+)?)"#
        let solidWords = #"(?:solid|dense|density|infill|fill|filled|material|volume fraction)"#
        let voidWords = #"(?:porosity|porous|pores?|void|voids|empty|open)"#
        let rules: [(String, Bool, Bool)] = [
            (number + #"\s*%\s*"# + solidWords, true, true),
            (number + #"\s*%\s*"# + voidWords, false, true),
            (#"(?:solid fraction|relative density|volume fraction|density|solid)\s*(?:of|=|:|is)?\s*"# + number + #"\s*(%?)"#, true, false),
            (#"(?:porosity|porous|void fraction)\s*(?:of|=|:|is)?\s*"# + number + #"\s*(%?)"#, false, false),
            (number + #"\s*%"#, true, true),
        ]
        for (pattern, isSolid, percent) in rules {
            guard let match = Self.match(pattern, in: text), let value = Double(match.groups[0]) else { continue }
            let isPercent = percent || (match.groups.count > 1 && match.groups[1] == "%") || value > 1
            let fraction = isPercent ? value / 100 : value
            recipe.solidFraction = isSolid ? fraction : 1 - fraction
            from["solid_fraction"] = match.whole
            return
        }
    }

    private func applyLengths(_ text: String, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let pattern = #"(\d+(?:\.\d+)?)\s*(mm|millimet(?:er|re)s?|µm|um|microns?|micromet(?:er|re)s?|cm)\b"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return }
        let ns = text as NSString
        var extentSet = false
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            guard let value = Double(ns.substring(with: m.range(at: 1))) else { continue }
            let unit = ns.substring(with: m.range(at: 2))
            let mm = unit.hasPrefix("c") ? value * 10 : (unit.hasPrefix("m") && !unit.hasPrefix("micr") ? value : value / 1000)
            let clause = ns.substring(to: m.range.location).suffix(28)
                .split(separator: ",", omittingEmptySubsequences: false).last ?? ""
            let before = clause.split(separator: ";", omittingEmptySubsequences: false).last ?? ""
            let after = ns.substring(from: m.range.location + m.range.length).prefix(16)
            let whole = ns.substring(with: m.range)
            if Self.contains(before, any: ["wavelength", "period", "spacing", "cell size", "unit cell", "length scale", "characteristic"]) {
                recipe.wavelengthMM = mm
                from["wavelength_mm"] = before.trimmingCharacters(in: .whitespaces) + " " + whole
            } else if Self.contains(before, any: ["pore", "feature", "strut", "ligament", "wall"]) {
                recipe.wavelengthMM = 2 * mm
                from["wavelength_mm"] = before.trimmingCharacters(in: .whitespaces) + " " + whole
            } else if !extentSet {
                recipe.extentMM = mm
                from["extent_mm"] = whole + (Self.contains(after, any: ["cube", "box", "block"]) ? " " + String(after.split(separator: " ").first ?? "") : "")
                extentSet = true
            }
        }
    }

    private func applyModifiers(_ text: String, _ recipe: inout Recipe, _ from: inout [String: String]) {
        if let word = Self.firstWord(text, in: ["coarse", "large pores", "big pores"]) {
            recipe.wavelengthMM *= 2
            from["wavelength_mm"] = [from["wavelength_mm"], word].compactMap { $0 }.joined(separator: " + ")
        } else if let word = Self.firstWord(text, in: ["very fine", "fine", "small pores", "microporous"]) {
            recipe.wavelengthMM *= word == "very fine" ? 0.35 : 0.5
            from["wavelength_mm"] = [from["wavelength_mm"], word].compactMap { $0 }.joined(separator: " + ")
        }
        if let word = Self.firstWord(text, in: ["irregular", "random", "disordered"]) {
            recipe.bandwidth = 0.35
            from["bandwidth"] = word
        } else if let word = Self.firstWord(text, in: ["regular", "ordered", "uniform"]) {
            recipe.bandwidth = 0.1
            from["bandwidth"] = word
        }
    }

    /// A folder-friendly name: lowercase letters, digits and dashes, at most 48 characters.
    public static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for ch in text.lowercased().unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) {
                out.unicodeScalars.append(ch)
                dash = false
            } else if !dash, !out.isEmpty {
                out += "-"
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 48 {
            out = String(out.prefix(48))
            while out.hasSuffix("-") { out.removeLast() }
        }
        return out.isEmpty ? "design" : out
    }

    private struct Match {
        let whole: String
        let groups: [String]
    }

    private static func match(_ pattern: String, in text: String) -> Match? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let ns = text as NSString
        let groups = (1..<m.numberOfRanges).map { i -> String in
            m.range(at: i).location == NSNotFound ? "" : ns.substring(with: m.range(at: i))
        }
        return Match(whole: ns.substring(with: m.range), groups: groups)
    }

    private static func firstInteger(_ text: String, patterns: [String]) -> (Int, String)? {
        for p in patterns {
            if let m = match(p, in: text), let n = Int(m.groups[0]) { return (n, m.whole) }
        }
        return nil
    }

    private static func firstWord(_ text: String, in words: [String]) -> String? {
        words.first { word in match(#"\b"# + NSRegularExpression.escapedPattern(for: word), in: text) != nil }
    }

    private static func contains(_ text: Substring, any words: [String]) -> Bool {
        words.contains { text.contains($0) }
    }
}
