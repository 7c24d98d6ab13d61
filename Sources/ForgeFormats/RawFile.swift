import Foundation

/// A file written with plain `write(2)` calls of large blocks (no stdio buffer in between).
final class RawFile {
    private var descriptor: Int32
    private let finalPath: String

    /// Creates (or truncates) `url`; errors name `finalPath`, the name the user asked for.
    init(creating url: URL, finalPath: String) throws {
        self.finalPath = finalPath
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FormatError.cannotWrite(path: finalPath, reason: String(cString: strerror(errno)))
        }
    }

    deinit { close() }

    /// Writes all of `bytes`, resuming after partial writes and interruptions.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw FormatError.cannotWrite(path: finalPath, reason: n < 0 ? String(cString: strerror(errno)) : "no progress (disk full?)")
            }
            done += n
        }
    }

    /// Closes the file, reporting a failure to do so (a delayed write error).
    func finish() throws {
        let result = Foundation.close(descriptor)
        descriptor = -1
        guard result == 0 else {
            throw FormatError.cannotWrite(path: finalPath, reason: String(cString: strerror(errno)))
        }
    }

    /// Closes the file if it is still open, ignoring errors (the failure path).
    func close() {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
        descriptor = -1
    }
}
