import ForgeCore

/// A zeroed, fixed-size array of Floats behind a pointer, for the transport solvers' fields.
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        MemoryPages.adviseHuge(UnsafeMutableRawPointer(pointer), bytes: count * MemoryLayout<Float>.stride)
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    var sendable: SendablePointer<Float> { SendablePointer(pointer) }

    func zero() { pointer.update(repeating: 0, count: count) }

    func copy(from other: FloatBuffer) { pointer.update(from: other.pointer, count: count) }
}

/// Parallel elementwise passes and reductions over equally long buffers.
enum BufferMath {
    /// Σ a·b in Double (Float partial sums per block of 4096).
    static func dot(_ a: FloatBuffer, _ b: FloatBuffer) -> Double {
        reduce(a.count) { range in
            var sum = 0.0
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + 4096, range.upperBound)
                sum += Double(dotProduct(a.pointer + start, b.pointer + start, count: end - start))
                start = end
            }
            return sum
        }
    }

    /// Σ over chunks of `body(range)`, in chunk order (so the result does not depend on timing).
    static func reduce(_ count: Int, _ body: @Sendable (Range<Int>) -> Double) -> Double {
        let chunks = parallelChunkCount(count, minimumChunk: 1 << 15)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        let out = SendablePointer(partial)
        parallelForChunks(count, chunks: chunks) { c, range in out[c] = body(range) }
        return (0..<chunks).reduce(0.0) { $0 + partial[$1] }
    }

    /// y ← y + α x.
    static func axpy(_ alpha: Float, _ x: FloatBuffer, _ y: FloatBuffer) {
        let (xs, ys) = (x.sendable, y.sendable)
        parallelForRanges(x.count, minimumChunk: 1 << 15) { range in
            for i in range { ys[i] += alpha * xs[i] }
        }
    }

    /// y ← x + β y.
    static func xpby(_ x: FloatBuffer, _ beta: Float, _ y: FloatBuffer) {
        let (xs, ys) = (x.sendable, y.sendable)
        parallelForRanges(x.count, minimumChunk: 1 << 15) { range in
            for i in range { ys[i] = xs[i] + beta * ys[i] }
        }
    }
}
