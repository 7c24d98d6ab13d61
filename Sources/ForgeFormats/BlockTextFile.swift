import Foundation

/// A text file written atomically through a buffer flushed about every megabyte.
final class BlockTextFile {
    private let file: UnsafeMutablePointer<FILE>
    private var block = ""
    private var ok = true

    private init(_ file: UnsafeMutablePointer<FILE>) {
        self.file = file
        block.reserveCapacity(1 << 20)
    }

    /// Appends `text` (written once the buffer is full, or at the end).
    func append(_ text: String) {
        block += text
        guard block.utf8.count > 1 << 20 else { return }
        ok = ok && fputs(block, file) >= 0
        block.removeAll(keepingCapacity: true)
    }

    /// Runs `body` on a new text file that becomes `url` when everything was written.
    static func write(to url: URL, _ body: (BlockTextFile) -> Void) throws {
        try AtomicFile.write(to: url) { temporary in
            guard let file = fopen(temporary.path, "wb") else {
                throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
            let writer = BlockTextFile(file)
            body(writer)
            let ok = writer.ok && fputs(writer.block, file) >= 0
            let closed = fclose(file) == 0
            guard ok && closed else { throw FormatError.cannotWrite(path: url.path, reason: "write failed (disk full?)") }
        }
    }
}
