import ForgeCore
import Foundation

/// A describer that needs no model server: it reads fractions, lengths and material words
/// from the prompt (the vocabulary is listed in the README and on each rule below).
public struct LocalDescriber: Describer {
    public init() {}

    public func describe(_ prompt: String, size: GridSize? = nil) throws -> Description {
        var recipe = Recipe.defaults
        var from: [String: String] = [:]
        let text = PromptText(prompt)
        recipe.prompt = prompt
        recipe.name = Self.slug(prompt)

        Vocabulary.applyFamily(text, &recipe, &from)
        Vocabulary.applyMode(text, &recipe, &from)
        Vocabulary.applyAxis(text, &recipe, &from)
        Vocabulary.applyFraction(text, &recipe, &from)
        Vocabulary.applyGrading(text, &recipe, &from)
        Vocabulary.applyLengths(text, &recipe, &from)
        Vocabulary.applyModifiers(text, &recipe, &from)
        Vocabulary.applyPrinter(text, &recipe, &from)
        TargetVocabulary.apply(text, &recipe, &from)
        Self.aimCones(&recipe, &from)
        if let (n, words) = text.firstInteger([#"(\d+)\s*(?:voxels|vox|³|\^3)"#,
                                              #"(?<!cell |pore |feature |grain |strut |printer )(?:grid size|size|resolution)\s*(?:of\s*)?(\d+)(?![\d.])(?!\s*(?:mm|µm|um|cm|micron|x|×))"#]) {
            recipe.size = GridSize(cube: n)
            from["size"] = words
        }
        if let m = text.match(#"\b(\d+)\s*[x×]\s*(\d+)\s*(?:pixels|px|image|2d)"#), let a = Int(m.groups[0]), let b = Int(m.groups[1]) {
            recipe.size = GridSize(nx: a, ny: b, nz: 1)
            from["size"] = m.whole
        } else if from["size"] == nil, let word = text.firstWord(["2d", "two-dimensional", "planar pattern"]) {
            recipe.size = GridSize(nx: 512, ny: 512, nz: 1)
            from["size"] = word
        }
        if let m = text.match(#"(\d+)\s*[x×]\s*(\d+)\s*(?:[x×]\s*(\d+)\s*)?(?:tiles?|cells?|copies|array)"#)
            ?? text.match(#"til(?:e|ed|ing)\s*(?:of\s*)?(\d+)\s*[x×]\s*(\d+)(?:\s*[x×]\s*(\d+))?"#) {
            recipe.tile = [Int(m.groups[0]) ?? 1, Int(m.groups[1]) ?? 1, Int(m.groups[2]) ?? 1]
            from["tile"] = m.whole
        }
        if let (n, words) = text.firstInteger([#"seed\s*[=:#]?\s*(\d+)"#]) {
            recipe.seed = UInt64(n)
            from["seed"] = words
        }
        if let size { recipe.size = size }
        return Description(recipe: recipe, fromPrompt: from)
    }

    /// A spinodoid asked for a stiffness ratio starts in the pattern that gives it: cones across
    /// the stiff axis (its own off), or on the soft axis alone, at the angle of the critic's
    /// first step (`PropertySteps.defaultAngle`).
    static func aimCones(_ recipe: inout Recipe, _ from: inout [String: String]) {
        guard recipe.family == .spinodoid,
              let i = recipe.targets.firstIndex(where: { $0.quantity == .stiffnessRatio }),
              let axis = recipe.targets[i].axisIndex else { return }
        let aim = recipe.targets[i].aim, angle = PropertySteps.round1(PropertySteps.defaultAngle(for: aim))
        recipe.coneAnglesDeg = (0..<3).map { ($0 == axis) == (aim > 1) ? 0 : angle }
        from["cone_angles_deg"] = from["targets[\(i)]"]
    }

    /// A folder-friendly name: lowercase letters, digits and dashes, at most 48 characters.
    /// Text without a letter or digit of ASCII (a prompt in another script) becomes
    /// `design-` and eight hex digits of its hash, so different prompts get different folders.
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
        guard out.isEmpty else { return out }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "design" }
        var hash: UInt32 = 0x811c9dc5
        for byte in trimmed.utf8 { hash = (hash ^ UInt32(byte)) &* 0x01000193 }
        return "design-" + String(hash, radix: 16).leftPadded(to: 8)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
