import Foundation

/// Regular-expression helpers over a lower-cased prompt.
struct PromptText {
    let text: String

    init(_ prompt: String) {
        text = prompt.lowercased().replacingOccurrences(of: "μ", with: "µ").replacingOccurrences(of: "−", with: "-")
    }

    struct Match {
        let whole: String
        let groups: [String]
        let range: NSRange
    }

    func match(_ pattern: String) -> Match? {
        matches(pattern).first
    }

    func matches(_ pattern: String) -> [Match] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            let groups = (1..<m.numberOfRanges).map { i -> String in
                m.range(at: i).location == NSNotFound ? "" : ns.substring(with: m.range(at: i))
            }
            return Match(whole: ns.substring(with: m.range), groups: groups, range: m.range)
        }
    }

    /// The first of `words` that occurs as a word (or word start) in the text.
    func firstWord(_ words: [String]) -> String? {
        words.first { match(#"\b"# + NSRegularExpression.escapedPattern(for: $0)) != nil }
    }

    func firstInteger(_ patterns: [String]) -> (Int, String)? {
        for p in patterns {
            if let m = match(p), let n = Int(m.groups[0]) { return (n, m.whole) }
        }
        return nil
    }

    /// Up to `length` characters before `range`, cut at the last comma or semicolon.
    func clause(before range: NSRange, length: Int = 32) -> String {
        let before = (text as NSString).substring(to: range.location).suffix(length)
        let part = before.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == ";" }).last ?? ""
        return part.trimmingCharacters(in: .whitespaces)
    }

    func after(_ range: NSRange, length: Int = 16) -> String {
        String((text as NSString).substring(from: range.location + range.length).prefix(length))
    }
}
