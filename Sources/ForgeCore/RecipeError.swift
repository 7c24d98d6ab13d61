/// Why a recipe cannot be used.
public enum RecipeError: Error, Equatable, CustomStringConvertible {
    case unknownKey(String, suggestion: String?)
    case unknownChoice(key: String, value: String, known: [String], suggestion: String?)
    case wrongType(key: String, expected: String)
    case outOfRange(key: String, value: String, rule: String)

    public var description: String {
        switch self {
        case let .unknownKey(key, suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "unknown recipe key '\(key)': \(hint)known keys are \(Recipe.keyNames.joined(separator: ", "))"
        case let .unknownChoice(key, value, known, suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "unknown \(key) '\(value)': \(hint)choose one of \(known.joined(separator: ", "))"
        case let .wrongType(key, expected):
            return "recipe key '\(key)' has the wrong type: expected \(expected)"
        case let .outOfRange(key, value, rule):
            return "\(key) = \(value) \(rule)"
        }
    }
}
