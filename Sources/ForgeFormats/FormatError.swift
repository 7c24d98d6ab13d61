/// Why a file could not be read or written.
public enum FormatError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case png(path: String, message: String)
    case recipe(path: String, reason: String)
    case recipeNotFound(name: String, searched: [String])
    case unknownFormat(String, known: [String])
    case printer(String)
    case sweep(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason); choose a writable folder with --out"
        case let .cannotRead(path, reason):
            return "cannot read \(path): \(reason)"
        case let .png(path, message):
            return "PNG error in \(path): \(message)"
        case let .recipe(path, reason):
            return "bad recipe file \(path): \(reason)"
        case let .sweep(path, reason):
            return "sweep file \(path): \(reason)"
        case let .printer(message):
            return "printer slices: \(message)"
        case let .unknownFormat(name, known):
            return "unknown format '\(name)': choose from \(known.joined(separator: ", "))"
        case let .recipeNotFound(name, searched):
            return "no recipe file or template named '\(name)' (looked in \(searched.joined(separator: ", "))); "
                + "give a path to a .json/.yaml file or a name from Templates/recipes"
        }
    }
}
