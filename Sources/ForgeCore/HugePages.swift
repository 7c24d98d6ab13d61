#if canImport(Glibc)
import Glibc
#endif

/// Large buffers on transparent huge pages. Where the kernel gives huge pages only to
/// memory that asks for them (Debian's default), a grid of 64 MiB otherwise takes 16,384
/// page faults as it is first written, each clearing one 4 KiB page.
public enum HugePages {
    /// Below this many bytes a buffer is left alone.
    public static let threshold = 4 << 20
    private static let pageSize = 2 << 20

    /// Asks for huge pages under the whole 2 MiB pages of `bytes` bytes from `start`, before
    /// they are first touched (touched pages stay as they are).
    public static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= threshold else { return }
        let first = (Int(bitPattern: start) + pageSize - 1) & ~(pageSize - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(pageSize - 1)
        guard end > first, let page = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(page, end - first, MADV_HUGEPAGE)
        #endif
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` elements written by `fill` (which must write every one) into storage on huge
    /// pages.
    public init(onHugePages count: Int, fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialised in
            if let base = buffer.baseAddress {
                HugePages.advise(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Element>.stride)
            }
            fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialised = count
        }
    }

    /// `count` copies of `value` on huge pages.
    public init(onHugePages count: Int, repeating value: Element) {
        self.init(onHugePages: count) { $0.initialize(repeating: value) }
    }
}
