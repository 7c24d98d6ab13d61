import ForgeCore

/// Exact squared Euclidean distance transform, separable: one pass per axis, each taking
/// the minimum of f(q) + (i − q)² along its lines.
///
/// The x pass is a two-way scan for the nearest feature in each row. The y and z passes
/// take 64 neighbouring lines at a time into scratch (a cache line per sample position)
/// and solve them by a direct search that stops at the largest distance in reach
/// (`WindowedLines`), or by each line's lower envelope of parabolas (Felzenszwalb &
/// Huttenlocher 2012, linear time) when the distances are long.
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
        return [Float](onHugePages: size.count) { out in
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

    /// One pass along an axis of `count` samples `stride` apart, for every line: lines
    /// start at `plane · planeStride + x` for x in 0..<rowLength. Blocks of neighbouring
    /// lines go to the direct search, or to the envelope when their distances are long.
    private static func linePasses(_ d: SendablePointer<Float>, count n: Int, stride: Int, planes: Int,
                                   planeStride: Int, rowLength: Int, boundary: Bool) {
        let width = WindowedLines.lanes
        let blocks = (rowLength + width - 1) / width
        parallelForRanges(planes * blocks, minimumChunk: 4) { tasks in
            let window = WindowedLines(count: n)
            var envelope: LineBatch?
            defer {
                window.release()
                envelope?.release()
            }
            for task in tasks {
                let plane = task / blocks, x0 = (task % blocks) * width
                let lanes = min(width, rowLength - x0)
                let start = d.base + plane * planeStride + x0
                if window.transform(start, width: lanes, stride: stride, boundary: boundary) { continue }
                let batch = envelope ?? LineBatch(count: n)
                envelope = batch
                batch.gather(from: window.rows, lanes: lanes, stride: width)
                for lane in 0..<lanes { batch.transform(lane: lane, boundary: boundary) }
                batch.scatter(to: start, lanes: lanes, stride: stride)
            }
        }
    }
}
