import ForgeCore

/// Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher 2012):
/// separable lower envelopes of parabolas, one pass per axis, linear time.
public enum DistanceTransform {
    /// For each voxel, the squared distance (in voxels²) to the nearest voxel of `features`.
    /// With `outsideIsFeature`, the layer just beyond every face of the box counts as a
    /// feature too (the distance to the outside). Voxels with no feature anywhere get a
    /// huge value (≥ 1e18).
    public static func squaredDistance(to features: VoxelMask, outsideIsFeature: Bool) -> [Float] {
        let size = features.size
        var d = features.bits.map { $0 != 0 ? Float(0) : Float(1e20) }
        let dims = [size.nx, size.ny, size.nz]
        let strides = [1, size.nx, size.nx * size.ny]
        d.withUnsafeMutableBufferPointer { buffer in
            let p = SendablePointer(buffer.baseAddress!)
            for axis in 0..<3 where dims[axis] > 1 {
                let n = dims[axis], stride = strides[axis]
                let others = (0..<3).filter { $0 != axis }
                let lines = dims[others[0]] * dims[others[1]]
                parallelForRanges(lines, minimumChunk: 64) { range in
                    var line = LineScratch(count: n + 2)
                    for l in range {
                        let a = l % dims[others[0]], b = l / dims[others[0]]
                        let start = a * strides[others[0]] + b * strides[others[1]]
                        line.transform(p.base + start, count: n, stride: stride, boundary: outsideIsFeature)
                    }
                }
            }
        }
        return d
    }
}

/// Work arrays for one 1D transform.
struct LineScratch {
    var f: [Double], v: [Int], z: [Double]

    init(count: Int) {
        f = [Double](repeating: 0, count: count)
        v = [Int](repeating: 0, count: count)
        z = [Double](repeating: 0, count: count + 1)
    }

    /// In place along one line; positions 0 and n + 1 are the virtual outside samples.
    mutating func transform(_ p: UnsafeMutablePointer<Float>, count n: Int, stride: Int, boundary: Bool) {
        let m = n + 2
        f[0] = boundary ? 0 : 1e20
        f[m - 1] = boundary ? 0 : 1e20
        for i in 0..<n { f[i + 1] = Double(p[i * stride]) }
        var k = 0
        v[0] = 0
        z[0] = -.infinity
        z[1] = .infinity
        for q in 1..<m {
            let fq = f[q] + Double(q * q)
            var s = (fq - (f[v[k]] + Double(v[k] * v[k]))) / Double(2 * (q - v[k]))
            while s <= z[k] {
                k -= 1
                s = (fq - (f[v[k]] + Double(v[k] * v[k]))) / Double(2 * (q - v[k]))
            }
            k += 1
            v[k] = q
            z[k] = s
            z[k + 1] = .infinity
        }
        k = 0
        for q in 1...n {
            while z[k + 1] < Double(q) { k += 1 }
            let d = Double(q - v[k])
            p[(q - 1) * stride] = Float(min(d * d + f[v[k]], 1e20))
        }
    }
}
