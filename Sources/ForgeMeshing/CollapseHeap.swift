/// A candidate collapse; a stale one is recognised by its stamp of the two vertices'
/// versions (a rare false match only re-plans the collapse).
struct CollapseCandidate {
    let u: Int32, v: Int32
    let stamp: UInt32

    static func stamp(_ versionU: UInt32, _ versionV: UInt32) -> UInt32 {
        versionU &* 0x9E37_79B1 ^ versionV
    }
}

/// A bucket queue on cost: 1024 buckets keyed by the top bits of the cost's float pattern
/// (8 exponent bits and 2 mantissa bits, so bucket order is cost order and costs in one
/// bucket differ by less than 1/4). Pushes and pops touch the end of one bucket's list,
/// where a binary heap of millions of entries would miss the cache at every level. A bucket
/// is put in vertex order when the queue reaches it (mesh vertices are numbered in space
/// order, so its collapses then sweep through memory); candidates pushed while it is worked
/// on are neighbours of the last collapse and come out first.
struct CollapseHeap {
    private let buckets: UnsafeMutableBufferPointer<GrowableBuffer<CollapseCandidate>>
    /// No bucket below this one holds a candidate.
    private var lowest = 1024
    /// The bucket last entered: its candidates were put in vertex order then.
    private var entered = -1

    init() {
        buckets = .allocate(capacity: 1024)
        for b in buckets.indices { (buckets.baseAddress! + b).initialize(to: GrowableBuffer(capacity: 16)) }
    }

    func release() {
        for list in buckets { list.release() }
        buckets.deallocate()
    }

    mutating func push(_ c: CollapseCandidate, cost: Double) {
        let b = Self.bucket(cost)
        buckets[b].append(c)
        lowest = min(lowest, b)
    }

    /// The cheapest candidate, or nil when none is left in a bucket up to `maxBucket`.
    mutating func pop(maxBucket: Int = 1023) -> CollapseCandidate? {
        while lowest <= maxBucket {
            if lowest != entered {
                entered = lowest
                buckets[lowest].sortDescending { min($0.u, $0.v) }
            }
            if let c = buckets[lowest].popLast() { return c }
            lowest += 1
        }
        return nil
    }

    /// The bucket the next `pop` takes from (1024 when the queue is empty).
    var lowestBucket: Int { lowest }

    static func bucket(_ cost: Double) -> Int {
        let c = Float(max(cost, 0))
        return c.isFinite ? Int(c.bitPattern >> 21) : 1023
    }
}
