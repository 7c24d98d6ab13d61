/// An append-only buffer on raw memory for hot loops: no per-append bounds or uniqueness
/// checks (a Swift array append costs a header load and a capacity test each time). The
/// owner must call `release()`.
struct GrowableBuffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count &+= 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    func release() { base.deallocate() }
}
