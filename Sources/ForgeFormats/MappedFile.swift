import Foundation

/// A new file of known size, reserved on disk first and then filled in place through a
/// shared memory mapping: every core can fill its own part, with no copy through a write
/// buffer. Reserving first (`posix_fallocate`) turns a full disk into an error here rather
/// than a crash while filling.
final class MappedFile {
    let bytes: UnsafeMutableRawBufferPointer
    private let descriptor: Int32
    private let finalPath: String
    private var open = true

    /// Below this size a file is written in blocks: mapping saves nothing there.
    static let smallestMapped = 4 << 20

    /// Creates `url` with `byteCount` bytes; nil for files under `smallestMapped` and where
    /// the file system cannot reserve space (write it another way); throws for real failures
    /// (no space, no permission).
    init?(creating url: URL, byteCount: Int, finalPath: String) throws {
        guard byteCount >= Self.smallestMapped else { return nil }
        self.finalPath = finalPath
        descriptor = Foundation.open(url.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FormatError.cannotWrite(path: finalPath, reason: String(cString: strerror(errno)))
        }
        let reserved = posix_fallocate(descriptor, 0, off_t(byteCount))
        if reserved == EOPNOTSUPP || reserved == EINVAL || reserved == ENOSYS {
            _ = close(descriptor)
            return nil
        }
        guard reserved == 0 else {
            _ = close(descriptor)
            throw FormatError.cannotWrite(path: finalPath, reason: String(cString: strerror(reserved)))
        }
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0),
              mapped != MAP_FAILED
        else {
            _ = close(descriptor)
            return nil
        }
        bytes = UnsafeMutableRawBufferPointer(start: mapped, count: byteCount)
    }

    deinit { release() }

    /// Unmaps and closes, reporting a failure to close.
    func finish() throws {
        guard open else { return }
        open = false
        munmap(bytes.baseAddress, bytes.count)
        guard close(descriptor) == 0 else {
            throw FormatError.cannotWrite(path: finalPath, reason: String(cString: strerror(errno)))
        }
    }

    private func release() {
        guard open else { return }
        open = false
        munmap(bytes.baseAddress, bytes.count)
        _ = close(descriptor)
    }
}
