import Foundation

/// Writing files so that a final name only ever holds a complete file.
public enum AtomicFile {
    /// A sibling temporary path for `url`, unique to this process.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    }

    /// Calls `write` with a temporary path next to `url`, then renames it over `url`.
    /// On failure the temporary file is removed and nothing appears under `url`.
    public static func write(to url: URL, _ write: (URL) throws -> Void) throws {
        let temporary = temporaryURL(for: url)
        do {
            try write(temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temporary in
            do {
                try data.write(to: temporary)
            } catch {
                throw FormatError.cannotWrite(path: url.path, reason: error.localizedDescription)
            }
        }
    }
}
