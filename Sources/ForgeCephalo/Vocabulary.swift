import ForgeCore
import Foundation

/// The local describer's rules, one function per recipe aspect.
enum Vocabulary {
    /// Family words, highest priority first; some also set the wavelength or cone angle.
    static let families: [(words: [String], family: StructureFamily)] = [
        (["gyroid"], .gyroid),
        (["schwarz", "primitive lattice", "p-surface"], .schwarzP),
        (["diamond"], .diamond),
        (["neovius"], .neovius),
        (["nacre", "lamellar", "layered", "laminate", "lamella"], .lamellar),
        (["wood", "columnar", "fibrous", "fibre", "fiber", "bamboo", "bone", "trabecular"], .columnar),
        (["fractal", "multiscale", "multi-scale", "hierarchical", "rough"], .fractal),
        (["blob", "particle", "particulate", "granular", "droplet", "inclusion"], .blob),
        (["spinodoid"], .spinodoid),
        (["cubic"], .cubic),
        (["spinodal", "bicontinuous", "foam", "sponge", "scaffold", "porous"], .spinodal),
    ]

    static func applyFamily(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        for (words, family) in families {
            if let word = text.firstWord(words) {
                recipe.family = family
                from["family"] = word
                break
            }
        }
        if let word = text.firstWord(["bone", "trabecular"]) {
            recipe.wavelengthMM = 1.2
            recipe.coneAngleDeg = 45
            from["wavelength_mm"] = word
            from["cone_angle_deg"] = word
        } else if let word = text.firstWord(["foam", "sponge"]) {
            recipe.wavelengthMM = 2.0
            from["wavelength_mm"] = word
        } else if recipe.family.isLattice {
            recipe.wavelengthMM = 2.5
        }
        if from["family"] == nil, let word = text.firstWord(["anisotropic", "aligned", "oriented"]) {
            recipe.family = .columnar
            from["family"] = word
        }
    }

    static func applyMode(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        if let word = text.firstWord(["sheet", "shell", "skeletal-free", "walls", "thin-walled"]) {
            recipe.mode = .sheet
            from["mode"] = word
        } else if let word = text.firstWord(["network", "strut", "skeletal"]) {
            recipe.mode = .network
            from["mode"] = word
        }
    }

    static func applyAxis(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        if let m = text.match(#"(?:along|in|parallel to)\s+(?:the\s+)?([xyz])(?:\s*-?\s*(?:axis|direction))?\b"#),
           let axis = Axis(rawValue: m.groups[0]) {
            recipe.axis = axis
            from["axis"] = m.whole
        } else if let m = text.match(#"\b([xyz])\s*-\s*direction"#), let axis = Axis(rawValue: m.groups[0]) {
            recipe.axis = axis
            from["axis"] = m.whole
        } else if let word = text.firstWord(["vertical", "upright"]) {
            recipe.axis = .z
            from["axis"] = word
        } else if let word = text.firstWord(["horizontal"]) {
            recipe.axis = .x
            from["axis"] = word
        }
    }

    static func applyFraction(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let number = #"(?<![\d.])(\d+(?:\.\d+)?(?:e[+-]?\d+)?)"#
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
            guard let match = text.match(pattern), let value = Double(match.groups[0]) else { continue }
            let isPercent = percent || (match.groups.count > 1 && match.groups[1] == "%") || value > 1
            let fraction = isPercent ? value / 100 : value
            recipe.solidFraction = isSolid ? fraction : 1 - fraction
            from["solid_fraction"] = match.whole
            return
        }
    }

    /// "graded from 20% at the bottom to 50% at the top", "gradient 0.2 to 0.5 along x".
    static func applyGrading(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        guard text.firstWord(["graded", "gradient", "grading", "functionally graded"]) != nil,
              let m = text.match(#"(?:from\s+)?(\d+(?:\.\d+)?)\s*(%?)[^,;\d]{0,24}?\bto\s+(\d+(?:\.\d+)?)\s*(%?)"#),
              var a = Double(m.groups[0]), var b = Double(m.groups[2]) else { return }
        if m.groups[1] == "%" || a > 1 { a /= 100 }
        if m.groups[3] == "%" || b > 1 { b /= 100 }
        let axis: Axis
        if let explicit = from["axis"] != nil ? recipe.axis : nil {
            axis = explicit
        } else if text.firstWord(["left", "right"]) != nil {
            axis = .x
        } else if text.firstWord(["front", "back"]) != nil {
            axis = .y
        } else {
            axis = .z
        }
        if text.match(#"\btop\b[^,;]*\bto\b[^,;]*\bbottom\b"#) != nil { swap(&a, &b) }
        recipe.grading = Grading(axis: axis, fractions: [a, b])
        recipe.solidFraction = (a + b) / 2
        from["grading"] = m.whole
        from["solid_fraction"] = m.whole
    }

    static func applyLengths(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        let pattern = #"(?<![\d.])(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(mm|millimet(?:er|re)s?|µm|um|microns?|micromet(?:er|re)s?|cm)\b"#
        var extentSet = false
        for m in text.matches(pattern) {
            guard let value = Double(m.groups[0]) else { continue }
            let unit = m.groups[1]
            let mm = unit.hasPrefix("c") ? value * 10 : (unit.hasPrefix("m") && !unit.hasPrefix("micr") ? value : value / 1000)
            let before = text.clause(before: m.range)
            let words = before.isEmpty ? m.whole : before + " " + m.whole
            // The noun may come before the length ("wavelength 2 mm") or right after it ("2 mm wavelength").
            let following = text.after(m.range).trimmingCharacters(in: .whitespaces)
            func mentions(_ list: [String]) -> Bool { list.contains { before.contains($0) || following.hasPrefix($0) } }
            if mentions(["min feature", "minimum feature", "smallest feature", "min. feature"]) {
                recipe.minFeatureMM = mm
                from["min_feature_mm"] = words
            } else if mentions(["resolution", "nozzle"]) {
                recipe.printerResolutionMM = mm
                from["printer_resolution_mm"] = words
            } else if mentions(["plate", "thick"]) || text.after(m.range).hasPrefix(" thick") {
                recipe.plateThicknessMM = mm
                from["plate_thickness_mm"] = words
            } else if mentions(["wavelength", "period", "spacing", "cell size", "unit cell", "cell", "length scale", "characteristic"]) {
                recipe.wavelengthMM = mm
                from["wavelength_mm"] = words
            } else if mentions(["pore", "feature", "strut", "ligament", "wall"]) {
                recipe.wavelengthMM = 2 * mm
                from["wavelength_mm"] = words
            } else if !extentSet {
                recipe.extentMM = mm
                let after = text.after(m.range)
                let noun = ["cube", "box", "block"].first { after.contains($0) }
                from["extent_mm"] = m.whole + (noun.map { " " + $0 } ?? "")
                extentSet = true
            }
        }
    }

    static func applyModifiers(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        if let word = text.firstWord(["coarse", "large pores", "big pores"]) {
            recipe.wavelengthMM *= 2
            from["wavelength_mm"] = [from["wavelength_mm"], word].compactMap { $0 }.joined(separator: " + ")
        } else if let word = text.firstWord(["very fine", "fine", "small pores", "microporous"]) {
            recipe.wavelengthMM *= word == "very fine" ? 0.35 : 0.5
            from["wavelength_mm"] = [from["wavelength_mm"], word].compactMap { $0 }.joined(separator: " + ")
        }
        if let word = text.firstWord(["irregular", "random", "disordered"]) {
            recipe.bandwidth = 0.35
            from["bandwidth"] = word
            if recipe.family.isLattice {
                recipe.blend = BlendComponent(family: .spinodal, weight: 0.3)
                from["blend"] = word
            }
        } else if let word = text.firstWord(["regular", "ordered", "uniform"]) {
            recipe.bandwidth = 0.1
            from["bandwidth"] = word
        }
    }

    static func applyPrinter(_ text: PromptText, _ recipe: inout Recipe, _ from: inout [String: String]) {
        guard from["printer_resolution_mm"] == nil else { return }
        if let word = text.firstWord(["fdm", "fff", "filament", "nozzle"]) {
            recipe.printerResolutionMM = 0.4
            from["printer_resolution_mm"] = word
        } else if let word = text.firstWord(["resin", "sla", "dlp", "msla"]) {
            recipe.printerResolutionMM = 0.1
            from["printer_resolution_mm"] = word
        }
    }
}
