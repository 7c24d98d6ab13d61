import ForgeCore
import Foundation

/// A growable buffer on raw memory for hot loops: no per-append bounds or uniqueness
/// checks (a Swift array append costs a header load and a capacity test each time), and
/// no reference counting when it is copied (copies share the memory). Growth goes through
/// `realloc`, which moves large blocks by remapping their pages rather than copying them.
/// For trivial element types only; the one owner must call `release()`.
struct GrowableBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
        guard let raw = malloc(self.capacity * MemoryLayout<T>.stride) else {
            fatalError("out of memory for \(self.capacity) mesh elements")
        }
        MemoryPages.adviseHuge(raw, bytes: self.capacity * MemoryLayout<T>.stride)
        base = raw.bindMemory(to: T.self, capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count &+= 1
    }

    private mutating func grow() {
        let bigger = capacity * 2
        guard let raw = realloc(base, bigger * MemoryLayout<T>.stride) else {
            fatalError("out of memory for \(bigger) mesh elements")
        }
        MemoryPages.adviseHuge(raw, bytes: bigger * MemoryLayout<T>.stride)
        base = raw.bindMemory(to: T.self, capacity: bigger)
        capacity = bigger
    }

    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    func release() { free(base) }
}

extension GrowableBuffer: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(i: Int) -> T { base[i] }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() { count = 0 }

    mutating func popLast() -> T? {
        guard count > 0 else { return nil }
        count &-= 1
        return base[count]
    }

    /// Orders the elements by decreasing `key`, so that popping from the end visits
    /// increasing keys.
    mutating func sortDescending(by key: (T) -> Int32) {
        var items = UnsafeMutableBufferPointer(start: base, count: count)
        items.sort { key($0) > key($1) }
    }
}
