import ForgeCore

/// Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012):
/// separable lower envelopes of parabolas, one pass per axis, linear time.
///
/// The x pass is a two-way scan for the nearest feature in each row. The y and z passes
/// gather `LineBatch.width` neighbouring lines at a time into contiguous scratch, so the
/// strided axes are read a cache line at a time, and solve each line's envelope there.
public enum DistanceTransform {
    /// Stands for "no feature on this line or anywhere": larger than any real squared
    /// distance, small enough to stay finite in sums.
    public static let unreachable: Float = 1e20

    /// For each voxel, the squared distance (in voxels²) to the nearest voxel of `features`.
    /// With `outsideIsFeature`, the layer just beyond every face of the box counts as a
    /// feature too (the distance to the outside). Voxels with no feature anywhere get
    /// `unreachable` (1e20).
    public static func squaredDistance(to features: VoxelMask, outsideIsFeature: Bool) -> [Float] {
        squaredDistance(features, featureBit: 1, outsideIsFeature: outsideIsFeature)
    }

    /// For each voxel, the squared distance to the nearest voxel outside `set` (the
    /// transform of its complement, without building the complement).
    public static func squaredDistance(toComplementOf set: VoxelMask, outsideIsFeature: Bool) -> [Float] {
        squaredDistance(set, featureBit: 0, outsideIsFeature: outsideIsFeature)
    }

    private static func squaredDistance(_ mask: VoxelMask, featureBit: UInt8, outsideIsFeature: Bool) -> [Float] {
        let size = mask.size
        return [Float](unsafeUninitializedCapacity: size.count) { out, initialised in
            let d = SendablePointer(out.baseAddress!)
            mask.bits.withUnsafeBufferPointer { bits in
                let b = SendableReadOnlyPointer(bits.baseAddress!)
                parallelForRanges(size.ny * size.nz, minimumChunk: 64) { rows in
                    for r in rows {
                        rowPass(b.base + r * size.nx, into: d.base + r * size.nx, count: size.nx,
                                featureBit: featureBit, boundary: outsideIsFeature)
                    }
                }
            }
            initialised = size.count
            if size.ny > 1 {
                linePasses(d, count: size.ny, stride: size.nx, planes: size.nz, planeStride: size.nx * size.ny,
                           rowLength: size.nx, boundary: outsideIsFeature)
            }
            if size.nz > 1 {
                linePasses(d, count: size.nz, stride: size.nx * size.ny, planes: size.ny, planeStride: size.nx,
                           rowLength: size.nx, boundary: outsideIsFeature)
            }
        }
    }

    /// Squared distance along one row to its nearest feature (or to the virtual features
    /// at −1 and n with `boundary`).
    private static func rowPass(_ bits: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>, count n: Int,
                                featureBit: UInt8, boundary: Bool) {
        let far = Int.max / 4
        var last = boundary ? -1 : -far
        for x in 0..<n {
            if bits[x] == featureBit { last = x }
            out[x] = Float(x &- last)
        }
        var next = boundary ? n : n + far
        var x = n - 1
        while x >= 0 {
            if bits[x] == featureBit { next = x }
            let g = min(out[x], Float(next &- x))
            out[x] = g >= Float(far / 2) ? unreachable : g * g
            x -= 1
        }
    }

    /// One envelope pass along an axis of `count` samples `stride` apart, for every line:
    /// lines start at `plane · planeStride + x` for x in 0..<rowLength.
    private static func linePasses(_ d: SendablePointer<Float>, count n: Int, stride: Int, planes: Int,
                                   planeStride: Int, rowLength: Int, boundary: Bool) {
        let width = LineBatch.width
        let blocks = (rowLength + width - 1) / width
        parallelForRanges(planes * blocks, minimumChunk: 4) { tasks in
            let batch = LineBatch(count: n)
            defer { batch.release() }
            for task in tasks {
                let plane = task / blocks, x0 = (task % blocks) * width
                let lanes = min(width, rowLength - x0)
                let start = d.base + plane * planeStride + x0
                batch.gather(from: start, lanes: lanes, stride: stride)
                for lane in 0..<lanes { batch.transform(lane: lane, boundary: boundary) }
                batch.scatter(to: start, lanes: lanes, stride: stride)
            }
        }
    }
}

/// Scratch for `width` lines of one axis: the lines side by side (transposed so each is
/// contiguous) and the envelope of the line being solved.
final class LineBatch {
    static let width = 64
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
