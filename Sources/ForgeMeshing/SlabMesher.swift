import ForgeCore

/// Marches the cells of a run of z slabs over the padded lattice (one virtual void sample
/// beyond each face of the box). Layer buffers are reused from slab to slab.
struct SlabMesher {
    let nx: Int, ny: Int, nz: Int
    let h: Float
    let values: UnsafePointer<Float>
    /// Padded layer width and height: nx + 2, ny + 2.
    let px: Int, py: Int

    init(field: ScalarGrid, values: UnsafePointer<Float>) {
        nx = field.size.nx
        ny = field.size.ny
        nz = field.size.nz
        h = Float(field.voxelSizeMM)
        self.values = values
        px = nx + 2
        py = ny + 2
    }

    /// Fills the padded layer `k` (−1 … nz): inside samples as they are, outside samples as
    /// minus the magnitude of the nearest inside sample; `solid` gets 1 where the value > 0.
    func fillLayer(_ k: Int, into layer: UnsafeMutablePointer<Float>, solid: UnsafeMutablePointer<UInt8>) {
        fillLayer(k, into: layer)
        var i = 0
        let n = px * py
        while i < n {
            solid[i] = layer[i] > 0 ? 1 : 0
            i &+= 1
        }
    }

    func fillLayer(_ k: Int, into layer: UnsafeMutablePointer<Float>) {
        let kk = min(max(k, 0), nz - 1)
        let outside = k < 0 || k >= nz
        for jp in 0..<py {
            let j = min(max(jp - 1, 0), ny - 1)
            let src = values + nx * (j + ny * kk)
            let dst = layer + px * jp
            if outside || jp == 0 || jp == py - 1 {
                for ip in 0..<px { dst[ip] = -abs(src[min(max(ip - 1, 0), nx - 1)]) }
            } else {
                dst[0] = -abs(src[0])
                (dst + 1).update(from: src, count: nx)
                dst[px - 1] = -abs(src[nx - 1])
            }
        }
    }

    @inline(__always)
    func crossing(_ a: Float, _ b: Float) -> Float {
        let t = a / (a - b)
        return min(max(t, MarchingCubes.edgeMargin), 1 - MarchingCubes.edgeMargin)
    }

    /// Creates the vertices on the x and y edges of layer `k`. With `foreign`, stores
    /// references to the next chunk's vertices instead of creating them. Crossings are
    /// found eight edges at a time in the layer's solid flags.
    func layerEdges(_ k: Int, layer: UnsafePointer<Float>, solid: UnsafePointer<UInt8>,
                    xEdges: UnsafeMutablePointer<UInt32>, yEdges: UnsafeMutablePointer<UInt32>,
                    foreign: Bool, into part: inout ChunkMesh) {
        let z = (Float(k) + 0.5) * h
        let xCount = (px - 1) * py
        for jp in 0..<py {
            let row = layer + px * jp
            let flags = solid + px * jp
            let y = (Float(jp) - 0.5) * h
            forEachDifference(flags, flags + 1, count: px - 1) { ip in
                let slot = ip + (px - 1) * jp
                if foreign {
                    xEdges[slot] = ChunkResults.foreignFlag | UInt32(slot)
                } else {
                    xEdges[slot] = UInt32(part.positions.count / 3)
                    let x = (Float(ip) - 0.5 + crossing(row[ip], row[ip + 1])) * h
                    part.positions.append(x)
                    part.positions.append(y)
                    part.positions.append(z)
                }
            }
        }
        for jp in 0..<(py - 1) {
            let row = layer + px * jp
            let flags = solid + px * jp
            let y0 = (Float(jp) - 0.5) * h
            forEachDifference(flags, flags + px, count: px) { ip in
                let slot = ip + px * jp
                if foreign {
                    yEdges[slot] = ChunkResults.foreignFlag | UInt32(xCount + slot)
                } else {
                    yEdges[slot] = UInt32(part.positions.count / 3)
                    let y = y0 + crossing(row[ip], row[ip + px]) * h
                    part.positions.append((Float(ip) - 0.5) * h)
                    part.positions.append(y)
                    part.positions.append(z)
                }
            }
        }
    }

    /// Meshes slabs `slabs` (a slab k lies between padded layers k and k + 1, k = −1 … nz − 1).
    func run(slabs: Range<Int>, isLast: Bool, done: ProgressCounter) -> ChunkMesh {
        let layerSize = px * py
        let xSize = (px - 1) * py, ySize = px * (py - 1)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * layerSize)
        let ids = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * (xSize + ySize) + layerSize)
        // Eight bytes of slack past each layer's flags: crossings are scanned a word at a time.
        let signs = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * (layerSize + 8))
        signs.initialize(repeating: 0, count: 2 * (layerSize + 8))
        defer {
            buffer.deallocate()
            ids.deallocate()
            signs.deallocate()
        }
        var lower = buffer, upper = buffer + layerSize
        var lowerSolid = signs, upperSolid = signs + layerSize + 8
        var lowerX = ids, lowerY = ids + xSize
        var upperX = ids + xSize + ySize, upperY = upperX + xSize
        let zEdges = upperY + ySize
        let rowOffsets = UnsafeMutablePointer<Int>.allocate(capacity: 12)
        defer { rowOffsets.deallocate() }

        var part = ChunkMesh(expectedCells: slabs.count * nx * ny)
        fillLayer(slabs.lowerBound, into: lower, solid: lowerSolid)
        layerEdges(slabs.lowerBound, layer: lower, solid: lowerSolid, xEdges: lowerX, yEdges: lowerY, foreign: false,
                   into: &part)
        part.firstLayerEdges = Array(UnsafeBufferPointer(start: lowerX, count: xSize))
            + Array(UnsafeBufferPointer(start: lowerY, count: ySize))

        let table = MarchingCubesTable.shared
        table.triangles.withUnsafeBufferPointer { tris in
            table.offsets.withUnsafeBufferPointer { offsets in
                for k in slabs {
                    fillLayer(k + 1, into: upper, solid: upperSolid)
                    let foreign = k + 1 == slabs.upperBound && !isLast
                    layerEdges(k + 1, layer: upper, solid: upperSolid, xEdges: upperX, yEdges: upperY,
                               foreign: foreign, into: &part)
                    zEdgeVertices(k, lower: lower, upper: upper, lowerSolid: lowerSolid, upperSolid: upperSolid,
                                  zEdges: zEdges, into: &part)
                    let edges = EdgeTables(ids: ids, lowerX: lowerX, lowerY: lowerY, upperX: upperX,
                                           upperY: upperY, z: zEdges, px: px)
                    marchCells(lower: lowerSolid, upper: upperSolid, edges: edges, ids: ids, rowOffsets: rowOffsets,
                               tris: tris, offsets: offsets, into: &part)
                    swap(&lower, &upper)
                    swap(&lowerSolid, &upperSolid)
                    swap(&lowerX, &upperX)
                    swap(&lowerY, &upperY)
                    done.advance()
                }
            }
        }
        return part
    }

    private func zEdgeVertices(_ k: Int, lower: UnsafePointer<Float>, upper: UnsafePointer<Float>,
                               lowerSolid: UnsafePointer<UInt8>, upperSolid: UnsafePointer<UInt8>,
                               zEdges: UnsafeMutablePointer<UInt32>, into part: inout ChunkMesh) {
        let z0 = (Float(k) + 0.5) * h
        forEachDifference(lowerSolid, upperSolid, count: px * py) { s in
            let ip = s % px, jp = s / px
            zEdges[s] = UInt32(part.positions.count / 3)
            part.positions.append((Float(ip) - 0.5) * h)
            part.positions.append((Float(jp) - 0.5) * h)
            part.positions.append(z0 + crossing(lower[s], upper[s]) * h)
        }
    }

    /// `lower` and `upper` are the two layers' solid flags (0 or 1). A triangle corner's
    /// vertex is `ids[rowOffsets[edge] + ip]`: one table lookup and one load, no branch.
    private func marchCells(lower: UnsafePointer<UInt8>, upper: UnsafePointer<UInt8>, edges: EdgeTables,
                            ids: UnsafePointer<UInt32>, rowOffsets: UnsafeMutablePointer<Int>,
                            tris: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
                            into part: inout ChunkMesh) {
        let cells = px - 1
        for jp in 0..<(py - 1) {
            edges.rowOffsets(jp: jp, into: rowOffsets)
            let l0 = lower + px * jp, l1 = l0 + px, u0 = upper + px * jp, u1 = u0 + px
            var ip = 0
            while ip < cells {
                // Eight cells at once: per column the four corner flags add up to 0…4, per
                // cell two columns to 0…8; all eight cells are inside or outside (0 or 8,
                // no low bits) and have no triangles.
                if ip &+ 8 <= cells {
                    let here = word(l0 + ip) &+ word(l1 + ip) &+ word(u0 + ip) &+ word(u1 + ip)
                    let next = word(l0 + ip + 1) &+ word(l1 + ip + 1) &+ word(u0 + ip + 1) &+ word(u1 + ip + 1)
                    if (here &+ next) & 0x0707_0707_0707_0707 == 0 {
                        ip &+= 8
                        continue
                    }
                }
                let end = min(ip &+ 8, cells)
                while ip < end {
                    let code = Int(l0[ip] | l0[ip &+ 1] << 1 | l1[ip] << 2 | l1[ip &+ 1] << 3
                        | u0[ip] << 4 | u0[ip &+ 1] << 5 | u1[ip] << 6 | u1[ip &+ 1] << 7)
                    if code != 0 && code != 255 {
                        var t = offsets[code]
                        let stop = offsets[code + 1]
                        while t < stop {
                            part.indices.append(ids[rowOffsets[Int(tris[t])] &+ ip])
                            t &+= 1
                        }
                    }
                    ip &+= 1
                }
            }
        }
    }
}

/// Eight flag bytes as one little-endian word.
@inline(__always)
private func word(_ p: UnsafePointer<UInt8>) -> UInt64 {
    UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
}

/// Calls `body(i)` for every i in 0..<count where a[i] != b[i] (flags are 0 or 1), in
/// increasing order, testing eight at a time. Reads up to 7 bytes past `count` in both.
@inline(__always)
private func forEachDifference(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int,
                               _ body: (Int) -> Void) {
    var i = 0
    while i < count {
        var differing = word(a + i) ^ word(b + i)
        if count - i < 8 { differing &= (1 << (8 * UInt64(count - i))) &- 1 }
        while differing != 0 {
            body(i &+ differing.trailingZeroBitCount >> 3)
            differing &= differing &- 1
        }
        i &+= 8
    }
}

/// Where the vertex of each of a cell's twelve edges is stored, as offsets from the start
/// of the id block that holds all five edge arrays (their order swaps from slab to slab).
struct EdgeTables {
    /// Offset of each edge's array: lower x, upper x for edges 0–3; lower y, upper y for
    /// 4–7; z for 8–11.
    private let arrayOffset: [Int]
    private let px: Int

    init(ids: UnsafePointer<UInt32>, lowerX: UnsafePointer<UInt32>, lowerY: UnsafePointer<UInt32>,
         upperX: UnsafePointer<UInt32>, upperY: UnsafePointer<UInt32>, z: UnsafePointer<UInt32>, px: Int) {
        self.px = px
        arrayOffset = (0..<12).map { e in
            let a = e & 3
            switch e >> 2 {
            case 0: return (a >> 1 == 0 ? lowerX : upperX) - ids
            case 1: return (a >> 1 == 0 ? lowerY : upperY) - ids
            default: return z - ids
            }
        }
    }

    /// For row `jp`, the offset of each edge's vertex id in the cell at ip = 0.
    @inline(__always)
    func rowOffsets(jp: Int, into out: UnsafeMutablePointer<Int>) {
        for e in 0..<12 {
            let a = e & 3
            let term: Int
            switch e >> 2 {
            case 0: term = (px - 1) * (jp + (a & 1))   // x edge at (0, dy, dz)
            case 1: term = (a & 1) + px * jp            // y edge at (dx, 0, dz)
            default: term = (a & 1) + px * (jp + (a >> 1))  // z edge at (dx, dy, 0)
            }
            out[e] = arrayOffset[e] + term
        }
    }
}
