import Dispatch
import Foundation

/// Runs `body` over `0..<count` split into contiguous ranges, one batch per core.
///
/// Ranges are disjoint and cover `0..<count` in order; `body` must only write to memory
/// belonging to its own range. Work per range should be large (a slab, not a voxel).
public func parallelForRanges(_ count: Int, minimumChunk: Int = 1,
                              _ body: @Sendable (Range<Int>) -> Void) {
    let chunks = parallelChunkCount(count, minimumChunk: minimumChunk)
    parallelForChunks(count, chunks: chunks) { _, range in body(range) }
}

/// How many chunks `parallelForRanges` would use for `count` items.
public func parallelChunkCount(_ count: Int, minimumChunk: Int = 1) -> Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return max(1, min(cores * 4, count / max(1, minimumChunk)))
}

/// Runs `body(chunk, range)` for `chunks` contiguous ranges covering `0..<count` in order.
/// The chunk number lets each task write its own slot of a per-chunk result array.
public func parallelForChunks(_ count: Int, chunks: Int,
                              _ body: @Sendable (Int, Range<Int>) -> Void) {
    guard count > 0, chunks > 0 else { return }
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = count * c / chunks
        let end = count * (c + 1) / chunks
        body(c, start..<end)
    }
}

/// Runs `first` and `second` at the same time and returns both results: work that is
/// partly serial overlaps instead of queueing. `first` gets a thread of its own and `second`
/// runs on the caller's, so parallel loops inside either still reach every core (a loop
/// nested in a dispatched task would run on that task's thread alone).
public func concurrently<A, B>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let a = UnsafeMutablePointer<A>.allocate(capacity: 1)
    defer { a.deallocate() }
    let slot = SendablePointer(a)
    let b = withoutActuallyEscaping(first) { first -> B in
        let thread = OwnThread { slot.base.initialize(to: first()) }
        let b = second()
        thread.join()
        return b
    }
    return (a.move(), b)
}

/// A POSIX thread running one closure; `join` returns once the closure has run and been
/// released.
private struct OwnThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private var thread = pthread_t()

    init(_ body: @escaping () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 1 << 23)
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        let started = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, work)
        pthread_attr_destroy(&attributes)
        precondition(started == 0, "cannot start a thread (error \(started))")
    }

    func join() { pthread_join(thread, nil) }
}

/// A raw pointer that may cross into `@Sendable` closures; the caller guarantees that
/// concurrent users touch disjoint elements.
public struct SendablePointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inline(__always) public subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// A raw pointer that may cross into `@Sendable` closures; concurrent users write disjoint bytes.
public struct SendableRawPointer: @unchecked Sendable {
    public let base: UnsafeMutableRawPointer
    public init(_ base: UnsafeMutableRawPointer) { self.base = base }
}

/// A read-only pointer that may cross into `@Sendable` closures.
public struct SendableReadOnlyPointer<T>: @unchecked Sendable {
    public let base: UnsafePointer<T>
    public init(_ base: UnsafePointer<T>) { self.base = base }
    @inline(__always) public subscript(i: Int) -> T { base[i] }
}

/// One result per chunk of a parallel loop, stored by the tasks and read in chunk order
/// once the loop is done.
public final class ChunkSlots<T>: @unchecked Sendable {
    private var slots: [T]
    private let lock = NSLock()

    public init(count: Int, initial: T) { slots = Array(repeating: initial, count: count) }

    public func store(_ value: T, at chunk: Int) { lock.withLock { slots[chunk] = value } }

    /// The results in chunk order (call after the parallel loop returns).
    public var values: [T] { lock.withLock { slots } }

    /// Moves chunk `chunk`'s result out, leaving `empty` in its slot (so results can be
    /// gathered one at a time without a second copy of them all).
    public func take(_ chunk: Int, leaving empty: T) -> T {
        lock.withLock {
            let value = slots[chunk]
            slots[chunk] = empty
            return value
        }
    }
}
