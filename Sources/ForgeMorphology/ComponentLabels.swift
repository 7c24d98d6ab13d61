import ForgeCore

/// Face-connected (6-neighbour) components of a voxel set, held as runs along x: each run
/// of consecutive voxels in a row carries its component's number. A run costs 12 bytes, so
/// a set with long runs takes a small part of a per-voxel label grid.
public struct ComponentLabels: Sendable {
    public let size: GridSize
    /// The runs of row `r` (r = y + ny · z) are `rowStarts[r] ..< rowStarts[r + 1]`.
    let rowStarts: [Int]
    /// Per run: its first x, one past its last x, and its component.
    let runStart: [Int32], runEnd: [Int32], runLabel: [Int32]
    /// Voxels per component; components are numbered by their first voxel in memory order.
    public let sizes: [Int]
    /// Per component, a bit per box face it touches: x−, x+, y−, y+, z−, z+ (bits 0–5).
    public let faces: [UInt8]

    public var count: Int { sizes.count }

    /// Number of runs along x.
    public var runCount: Int { runLabel.count }

    /// The component with the most voxels, if any.
    public var largest: Int? { sizes.indices.max { sizes[$0] < sizes[$1] } }

    /// True when component `c` touches both faces normal to `axis` (0, 1, 2).
    public func spans(_ c: Int, axis: Int) -> Bool {
        faces[c] >> (2 * axis) & 3 == 3
    }

    /// True when component `c` touches no face of the box.
    public func isEnclosed(_ c: Int) -> Bool { faces[c] == 0 }

    /// Component number per voxel, −1 outside the set: four bytes per voxel, for checks and
    /// small grids.
    public var labels: [Int32] {
        var out = [Int32](repeating: -1, count: size.count)
        for row in 0..<rowStarts.count - 1 {
            for r in rowStarts[row]..<rowStarts[row + 1] {
                for x in Int(runStart[r])..<Int(runEnd[r]) { out[x + size.nx * row] = runLabel[r] }
            }
        }
        return out
    }

    /// Sets the voxels of every component `selected` picks to `value` in `mask`.
    public func set(_ mask: inout VoxelMask, to value: UInt8, where selected: (Int) -> Bool) {
        precondition(mask.size == size)
        let picked = (0..<count).map(selected)
        let nx = size.nx
        mask.bits.withUnsafeMutableBufferPointer { bits in
            for row in 0..<rowStarts.count - 1 {
                for r in rowStarts[row]..<rowStarts[row + 1] where picked[Int(runLabel[r])] {
                    let start = Int(runStart[r])
                    (bits.baseAddress! + start + nx * row).update(repeating: value, count: Int(runEnd[r]) - start)
                }
            }
        }
    }

    /// Labels the voxels of `mask` whose bit is `phase` (1: the set, 0: its complement).
    ///
    /// Rows are cut into runs in parallel; union–find then joins each run with the runs it
    /// overlaps in the row before it along y and along z (slabs of planes in parallel, the
    /// planes where slabs meet after), keeping the smaller run number as the root, so a
    /// component's root is its first run in memory order. O(voxels / 8 + runs).
    public init(_ mask: VoxelMask, phase: UInt8 = 1) {
        size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let rows = ny * nz
        let rowChunks = parallelChunkCount(rows, minimumChunk: 64)
        var rowStarts = [Int](repeating: 0, count: rows + 1)
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            rowStarts.withUnsafeMutableBufferPointer { starts in
                let counts = SendablePointer(starts.baseAddress! + 1)
                parallelForChunks(rows, chunks: rowChunks) { _, range in
                    for row in range {
                        var runs = 0
                        RowRuns.scan(bits.base + nx * row, count: nx, phase: phase) { _, _ in runs &+= 1 }
                        counts.base[row] = runs
                    }
                }
            }
        }
        for row in 0..<rows { rowStarts[row + 1] += rowStarts[row] }
        let runs = rowStarts[rows]
        precondition(runs < Int(Int32.max), "too many runs for 32-bit run numbers")
        var runStart = [Int32](repeating: 0, count: runs), runEnd = [Int32](repeating: 0, count: runs)
        var parent = [Int32](repeating: 0, count: runs)
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            let starts = SendablePointer(runStart.withUnsafeMutableBufferPointer { $0.baseAddress! })
            let ends = SendablePointer(runEnd.withUnsafeMutableBufferPointer { $0.baseAddress! })
            let offsets = rowStarts
            do {
                parallelForChunks(rows, chunks: rowChunks) { _, range in
                    var r = offsets[range.lowerBound]
                    for row in range {
                        RowRuns.scan(bits.base + nx * row, count: nx, phase: phase) { start, end in
                            starts.base[r] = Int32(truncatingIfNeeded: start)
                            ends.base[r] = Int32(truncatingIfNeeded: end)
                            r &+= 1
                        }
                    }
                }
            }
        }
        let planeChunks = parallelChunkCount(nz, minimumChunk: 4)
        runStart.withUnsafeBufferPointer { starts in
            runEnd.withUnsafeBufferPointer { ends in
                rowStarts.withUnsafeBufferPointer { rowStarts in
                    parent.withUnsafeMutableBufferPointer { parent in
                        let join = RowJoin(starts: starts, ends: ends, rowStarts: rowStarts, parent: parent)
                        parallelForChunks(nz, chunks: planeChunks) { _, zs in
                            for r in join.rowStarts[zs.lowerBound * ny]..<join.rowStarts[zs.upperBound * ny] {
                                join.parent[r] = Int32(truncatingIfNeeded: r)
                            }
                            for z in zs {
                                for y in 0..<ny {
                                    let row = y + ny * z
                                    if y > 0 { join.join(row, row - 1) }
                                    if z > zs.lowerBound { join.join(row, row - ny) }
                                }
                            }
                        }
                        for c in 1..<planeChunks {
                            let z = nz * c / planeChunks
                            for y in 0..<ny { join.join(y + ny * z, y + ny * (z - 1)) }
                        }
                    }
                }
            }
        }
        // Renumber densely in memory order. Every parent precedes its child (a root is the
        // smallest run of its set, and compression points at roots), so by the time a run is
        // reached its parent already holds the component's number.
        var sizes: [Int] = [], faces: [UInt8] = []
        parent.withUnsafeMutableBufferPointer { p in
            for row in 0..<rows {
                let (y, z) = (row % ny, row / ny)
                let rowFaces: UInt8 = (y == 0 ? 4 : 0) | (y == ny - 1 ? 8 : 0) | (z == 0 ? 16 : 0) | (z == nz - 1 ? 32 : 0)
                for r in rowStarts[row]..<rowStarts[row + 1] {
                    let up = Int(p[r])
                    let c: Int
                    if up == r {
                        c = sizes.count
                        sizes.append(0)
                        faces.append(0)
                    } else {
                        c = Int(p[up])
                    }
                    p[r] = Int32(truncatingIfNeeded: c)
                    sizes[c] &+= Int(runEnd[r] &- runStart[r])
                    faces[c] |= rowFaces | (runStart[r] == 0 ? 1 : 0) | (Int(runEnd[r]) == nx ? 2 : 0)
                }
            }
        }
        self.rowStarts = rowStarts
        self.runStart = runStart
        self.runEnd = runEnd
        runLabel = parent
        self.sizes = sizes
        self.faces = faces
    }
}

/// Union–find over the runs of two rows: joins every pair that overlaps in x.
private struct RowJoin: @unchecked Sendable {
    let starts: UnsafeBufferPointer<Int32>, ends: UnsafeBufferPointer<Int32>
    let rowStarts: UnsafeBufferPointer<Int>
    let parent: UnsafeMutableBufferPointer<Int32>

    @inline(__always)
    func join(_ a: Int, _ b: Int) {
        var i = rowStarts[a], j = rowStarts[b]
        let iEnd = rowStarts[a + 1], jEnd = rowStarts[b + 1]
        while i < iEnd && j < jEnd {
            if starts[i] < ends[j] && starts[j] < ends[i] {
                DisjointSets.union(Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: j), in: parent)
            }
            if ends[i] < ends[j] { i &+= 1 } else { j &+= 1 }
        }
    }
}

/// Runs of one value in a row of 0/1 bytes.
enum RowRuns {
    /// Calls `body(start, end)` for each maximal run of bytes equal to `phase` in
    /// `row[0 ..< count]`, in order. Eight bytes that all continue the current state are
    /// passed over in one step.
    @inline(__always)
    static func scan(_ row: UnsafePointer<UInt8>, count: Int, phase: UInt8, _ body: (Int, Int) -> Void) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let raw = UnsafeRawPointer(row)
        var x = 0, start = -1
        while x < count {
            if x &+ 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: x, as: UInt64.self)
                let inside = start >= 0
                if word == ((phase == 1) == inside ? ones : 0) {
                    x &+= 8
                    continue
                }
            }
            let here = row[x] == phase
            if here && start < 0 {
                start = x
            } else if !here && start >= 0 {
                body(start, x)
                start = -1
            }
            x &+= 1
        }
        if start >= 0 { body(start, count) }
    }
}
