import Foundation
import Yams

/// Checks made on a JSON or YAML document (a recipe or a sweep) before it is decoded: it
/// nests at most `maximumDepth` collections deep, holds at most `maximumNodes` values, and no
/// mapping gives the same key twice (JSON readers keep the first, YAML readers the last, so
/// either would silently drop one). Deep nesting is refused before any recursive parser sees
/// it, so it cannot exhaust the stack.
enum StructuredText {
    /// The largest recipe or sweep file read.
    static let maximumBytes = 1 << 20
    static let maximumDepth = 32
    static let maximumNodes = 100_000

    /// Why a document was refused, in words for the user.
    struct Problem: Error {
        let reason: String
    }

    // MARK: JSON

    private enum Frame {
        case object(keys: Set<String>, awaitingKey: Bool)
        case array
    }

    static func checkJSON(_ data: Data) throws(Problem) {
        let bytes = [UInt8](data)
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(c == UInt8(ascii: "{") ? .object(keys: [], awaitingKey: true) : .array)
                guard stack.count <= maximumDepth else {
                    throw Problem(reason: "it nests more than \(maximumDepth) levels deep")
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if case .object(let keys, _)? = stack.last { stack[stack.count - 1] = .object(keys: keys, awaitingKey: true) }
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                let end = min(j, bytes.count - 1)
                if case .object(var keys, true)? = stack.last {
                    let raw = Data(bytes[i...end])
                    let key = (try? JSONSerialization.jsonObject(with: raw, options: .fragmentsAllowed)) as? String
                        ?? String(decoding: bytes[(i + 1)..<max(i + 1, end)], as: UTF8.self)
                    guard keys.insert(key).inserted else {
                        throw Problem(reason: "the key '\(key)' appears twice in one mapping; keep one of them")
                    }
                    stack[stack.count - 1] = .object(keys: keys, awaitingKey: false)
                }
                i = j
            default:
                break
            }
            i += 1
        }
    }

    // MARK: YAML

    /// A parser's message without the quoted source lines and caret it adds below.
    static func firstLine(of message: String) -> String {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        return line.hasSuffix(":") ? String(line.dropLast()) : line
    }

    static func checkYAML(_ text: String) throws(Problem) {
        try boundNesting(text)
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw Problem(reason: firstLine(of: "\(error)"))
        }
        guard let root else { return }
        var visited = 0
        try walk(root, depth: 1, path: "the top level", visited: &visited)
    }

    /// A bound on block and flow nesting that needs no parser: indentation, open flow
    /// brackets and "- - -" runs on one line.
    static func boundNesting(_ text: String) throws(Problem) {
        var flow = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 4 * maximumDepth else {
                throw Problem(reason: "it is indented more than \(4 * maximumDepth) columns (nesting too deep)")
            }
            var compact = 0, quote: Character?
            let chars = Array(line.dropFirst(indent))
            for (k, ch) in chars.enumerated() {
                let previous: Character = k > 0 ? chars[k - 1] : " "
                if let q = quote {
                    if ch == q { quote = nil }
                } else if ch == "\"" || ch == "'" {
                    if " [{:,".contains(previous) { quote = ch }
                } else if ch == "#", previous == " " {
                    break
                } else if ch == "[" || ch == "{" {
                    flow += 1
                    // Checked as it opens: "[[[…]]]" on one line closes again by the line's end.
                    guard flow <= maximumDepth else {
                        throw Problem(reason: "it nests more than \(maximumDepth) levels deep")
                    }
                } else if ch == "]" || ch == "}" {
                    flow = max(0, flow - 1)
                } else if ch == "-", previous == " ", k + 1 == chars.count || chars[k + 1] == " " {
                    compact += 1
                }
            }
            guard flow <= maximumDepth, compact <= maximumDepth else {
                throw Problem(reason: "it nests more than \(maximumDepth) levels deep")
            }
        }
    }

    private static func walk(_ node: Node, depth: Int, path: String, visited: inout Int) throws(Problem) {
        visited += 1
        guard visited <= maximumNodes else { throw Problem(reason: "it holds more than \(maximumNodes) values") }
        guard depth <= maximumDepth else { throw Problem(reason: "it nests more than \(maximumDepth) levels deep") }
        switch node {
        case .mapping(let mapping):
            var seen = Set<String>()
            for (key, value) in mapping {
                let name = key.string ?? "\(key)"
                guard seen.insert(name).inserted else {
                    throw Problem(reason: "the key '\(name)' appears twice in \(path); keep one of them")
                }
                try walk(value, depth: depth + 1, path: "'\(name)'", visited: &visited)
            }
        case .sequence(let sequence):
            for item in sequence { try walk(item, depth: depth + 1, path: path, visited: &visited) }
        case .scalar(let scalar):
            // YAML 1.1 reads 1:30 as the base-60 integer 90, and the reader (keeping whatever
            // parts of a colon-separated word are integers) traps when the number overflows;
            // no recipe or sweep needs one, so an unquoted word with two integer parts is refused.
            if scalar.style == .plain || scalar.style == .any, scalar.string.contains(":"),
               scalar.string.split(separator: ":", omittingEmptySubsequences: false)
                .filter({ $0.range(of: #"^\s*[-+]?[0-9][0-9_]*\s*$"#, options: .regularExpression) != nil }).count >= 2 {
                throw Problem(reason: "'\(scalar.string.prefix(40))' in \(path) reads as a base-60 number; quote it or write a plain number")
            }
        default:
            break
        }
    }
}
