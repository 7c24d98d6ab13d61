import ForgeCore
import Foundation

/// The local describer's rules for the material and the property targets.
///
/// - Material: Ti-6Al-4V / titanium, 316L / stainless steel, PLA, PA12 / nylon, resin.
/// - Stiffness ratio: "N times stiffer along z (than across / than along x)", "twice as stiff
///   along z", "stiffer along z" (at least 1.5), "N times softer along z".
/// - Isotropy: "isotropic stiffness", "elastically isotropic" (E_max/E_min ≤ 1.15).
/// - Young's modulus: "E = 300 MPa", "E_z about 2 GPa", "Young's modulus of 1.5 GPa",
///   "E between 3 and 20 GPa", "E above 1 GPa"; "like cortical bone" (7–30 GPa), "like
///   trabecular / cancellous bone" (0.1–2 GPa); "very stiff" (E/E_s ≥ 0.25).
/// - Relative stiffness: "E/E_s = 0.05", "relative stiffness 0.05", "5% of the solid's stiffness".
/// - Shear modulus: "shear modulus 0.4 GPa", "G = 400 MPa".
/// - Permeability: "permeability above 1e-9 m²", "permeability 2e-10 m²", "between 1e-10 and
///   1e-9 m²", "… darcy"; "permeable" (≥ 1e-10 m²), "highly / very permeable" (≥ 1e-9 m²).
/// - Tortuosity: "tortuosity below 1.3", "low tortuosity" (≤ 1.5).
/// A number with "about" or alone is a value ± 10% ("± 5%" sets the tolerance); "above",
/// "at least", "over", "more than", "≥" give a minimum, "below", "under", "at most", "less
/// than", "≤" a maximum, "between A and B" a window.
enum TargetVocabulary {
    static let darcyM2 = 9.869233e-13

    static func apply(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        applyMaterial(text, &recipe, &from)
        var found: [(PropertyTarget, String)] = []
        stiffnessRatio(text, &found)
        isotropy(text, &found)
        modulus(text, &found)
        relativeStiffness(text, &found)
        shearModulus(text, &found)
        permeability(text, &found)
        tortuosity(text, &found)
        for (i, (target, words)) in found.prefix(16).enumerated() {
            recipe.targets.append(target)
            from["targets[\(i)]"] = words
        }
    }

    static func applyMaterial(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let words: [(String, String)] = [("ti-6al-4v", "ti64"), ("ti6al4v", "ti64"), ("ti64", "ti64"), ("titanium", "ti64"),
                                         ("316l", "ss316l"), ("stainless steel", "ss316l"), ("steel", "ss316l"),
                                         ("pla", "pla"), ("pa12", "pa12"), ("pa 12", "pa12"), ("nylon", "pa12"),
                                         ("photopolymer", "resin"), ("resin", "resin")]
        for (word, preset) in words where text.match(#"\b"# + NSRegularExpression.escapedPattern(for: word) + #"\b"#) != nil {
            if let material = SolidMaterial.preset(named: preset) {
                recipe.material = material
                from["material"] = word
            }
            return
        }
    }

    // MARK: numbers

    /// A number as prompts write it: 300, 0.05, 1e-9, 1 × 10^-9, 10^-9, 1e−9.
    static let number = #"((?:\d+(?:\.\d+)?(?:\s*(?:e|[x×·*]\s*10\^?)\s*[-+]?\d+)?)|(?:10\^\s*[-+]?\d+))"#

    static func value(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: " ", with: "")
        if let r = t.range(of: #"^10\^"#, options: .regularExpression) { return Double(t[r.upperBound...]).map { pow(10, $0) } }
        if let r = t.range(of: #"[x×·*]10\^?"#, options: .regularExpression),
           let mantissa = Double(t[..<r.lowerBound]), let exponent = Double(t[r.upperBound...]) {
            return mantissa * pow(10, exponent)
        }
        return Double(t)
    }

    static let words = ["twice": 2.0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10]

    /// "three times", "3x", "3 times", "twice".
    static let factor = #"(\d+(?:\.\d+)?|twice|two|three|four|five|six|eight|ten)\s*(?:times|x|×)?"#

    static func factorValue(_ text: String) -> Double? { Double(text) ?? words[text] }

    /// The bounds a comparison word sets on `v` ("above" → min, "below" → max, else value).
    static func bounded(_ quantity: PropertyTarget.Quantity, axis: String?, comparison: String, _ v: Double,
                        tolerance: Double? = nil) -> PropertyTarget {
        let c = comparison.trimmingCharacters(in: .whitespaces)
        if ["above", "at least", "over", "more than", "greater than", "≥", ">=", ">", "min", "minimum"].contains(where: c.hasPrefix) {
            return PropertyTarget(quantity, axis: axis, min: v)
        }
        if ["below", "under", "at most", "less than", "≤", "<=", "<", "max", "maximum", "no more than"].contains(where: c.hasPrefix) {
            return PropertyTarget(quantity, axis: axis, max: v)
        }
        return PropertyTarget(quantity, axis: axis, value: v, tolerance: tolerance)
    }

    static let comparison = #"(above|at least|over|more than|greater than|below|under|at most|less than|no more than|≥|>=|>|≤|<=|<|about|around|of|=|:|is|approximately|~|≈)?\s*"#

    static func tolerance(after range: NSRange, in text: PromptText) -> Double? {
        let tail = text.after(range, length: 14)
        guard let m = tail.range(of: #"^\s*(?:±|\+/-|\+-)\s*(\d+(?:\.\d+)?)\s*%"#, options: .regularExpression) else { return nil }
        let digits = tail[m].filter { $0.isNumber || $0 == "." }
        return Double(digits).map { $0 / 100 }
    }

    // MARK: rules

    static func stiffnessRatio(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let axis = #"(?:along|in)\s+(?:the\s+)?([xyz])(?:\s*-?\s*(?:axis|direction))?"#
        if let m = text.match(factor + #"\s+(stiffer|softer)\s+"# + axis + #"(?:\s+than\s+(?:along\s+|in\s+)?(?:the\s+)?([xyz]|across|sideways|the other axes|transverse))?"#),
           let n = factorValue(m.groups[0]), n > 0 {
            let over = ["x", "y", "z"].contains(m.groups[3]) ? m.groups[3] : nil
            let ratio = m.groups[1] == "stiffer" ? n : 1 / n
            found.append((PropertyTarget(.stiffnessRatio, axis: m.groups[2], over: over == m.groups[2] ? nil : over,
                                         value: ratio, tolerance: tolerance(after: m.range, in: text)), m.whole))
        } else if let m = text.match(#"twice as (stiff|soft)\s+"# + axis) {
            found.append((PropertyTarget(.stiffnessRatio, axis: m.groups[1], value: m.groups[0] == "stiff" ? 2 : 0.5), m.whole))
        } else if let m = text.match(#"\b(stiffer|softer)\s+"# + axis) {
            let target = m.groups[0] == "stiffer" ? PropertyTarget(.stiffnessRatio, axis: m.groups[1], min: 1.5)
                                                  : PropertyTarget(.stiffnessRatio, axis: m.groups[1], max: 1 / 1.5)
            found.append((target, m.whole))
        }
    }

    static func isotropy(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        if let m = text.match(#"(?:elastically isotropic|isotropic(?:ally)?\s+stiff(?:ness)?|same stiffness in (?:all|every) directions?)"#) {
            found.append((PropertyTarget(.stiffnessAnisotropy, max: 1.15), m.whole))
        }
    }

    /// The modulus subject: "E", "E_z", "Young's modulus", "stiffness" (not "relative stiffness").
    static let modulusSubject = #"(?<![\w/])(?:e(?:_?([xyz]))?|young'?s modulus(?: along ([xyz]))?|(?<!relative )stiffness(?: along ([xyz]))?)\s*"#

    static func modulus(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let unit = #"\s*(mpa|gpa|kpa)\b"#
        func gpa(_ v: Double, _ unit: String) -> Double { unit == "mpa" ? v / 1000 : unit == "kpa" ? v / 1e6 : v }
        if let m = text.match(modulusSubject + #"(?:of\s+)?between\s+"# + number + #"\s*(?:mpa|gpa|kpa)?\s*and\s+"# + number + unit),
           let a = value(m.groups[3]), let b = value(m.groups[4]) {
            let axis = [m.groups[0], m.groups[1], m.groups[2]].first { !$0.isEmpty }
            let lo = gpa(min(a, b), m.groups[5]), hi = gpa(max(a, b), m.groups[5])
            if lo < hi { found.append((PropertyTarget(.youngsModulusGPa, axis: axis, min: lo, max: hi), m.whole)) }
        } else if let m = text.match(modulusSubject + comparison + number + unit), let v = value(m.groups[4]) {
            let axis = [m.groups[0], m.groups[1], m.groups[2]].first { !$0.isEmpty }
            found.append((bounded(.youngsModulusGPa, axis: axis, comparison: m.groups[3], gpa(v, m.groups[5]),
                                  tolerance: tolerance(after: m.range, in: text)), m.whole))
        } else if let m = text.match(#"(?:like|as stiff as|stiffness of)\s+(cortical|trabecular|cancellous)\s+bone"#) {
            let target = m.groups[0] == "cortical" ? PropertyTarget(.youngsModulusGPa, min: 7, max: 30)
                                                   : PropertyTarget(.youngsModulusGPa, min: 0.1, max: 2)
            found.append((target, m.whole))
        } else if let m = text.match(#"\b(?:very|highly|extremely) stiff\b"#) {
            found.append((PropertyTarget(.relativeYoungsModulus, min: 0.25), m.whole))
        }
    }

    static func relativeStiffness(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let subject = #"(?:e(?:_?([xyz]))?\s*/\s*e_?s(?:olid)?|relative (?:stiffness|modulus|young'?s modulus)(?: along ([xyz]))?)\s*"#
        if let m = text.match(subject + comparison + number + #"\s*(%?)"#), let v = value(m.groups[3]) {
            let axis = [m.groups[0], m.groups[1]].first { !$0.isEmpty }
            let fraction = m.groups[4] == "%" ? v / 100 : v
            if fraction > 0, fraction < 1 {
                found.append((bounded(.relativeYoungsModulus, axis: axis, comparison: m.groups[2], fraction,
                                      tolerance: tolerance(after: m.range, in: text)), m.whole))
            }
        } else if let m = text.match(#"(\d+(?:\.\d+)?)\s*%\s*of\s+the\s+(?:solid'?s?|material'?s?|bulk)\s+(?:stiffness|modulus)"#),
                  let v = Double(m.groups[0]), v > 0, v < 100 {
            found.append((PropertyTarget(.relativeYoungsModulus, value: v / 100), m.whole))
        }
    }

    static func shearModulus(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let subject = #"(?:shear modulus|(?<![\w/])g(?:_?(yz|xz|xy))?)\s*"#
        if let m = text.match(subject + comparison + number + #"\s*(mpa|gpa)\b"#), let v = value(m.groups[2]) {
            let axis = m.groups[0].isEmpty ? nil : m.groups[0]
            found.append((bounded(.shearModulusGPa, axis: axis, comparison: m.groups[1], m.groups[3] == "mpa" ? v / 1000 : v,
                                  tolerance: tolerance(after: m.range, in: text)), m.whole))
        }
    }

    static func permeability(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let subject = #"permeabilit(?:y|ies)(?: along ([xyz]))?\s*"#
        let unit = #"\s*(m²|m2|m\^2|darcy|d\b|md\b|millidarcy)"#
        func m2(_ v: Double, _ unit: String) -> Double {
            unit.hasPrefix("m") && !unit.hasPrefix("md") && !unit.hasPrefix("milli") ? v
                : v * darcyM2 * (unit.hasPrefix("md") || unit.hasPrefix("milli") ? 1e-3 : 1)
        }
        if let m = text.match(subject + #"(?:of\s+)?between\s+"# + number + #"\s*(?:m²|m2|m\^2|darcy)?\s*and\s+"# + number + unit),
           let a = value(m.groups[1]), let b = value(m.groups[2]), min(a, b) > 0, a != b {
            found.append((PropertyTarget(.permeabilityM2, axis: m.groups[0].isEmpty ? nil : m.groups[0],
                                         min: m2(min(a, b), m.groups[3]), max: m2(max(a, b), m.groups[3])), m.whole))
        } else if let m = text.match(subject + comparison + number + unit), let v = value(m.groups[2]), v > 0 {
            found.append((bounded(.permeabilityM2, axis: m.groups[0].isEmpty ? nil : m.groups[0], comparison: m.groups[1],
                                  m2(v, m.groups[3]), tolerance: tolerance(after: m.range, in: text)), m.whole))
        } else if let m = text.match(#"\b(?:(very|highly|extremely)\s+)?permeable\b"#), !m.whole.contains("im") {
            found.append((PropertyTarget(.permeabilityM2, min: m.groups[0].isEmpty ? 1e-10 : 1e-9), m.whole))
        }
    }

    static func tortuosity(_ text: PromptText, _ found: inout [(PropertyTarget, String)]) {
        let subject = #"tortuosity(?: factor)?(?: along ([xyz]))?\s*"#
        if let m = text.match(subject + comparison + #"(\d+(?:\.\d+)?)"#), let v = Double(m.groups[2]), v >= 1 {
            found.append((bounded(.tortuosityFactor, axis: m.groups[0].isEmpty ? nil : m.groups[0], comparison: m.groups[1], v,
                                  tolerance: tolerance(after: m.range, in: text)), m.whole))
        } else if let m = text.match(#"\blow tortuosity\b"#) {
            found.append((PropertyTarget(.tortuosityFactor, max: 1.5), m.whole))
        }
    }
}
