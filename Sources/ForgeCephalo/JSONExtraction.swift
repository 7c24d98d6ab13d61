import Foundation

/// Finds the JSON object in a chatty model reply: inside a code fence or between prose,
/// tolerating trailing commas, smart quotes and comments.
public enum JSONExtraction {
    /// The first balanced `{…}` in `text` that parses to an object, preferring one inside a
    /// ```json fence; nil when there is none.
    public static func object(in text: String) -> [String: Any]? {
        var candidates: [String] = []
        for fence in fencedBlocks(text) { candidates += balancedObjects(fence) }
        candidates += balancedObjects(text)
        for candidate in candidates {
            if let object = parse(candidate) { return object }
        }
        return nil
    }

    static func fencedBlocks(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "```")
        guard parts.count >= 3 else { return [] }
        return stride(from: 1, to: parts.count - 1, by: 2).map { block in
            let body = parts[block]
            // Drop a language tag on the fence's first line.
            if let newline = body.firstIndex(of: "\n"), !body[..<newline].contains("{") {
                return String(body[body.index(after: newline)...])
            }
            return body
        }
    }

    /// Every outermost `{…}` span with balanced braces outside strings.
    static func balancedObjects(_ text: String) -> [String] {
        var found: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i] == "{" else { i += 1; continue }
            var depth = 0, inString = false, escaped = false, j = i
            var closed = false
            while j < chars.count {
                let c = chars[j]
                if inString {
                    if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                } else if c == "\"" {
                    inString = true
                } else if c == "{" {
                    depth += 1
                } else if c == "}" {
                    depth -= 1
                    if depth == 0 { closed = true; break }
                }
                j += 1
            }
            if closed {
                found.append(String(chars[i...j]))
                i = j + 1
            } else {
                i += 1
            }
        }
        return found
    }

    /// Parses strictly, then after repairs common in model output.
    static func parse(_ candidate: String) -> [String: Any]? {
        if let object = strict(candidate) { return object }
        var repaired = candidate
            .replacingOccurrences(of: "\u{201C}", with: "\"").replacingOccurrences(of: "\u{201D}", with: "\"")
            .replacingOccurrences(of: "\u{2018}", with: "'").replacingOccurrences(of: "\u{2019}", with: "'")
        repaired = repaired.replacingOccurrences(of: #"//[^\n"]*\n"#, with: "\n", options: .regularExpression)
        repaired = repaired.replacingOccurrences(of: #",\s*([}\]])"#, with: "$1", options: .regularExpression)
        repaired = repaired.replacingOccurrences(of: #"\bNone\b"#, with: "null", options: .regularExpression)
            .replacingOccurrences(of: #"\bTrue\b"#, with: "true", options: .regularExpression)
            .replacingOccurrences(of: #"\bFalse\b"#, with: "false", options: .regularExpression)
        return strict(repaired)
    }

    static func strict(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
