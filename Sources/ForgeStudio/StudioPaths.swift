import CephaloForge
import Foundation

/// Where the studio keeps its state, and the checks that keep every path a request names
/// inside the outputs folder.
enum StudioPaths {
    static func jobsFolder(in outputs: URL) -> URL {
        outputs.appendingPathComponent(".studio").appendingPathComponent("jobs")
    }

    /// Uploaded pictures, each `<id>.png`, kept while designs made from them may be regenerated.
    static func picturesFolder(in outputs: URL) -> URL {
        outputs.appendingPathComponent(".studio").appendingPathComponent("pictures")
    }

    /// A design id is a folder name of letters, digits, `.`, `_` and `-` (at most 128, not
    /// starting with a dot): no separators, no `..`, nothing that needs encoding.
    static func isDesignID(_ text: some StringProtocol) -> Bool {
        isPlainName(text) && text.count <= 128
    }

    /// One path component a request may name: 1…255 characters of letters, digits, `.`, `_`
    /// and `-`, not starting with a dot (so never `.`, `..` or a hidden file).
    static func isPlainName(_ text: some StringProtocol) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "."), text.utf8.count <= 255 else { return false }
        return text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }

    /// The file or folder `components` names inside design `id`, after every symbolic link
    /// is resolved; refused when a component is not a plain name, when it does not exist, or
    /// when it resolves outside the design folder.
    static func confined(outputs: URL, id: String, components: [Substring]) throws -> URL {
        guard isDesignID(id) else { throw StudioError.notFound("no design \(id)") }
        guard components.count <= 16, components.allSatisfy({ isPlainName($0) }) else {
            throw StudioError.badRequest("a file path names files of the design folder: letters, digits, '.', '_' and '-' "
                                         + "separated by '/', with no hidden or parent folders")
        }
        let folder = outputs.appendingPathComponent(id)
        let candidate = components.reduce(folder) { $0.appendingPathComponent(String($1)) }
        guard let outputsRoot = realPath(outputs), let root = realPath(folder), root.hasPrefix(outputsRoot + "/"),
              let resolved = realPath(candidate) else {
            throw StudioError.notFound("design \(id) has no file \(components.joined(separator: "/"))")
        }
        guard resolved == root || resolved.hasPrefix(root + "/") else {
            throw StudioError.badRequest("\(components.joined(separator: "/")) leads outside the design folder")
        }
        return URL(fileURLWithPath: resolved)
    }

    static func realPath(_ url: URL) -> String? {
        guard let resolved = realpath(url.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
