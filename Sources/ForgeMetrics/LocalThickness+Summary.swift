import ForgeCore

extension LocalThickness {
    /// Summary of a thickness `field` (voxels, as `field(of:outsideIsBoundary:)` gives it:
    /// positive on the phase, 0 elsewhere) on a grid of `size`. Two parallel passes: the
    /// first counts, sums and bins the values by the high half of their bit patterns (which
    /// order like the values, all ≥ 0); the second bins the low halves within the bin that
    /// holds the 5th percentile, which fixes it exactly, and fills the histogram.
    public init?(field: [Float], size: GridSize, voxelSizeMM h: Double) {
        let first = field.withUnsafeBufferPointer { Self.firstPass(SendableReadOnlyPointer($0.baseAddress!), count: $0.count) }
        guard first.count > 0 else { return nil }
        let rank = Swift.max(0, Int(Double(first.count) * 0.05) - 1)
        var bin = 0, below = 0
        while below + first.high[bin] <= rank {
            below += first.high[bin]
            bin += 1
        }
        let top = Swift.max(first.maximum, 1e-6)
        let second = field.withUnsafeBufferPointer {
            Self.secondPass(SendableReadOnlyPointer($0.baseAddress!), count: $0.count, highBin: UInt32(bin), top: top)
        }
        var low = 0, within = below
        while within + second.low[low] <= rank {
            within += second.low[low]
            low += 1
        }
        meanMM = first.sum / Double(first.count) * h
        minimumMM = Double(first.minimum) * h
        percentile5MM = Double(Float(bitPattern: UInt32(bin) << 16 | UInt32(low))) * h
        maximumMM = Double(first.maximum) * h
        let s = size, at = first.minimumAt
        let (x, y, z) = (at % s.nx, (at / s.nx) % s.ny, at / (s.nx * s.ny))
        thinnestAtMM = [x, y, z].map { (Double($0) + 0.5) * h }
        histogram = second.bins.map { Double($0) / Double(first.count) }
    }

    private struct FirstPass {
        var count = 0, sum = 0.0, minimum = Float.infinity, minimumAt = 0, maximum: Float = 0
        var high = [Int](repeating: 0, count: 1 << 16)
    }

    private static func firstPass(_ values: SendableReadOnlyPointer<Float>, count: Int) -> FirstPass {
        let chunks = parallelChunkCount(count, minimumChunk: 1 << 20)
        let parts = ChunkSlots(count: chunks, initial: FirstPass())
        parallelForChunks(count, chunks: chunks) { chunk, range in
            var part = FirstPass()
            part.high.withUnsafeMutableBufferPointer { high in
                for i in range {
                    let v = values.base[i]
                    guard v > 0 else { continue }
                    part.count &+= 1
                    part.sum += Double(v)
                    if v < part.minimum {
                        part.minimum = v
                        part.minimumAt = i
                    }
                    part.maximum = Swift.max(part.maximum, v)
                    high[Int(v.bitPattern >> 16)] &+= 1
                }
            }
            parts.store(part, at: chunk)
        }
        var total = FirstPass()
        for part in parts.values {
            total.count += part.count
            total.sum += part.sum
            if part.minimum < total.minimum {
                total.minimum = part.minimum
                total.minimumAt = part.minimumAt
            }
            total.maximum = Swift.max(total.maximum, part.maximum)
            for b in part.high.indices where part.high[b] > 0 { total.high[b] += part.high[b] }
        }
        return total
    }

    private struct SecondPass {
        var low = [Int](repeating: 0, count: 1 << 16)
        var bins = [Int](repeating: 0, count: LocalThickness.histogramBins)
    }

    private static func secondPass(_ values: SendableReadOnlyPointer<Float>, count: Int, highBin: UInt32,
                                   top: Float) -> SecondPass {
        let chunks = parallelChunkCount(count, minimumChunk: 1 << 20)
        let parts = ChunkSlots(count: chunks, initial: SecondPass())
        let binCount = histogramBins
        parallelForChunks(count, chunks: chunks) { chunk, range in
            var part = SecondPass()
            part.low.withUnsafeMutableBufferPointer { low in
                part.bins.withUnsafeMutableBufferPointer { bins in
                    for i in range {
                        let v = values.base[i]
                        guard v > 0 else { continue }
                        bins[Swift.min(Int(v / top * Float(binCount)), binCount &- 1)] &+= 1
                        if v.bitPattern >> 16 == highBin { low[Int(v.bitPattern & 0xFFFF)] &+= 1 }
                    }
                }
            }
            parts.store(part, at: chunk)
        }
        var total = SecondPass()
        for part in parts.values {
            for b in part.low.indices where part.low[b] > 0 { total.low[b] += part.low[b] }
            for b in part.bins.indices { total.bins[b] += part.bins[b] }
        }
        return total
    }
}
