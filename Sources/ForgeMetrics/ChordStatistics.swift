import ForgeCore
import ForgeMorphology

/// Chord lengths and the lineal-path function of both phases along each axis, from the runs
/// of each phase along the lines of voxels.
///
/// - A chord is a run of a phase along an axis that ends at the other phase on both sides;
///   runs that reach a box face are cut by it and left out (as PoreSpy's `apply_chords`
///   with `trim_edges`). Lengths are in voxels × the voxel size.
/// - The lineal-path function L(r) is the probability that a segment of length r along the
///   axis, placed anywhere inside the box, lies wholly in the phase: a run of ℓ voxels holds
///   max(0, ℓ − r) of the n − r placements of its line (r = 0 gives the phase's fraction).
public struct ChordStatistics: Sendable, Codable, Equatable {
    public struct Axis: Sendable, Codable, Equatable {
        public var count: Int
        public var meanMM: Double
        /// Chords per length: `histogram[i]` chords of i + 1 voxels (up to 64; longer ones in
        /// the last bin).
        public var histogram: [Int]
        /// L(r) for r = 0, 1, … voxels (`distance_mm` of the two-point statistics).
        public var linealPath: [Double]

        enum CodingKeys: String, CodingKey {
            case count, histogram
            case meanMM = "mean_mm"
            case linealPath = "lineal_path"
        }
    }

    public struct Phase: Sendable, Codable, Equatable {
        public var x: Axis
        public var y: Axis
        public var z: Axis?
    }

    public var solid: Phase
    public var pores: Phase

    public static let histogramBins = 64

    public init(of mask: VoxelMask, voxelSizeMM h: Double) {
        let size = mask.size
        let axes = size.isPlanar ? 2 : 3
        var solidAxes: [Axis] = [], poreAxes: [Axis] = []
        for a in 0..<axes {
            let (s, p) = Self.runs(mask, axis: a, voxelSizeMM: h)
            solidAxes.append(s)
            poreAxes.append(p)
        }
        solid = Phase(x: solidAxes[0], y: solidAxes[1], z: axes == 3 ? solidAxes[2] : nil)
        pores = Phase(x: poreAxes[0], y: poreAxes[1], z: axes == 3 ? poreAxes[2] : nil)
    }

    /// Both phases' chords and lineal paths along `axis`.
    private static func runs(_ mask: VoxelMask, axis: Int, voxelSizeMM h: Double) -> (Axis, Axis) {
        let size = mask.size
        let counts = [size.nx, size.ny, size.nz]
        let n = counts[axis]
        let strides = [1, size.nx, size.nx * size.ny]
        let stride = strides[axis]
        let others = (0..<3).filter { $0 != axis }
        let lines = counts[others[0]] * counts[others[1]]
        let reach = n / 2
        // Per phase: chord histogram and count and total, run-length counts for the lineal path.
        let chunks = parallelChunkCount(lines, minimumChunk: 256)
        let parts = ChunkSlots(count: max(chunks, 1), initial: [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: 4))
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            parallelForChunks(lines, chunks: chunks) { chunk, range in
                // [solid chords by length, pore chords by length, solid runs by length, pore runs by length]
                var tally = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: 4)
                for line in range {
                    let u = line % counts[others[0]], v = line / counts[others[0]]
                    let base = u * strides[others[0]] + v * strides[others[1]]
                    var start = 0
                    while start < n {
                        let phase = bits.base[base + start * stride]
                        var end = start + 1
                        while end < n && bits.base[base + end * stride] == phase { end += 1 }
                        let length = end - start
                        let k = phase != 0 ? 0 : 1
                        tally[k + 2][length] += 1
                        if start > 0 && end < n { tally[k][length] += 1 }
                        start = end
                    }
                }
                parts.store(tally, at: chunk)
            }
        }
        var total = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: 4)
        for part in parts.values { for k in 0..<4 { for l in 0...n { total[k][l] += part[k][l] } } }
        func summary(chords: [Int], runs: [Int]) -> Axis {
            let count = chords.reduce(0, +)
            let length = chords.indices.reduce(0) { $0 + $1 * chords[$1] }
            var histogram = [Int](repeating: 0, count: histogramBins)
            for l in 1...max(1, n) where l < chords.count { histogram[min(l, histogramBins) - 1] += chords[l] }
            let lineal = (0...reach).map { r -> Double in
                let held = runs.indices.reduce(0) { $0 + max(0, $1 - r) * runs[$1] }
                return Double(held) / Double((n - r) * lines)
            }
            return Axis(count: count, meanMM: count > 0 ? Double(length) / Double(count) * h : 0, histogram: histogram,
                        linealPath: lineal)
        }
        return (summary(chords: total[0], runs: total[2]), summary(chords: total[1], runs: total[3]))
    }
}
