import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks made before a file given by a user is opened: it must exist and be a regular
/// file (a FIFO, a device or a folder would block or make no sense), and it may not be
/// larger than what is about to be read from it.
public enum InputFile {
    /// Throws unless `url` names a regular file (symbolic links are followed) of at most
    /// `maximumBytes`.
    public static func requireRegular(_ url: URL, maximumBytes: Int = .max) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "a folder"
            case S_IFIFO: kind = "a FIFO"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw FormatError.cannotRead(path: url.path, reason: "it is \(kind), not a regular file")
        }
        guard Int(info.st_size) <= maximumBytes else {
            throw FormatError.cannotRead(path: url.path, reason: "it is \(info.st_size) bytes, more than the \(maximumBytes) allowed")
        }
    }

    /// The contents of a regular file of at most `maximumBytes`.
    public static func read(_ url: URL, maximumBytes: Int) throws -> Data {
        try requireRegular(url, maximumBytes: maximumBytes)
        do { return try Data(contentsOf: url) } catch {
            throw FormatError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The first `bytes` bytes of a regular file (fewer when it is shorter).
    public static func head(_ url: URL, bytes: Int) throws -> Data {
        try requireRegular(url)
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bytes)
        let n = Glibc.read(fd, &buffer, bytes)
        guard n >= 0 else { throw FormatError.cannotRead(path: url.path, reason: String(cString: strerror(errno))) }
        return Data(buffer.prefix(n))
    }
}
