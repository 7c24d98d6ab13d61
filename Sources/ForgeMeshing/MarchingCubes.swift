import ForgeCore
import Foundation

/// Closed triangle meshes of the solid `{f > 0}` of a level-set grid.
public enum MarchingCubes {
    /// How close to a grid corner a vertex may sit, as a fraction of the edge; keeps
    /// triangles away from zero area when a sample lies on the surface.
    static let edgeMargin: Float = 0.01

    /// Meshes the boundary of `{f > 0}` as a closed, consistently wound surface in mm.
    ///
    /// Everything outside the box counts as void, so the solid is capped where it meets
    /// the box; a virtual sample outside the box mirrors the value of its nearest inside
    /// sample with negative sign, which puts the caps exactly on the box faces `0` and
    /// `n·h`. Vertices lie on grid edges (linear interpolation, one vertex per crossed
    /// edge, shared by the cells around it). Slabs of z run in parallel; the result is
    /// the same for any number of threads. `progress` receives the fraction of slabs done.
    public static func mesh(_ field: ScalarGrid,
                            progress: (@Sendable (Double) -> Void)? = nil) -> Mesh {
        let slabs = field.size.nz + 1
        let chunks = min(parallelChunkCount(slabs, minimumChunk: 4), slabs)
        let parts = ChunkResults(count: chunks)
        let done = ProgressCounter(total: slabs, report: progress)
        field.values.withUnsafeBufferPointer { values in
            let source = SendableReadOnlyPointer(values.baseAddress!)
            parallelForChunks(slabs, chunks: chunks) { chunk, range in
                let mesher = SlabMesher(field: field, values: source.base)
                parts[chunk] = mesher.run(slabs: range.lowerBound - 1..<range.upperBound - 1,
                                          isLast: range.upperBound == slabs, done: done)
            }
        }
        return parts.merged()
    }
}

/// The vertices and triangles of one run of slabs, with local vertex numbers; numbers with
/// the high bit set refer to the first layer of the next chunk (see `merged()`).
struct ChunkMesh: @unchecked Sendable {
    var positions: GrowableBuffer<Float>
    var indices: GrowableBuffer<UInt32>
    /// Vertex numbers of the x and y edges of this chunk's first layer.
    var firstLayerEdges: [UInt32] = []

    init(expectedCells: Int = 0) {
        positions = GrowableBuffer(capacity: expectedCells / 4)
        indices = GrowableBuffer(capacity: expectedCells / 2)
    }

}

/// Per-chunk results written by disjoint parallel tasks.
final class ChunkResults: @unchecked Sendable {
    private var storage: [ChunkMesh?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> ChunkMesh {
        get { storage[i]! }
        set { storage.withUnsafeMutableBufferPointer { $0[i] = newValue } }
    }

    static let foreignFlag: UInt32 = 0x8000_0000

    /// Concatenates the chunks and resolves references into the next chunk's first layer.
    /// Each chunk's buffers are freed as soon as they are copied, so the copy adds little
    /// to the peak memory.
    func merged() -> Mesh {
        var vertexOffsets = [0], triangleOffsets = [0]
        let parts = storage.map { $0! }
        for part in parts {
            vertexOffsets.append(vertexOffsets.last! + part.positions.count / 3)
            triangleOffsets.append(triangleOffsets.last! + part.indices.count)
        }
        precondition(vertexOffsets.last! < Int(Self.foreignFlag), "mesh too large for 32-bit indices")
        let vertexStarts = vertexOffsets, triangleStarts = triangleOffsets
        let positions = [Float](onHugePages: vertexOffsets.last! * 3) { out in
            let target = SendablePointer(out.baseAddress!)
            parallelForChunks(parts.count, chunks: parts.count) { c, _ in
                let src = parts[c].positions.buffer
                (target.base + 3 * vertexStarts[c]).update(from: src.baseAddress!, count: src.count)
                parts[c].positions.release()
            }
        }
        let indices = [UInt32](onHugePages: triangleOffsets.last!) { out in
            let target = SendablePointer(out.baseAddress!)
            parallelForChunks(parts.count, chunks: parts.count) { c, _ in
                let own = UInt32(vertexStarts[c])
                let next = c + 1 < parts.count ? UInt32(vertexStarts[c + 1]) : 0
                let dst = target.base + triangleStarts[c]
                do {
                    let src = parts[c].indices.buffer
                    if c + 1 < parts.count {
                        parts[c + 1].firstLayerEdges.withUnsafeBufferPointer { foreign in
                            for i in 0..<src.count {
                                let v = src[i]
                                dst[i] = v & Self.foreignFlag == 0
                                    ? v &+ own : foreign[Int(v & ~Self.foreignFlag)] &+ next
                            }
                        }
                    } else {
                        for i in 0..<src.count { dst[i] = src[i] &+ own }
                    }
                    parts[c].indices.release()
                }
            }
        }
        storage = []
        return Mesh(positions: positions, indices: indices)
    }
}

/// Counts finished work from many threads and reports the fraction done.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Double) -> Void)?
    init(total: Int, report: (@Sendable (Double) -> Void)?) {
        self.total = total
        self.report = report
    }
    func advance() {
        guard let report else { return }
        let fraction: Double = lock.withLock {
            done += 1
            return Double(done) / Double(total)
        }
        report(fraction)
    }
}
