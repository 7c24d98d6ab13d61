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
    /// turning the field into a level set f = g − t (solid where f > 0, and no sample
    /// exactly 0).
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
            let counts = ChunkSlots<Int>(count: chunks, initial: 0)
            parallelForChunks(n, chunks: chunks) { chunk, range in
                var above = 0
                for i in range {
                    let v = voidAtZero(p[i] - t)
                    p[i] = v
                    above &+= v > 0 ? 1 : 0
                }
                counts.store(above, at: chunk)
            }
            return counts.values.reduce(0, +)
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
///
/// Two parallel passes and no min/max pass: each value's bits are mapped to a key that
/// orders like the value (sign flipped for positives, all bits for negatives), a histogram
/// of the keys' top 16 bits finds the bin holding the cut, and only that bin's values are
/// sorted (bins are 2⁻⁷ of a value's magnitude wide, so few values share one).
func quantileCut(in values: UnsafeBufferPointer<Float>, keepingAbove k: Int) -> Float {
    let n = values.count
    let bins = 1 << 16
    let source = SendableReadOnlyPointer(values.baseAddress!)
    let chunks = parallelChunkCount(n, minimumChunk: 1 << 18)
    let histograms = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: bins * chunks)
    histograms.initialize(repeating: 0)
    defer { histograms.deallocate() }
    let counts = SendablePointer(histograms.baseAddress!)
    parallelForChunks(n, chunks: chunks) { chunk, range in
        let histogram = counts.base + chunk * bins
        for i in range { histogram[Int(orderedKey(source.base[i]) >> 16)] &+= 1 }
    }
    var above = 0
    var b = bins - 1
    while true {
        var inBin = 0
        for c in 0..<chunks { inBin += Int(histograms[c * bins + b]) }
        if above + inBin >= k { break }
        above += inBin
        b -= 1
    }
    let needed = k - above  // how many of bin b's values are solid, 1 … (values in bin b)
    let cutBin = b
    let parts = ChunkSlots<(inBin: [Float], belowMax: Float)>(count: chunks, initial: ([], -.infinity))
    parallelForChunks(n, chunks: chunks) { chunk, range in
        var inBin: [Float] = []
        var belowMax = -Float.infinity
        for i in range {
            let v = source.base[i]
            let key = Int(orderedKey(v) >> 16)
            if key == cutBin { inBin.append(v) } else if key < cutBin, v > belowMax { belowMax = v }
        }
        parts.store((inBin, belowMax), at: chunk)
    }
    let inBin = parts.values.flatMap(\.inBin).sorted(by: >)
    let belowMax = parts.values.map(\.belowMax).max() ?? -.infinity
    let lastSolid = inBin[needed - 1]
    let firstVoid = needed < inBin.count ? inBin[needed] : belowMax
    if firstVoid == -.infinity { return lastSolid.nextDown }
    let mid = firstVoid + (lastSolid - firstVoid) / 2
    return mid < lastSolid ? mid : firstVoid
}

/// The bits of `v` as a key that sorts like `v` (−0 just below +0).
@inline(__always)
private func orderedKey(_ v: Float) -> UInt32 {
    let bits = v.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}

/// A sample that lands exactly on the cut is void (solid is f > 0); it is stored as the
/// smallest negative value so that no reader, whatever its convention at 0, sees it solid.
@inline(__always)
func voidAtZero(_ v: Float) -> Float {
    v == 0 ? -Float.leastNonzeroMagnitude : v
}
