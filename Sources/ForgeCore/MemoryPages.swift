#if canImport(Glibc)
import Glibc
#endif

/// Advice to the kernel about the pages under large buffers.
public enum MemoryPages {
    /// Below this many bytes a buffer is not put on huge pages.
    public static let hugeThreshold = 4 << 20
    private static let hugePageSize = 2 << 20

    /// Asks for transparent huge pages under the whole 2 MiB pages of `bytes` bytes from
    /// `start`, before they are first touched (touched pages stay as they are). Where the
    /// kernel gives huge pages only to memory that asks for them (Debian's default), a grid
    /// of 64 MiB otherwise takes 16,384 page faults as it is first written, each clearing
    /// one 4 KiB page.
    public static func adviseHuge(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= hugeThreshold else { return }
        advise(start, bytes: bytes, pageSize: hugePageSize, MADV_HUGEPAGE)
        #endif
    }

    /// Hands the whole pages inside `bytes` bytes from `start` back to the system; they read
    /// as zero afterwards.
    public static func release(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        advise(start, bytes: bytes, pageSize: Int(sysconf(Int32(_SC_PAGESIZE))), MADV_DONTNEED)
        #endif
    }

    #if os(Linux)
    private static func advise(_ start: UnsafeMutableRawPointer, bytes: Int, pageSize: Int, _ advice: Int32) {
        let first = (Int(bitPattern: start) + pageSize - 1) & ~(pageSize - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(pageSize - 1)
        guard end > first, let page = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(page, end - first, advice)
    }
    #endif
}

extension Array where Element: BitwiseCopyable {
    /// `count` elements written by `fill` (which must write every one) into storage on huge
    /// pages.
    public init(onHugePages count: Int, fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialised in
            if let base = buffer.baseAddress {
                MemoryPages.adviseHuge(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<Element>.stride)
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
