import ForgeCore

/// The outcome of cutting a field at a quantile.
public struct ThresholdResult: Sendable, Equatable {
    /// The cut value t in the field's units: solid where the original field > t.
    public let threshold: Float
    /// Number of samples above the cut.
    public let solidCount: Int
    /// solidCount / total samples.
    public let solidFraction: Double
}

extension ScalarGrid {
    /// Subtracts the quantile value t that leaves round(φ·N) samples strictly above zero,
    /// turning the field into a level set f = g − t (solid where f > 0).
    ///
    /// O(N): a 65 536-bin histogram locates the cut, then only the samples of one bin are
    /// sorted. The cut lies halfway between the last solid and the first void value, so the
    /// realised fraction is exact unless values tie at the cut. `solidFraction` in (0, 1).
    @discardableResult
    public mutating func threshold(toSolidFraction solidFraction: Double) -> ThresholdResult {
        precondition(solidFraction > 0 && solidFraction < 1, "solid fraction must lie in (0, 1)")
        let n = values.count
        let target = min(max(Int((solidFraction * Double(n)).rounded()), 1), n - 1)
        let t = values.withUnsafeBufferPointer { quantileCut(in: $0, keepingAbove: target) }
        let count = values.withUnsafeMutableBufferPointer { buffer -> Int in
            let p = SendablePointer(buffer.baseAddress!)
            let chunks = parallelChunkCount(n, minimumChunk: 1 << 16)
            let counts = SendableCounts(count: chunks)
            parallelForChunks(n, chunks: chunks) { chunk, range in
                var above = 0
                for i in range {
                    let v = p[i] - t
                    p[i] = v
                    above &+= v > 0 ? 1 : 0
                }
                counts.add(above, slot: chunk)
            }
            return counts.total()
        }
        return ThresholdResult(threshold: t, solidCount: count, solidFraction: Double(count) / Double(n))
    }

    /// A copy thresholded to `solidFraction` (see `threshold(toSolidFraction:)`).
    public func thresholded(toSolidFraction solidFraction: Double) -> (ScalarGrid, ThresholdResult) {
        var copy = self
        let result = copy.threshold(toSolidFraction: solidFraction)
        return (copy, result)
    }
}

/// A value t with exactly `k` elements of `values` strictly greater (barring ties).
func quantileCut(in values: UnsafeBufferPointer<Float>, keepingAbove k: Int) -> Float {
    let n = values.count
    let bins = 1 << 16
    var lo = Float.infinity, hi = -Float.infinity
    for v in values {
        lo = min(lo, v)
        hi = max(hi, v)
    }
    if lo == hi { return lo }
    let scale = Float(bins) / (hi - lo) * (1 - 1e-6)
    @inline(__always) func bin(_ v: Float) -> Int { min(Int((v - lo) * scale), bins - 1) }

    var histogram = [Int](repeating: 0, count: bins)
    for v in values { histogram[bin(v)] &+= 1 }
    var above = 0
    var b = bins - 1
    while above + histogram[b] < k {
        above += histogram[b]
        b -= 1
    }
    let needed = k - above  // how many of bin b's values are solid, 1 … histogram[b]
    var inBin: [Float] = []
    inBin.reserveCapacity(histogram[b])
    var belowMax = -Float.infinity
    for v in values {
        let i = bin(v)
        if i == b { inBin.append(v) } else if i < b, v > belowMax { belowMax = v }
    }
    inBin.sort(by: >)
    let lastSolid = inBin[needed - 1]
    let firstVoid = needed < inBin.count ? inBin[needed] : belowMax
    let mid = firstVoid + (lastSolid - firstVoid) / 2
    return mid < lastSolid ? mid : firstVoid
}

/// Per-task counters merged after a parallel pass.
struct SendableCounts: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Int>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0)
    }
    func add(_ value: Int, slot: Int) { slots[slot] += value }
    func total() -> Int {
        defer { slots.deallocate() }
        return slots.reduce(0, +)
    }
}
