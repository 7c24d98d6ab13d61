/// Scratch for `width` lines of one axis: the lines side by side (transposed so each is
/// contiguous) and the envelope of the line being solved.
final class LineBatch {
    static let width = WindowedLines.lanes
    let n: Int
    let lines: UnsafeMutablePointer<Float>
    /// Apex positions and lifted values (f(q) + q²) of the envelope's parabolas.
    let apex: UnsafeMutablePointer<Int>
    let lifted: UnsafeMutablePointer<Int>
    /// Where each parabola takes over, as the fraction numerator / denominator
    /// (denominator > 0), so no division sits on the critical path.
    let fromNumerator: UnsafeMutablePointer<Int>
    let fromDenominator: UnsafeMutablePointer<Int>

    init(count: Int) {
        n = count
        lines = .allocate(capacity: Self.width * count)
        apex = .allocate(capacity: count + 2)
        lifted = .allocate(capacity: count + 2)
        fromNumerator = .allocate(capacity: count + 3)
        fromDenominator = .allocate(capacity: count + 3)
    }

    func release() {
        lines.deallocate()
        apex.deallocate()
        lifted.deallocate()
        fromNumerator.deallocate()
        fromDenominator.deallocate()
    }

    @inline(__always)
    func gather(from start: UnsafeMutablePointer<Float>, lanes: Int, stride: Int) {
        for i in 0..<n {
            let source = start + i &* stride
            for lane in 0..<lanes { lines[lane &* n &+ i] = source[lane] }
        }
    }

    @inline(__always)
    func scatter(to start: UnsafeMutablePointer<Float>, lanes: Int, stride: Int) {
        for i in 0..<n {
            let target = start + i &* stride
            for lane in 0..<lanes { target[lane] = lines[lane &* n &+ i] }
        }
    }

    /// Replaces line `lane` (squared distances from the earlier passes) by the minimum over
    /// its samples q of (i − q)² + f(q). Unreachable samples add no parabola. Values are
    /// whole numbers, so the arithmetic is exact in integers.
    func transform(lane: Int, boundary: Bool) {
        let f = lines + lane &* n
        let (apex, lifted, fromN, fromD) = (self.apex, self.lifted, fromNumerator, fromDenominator)
        var k = -1
        // Candidates in order: the virtual feature at −1, the samples, the one at n.
        var q = boundary ? -1 : 0
        let end = boundary ? n : n - 1
        while q <= end {
            let fq: Float = q < 0 || q == n ? 0 : f[q]
            if fq < DistanceTransform.unreachable {
                let liftedQ = Int(fq) &+ q &* q
                var numerator = 0, denominator = 1
                while k >= 0 {
                    // Parabola q lies below parabola apex[k] from numerator / denominator on.
                    numerator = liftedQ &- lifted[k]
                    denominator = 2 &* (q &- apex[k])
                    if k == 0 || numerator &* fromD[k] > fromN[k] &* denominator { break }
                    k &-= 1
                }
                k &+= 1
                apex[k] = q
                lifted[k] = liftedQ
                fromN[k] = numerator
                fromD[k] = denominator
            }
            q &+= 1
        }
        guard k >= 0 else { return }  // no feature: the line stays unreachable
        var j = 0
        var i = 0
        while i < n {
            // Move on while the next parabola has taken over at i.
            while j < k && fromN[j &+ 1] <= i &* fromD[j &+ 1] { j &+= 1 }
            let dx = i &- apex[j]
            f[i] = Float(dx &* dx &+ lifted[j] &- apex[j] &* apex[j])
            i &+= 1
        }
    }
}
