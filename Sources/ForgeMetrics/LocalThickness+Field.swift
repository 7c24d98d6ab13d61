import ForgeCore
import ForgeMorphology

extension LocalThickness {
    /// Thickness in voxels at every voxel of the set (0 elsewhere): 2·max R(c) over the
    /// balls B(c, R(c)) that contain the voxel, R being the distance to the nearest voxel
    /// outside the set. Only ridge centres are painted — a ball inside a neighbour's ball
    /// adds nothing — each only on the planes where the disc of no neighbour above or below
    /// holds its own, and only on the rows that no row of a neighbour along y holds. Each z
    /// plane is painted by one task, the sections of the balls that reach it one disc at a
    /// time. One grid of floats holds the squared distances, then the thickness.
    public static func field(of mask: VoxelMask, outsideIsBoundary: Bool) -> [Float] {
        thickness(radiiSquared: DistanceTransform.squaredDistance(toComplementOf: mask, outsideIsFeature: outsideIsBoundary),
                  size: mask.size)
    }

    /// `field(of:outsideIsBoundary:)` of the complement of `mask`.
    public static func field(ofComplementOf mask: VoxelMask, outsideIsBoundary: Bool) -> [Float] {
        thickness(radiiSquared: DistanceTransform.squaredDistance(to: mask, outsideIsFeature: outsideIsBoundary),
                  size: mask.size)
    }

    /// `field(ofComplementOf:outsideIsBoundary: false)` of a periodic structure read as the
    /// tiling it is: distances wrap around the box, and balls that cross a face paint the
    /// far side too, so pores at the faces read as inside.
    ///
    /// The mask is padded on every side by wrapping it, P voxels deep, and its distance
    /// transform taken: within P/2 of the box it is the periodic one wherever the largest
    /// radius R there is at most P/2 (a nearest solid voxel lies within R, inside the
    /// padding). The grid R deep around the box is then painted (every ball that reaches the
    /// box has its centre and its true radius in it) and its middle kept. P starts at a
    /// quarter of the shortest axis (4 to 32), or at twice the radius `radiusHint` gives and
    /// 2 (see `periodicRadiusHint`), and is doubled while it falls short; where the padded
    /// grid would be over eight times the box (pores about as wide as the box; small grids
    /// may grow to 2 M voxels), nil.
    public static func periodicField(ofComplementOf mask: VoxelMask, radiusHint: Float? = nil) -> [Float]? {
        let size = mask.size
        let planar = size.isPlanar
        let shortest = planar ? min(size.nx, size.ny) : min(size.nx, size.ny, size.nz)
        var pad = max(4, min(32, shortest / 4))
        if let hint = radiusHint, hint > 0, hint < DistanceTransform.unreachable {
            pad = max(4, 2 * Int(Double(hint).squareRoot().rounded(.up)) + 2)
        }
        while true {
            let padded = GridSize(nx: size.nx + 2 * pad, ny: size.ny + 2 * pad, nz: planar ? 1 : size.nz + 2 * pad)
            guard padded.count <= max(8 * size.count, 1 << 21) else { return nil }
            let distances = DistanceTransform.squaredDistance(to: wrapped(mask, pad: pad, into: padded), outsideIsFeature: false)
            // The largest radius within P/2 of the box.
            let ring = pad / 2
            var largest: Float = 0
            for z in (planar ? 0 : pad - ring)..<(planar ? 1 : pad + size.nz + ring) {
                for y in (pad - ring)..<(pad + size.ny + ring) {
                    let row = (z * padded.ny + y) * padded.nx
                    for x in (pad - ring)..<(pad + size.nx + ring) { largest = max(largest, distances[row + x]) }
                }
            }
            guard largest < DistanceTransform.unreachable else { return [Float](repeating: 0, count: size.count) }
            let radius = Int(Double(largest).squareRoot().rounded(.up))
            guard radius <= ring else {
                pad = max(2 * pad, 2 * radius + 2)
                continue
            }
            // Paint the grid `radius + 1` deep around the box.
            let margin = radius + 1, skip = pad - margin
            let painted = GridSize(nx: size.nx + 2 * margin, ny: size.ny + 2 * margin, nz: planar ? 1 : size.nz + 2 * margin)
            var radii = [Float](repeating: 0, count: painted.count)
            for z in 0..<painted.nz {
                for y in 0..<painted.ny {
                    let from = ((z + (planar ? 0 : skip)) * padded.ny + y + skip) * padded.nx + skip, to = (z * painted.ny + y) * painted.nx
                    for x in 0..<painted.nx { radii[to + x] = distances[from + x] }
                }
            }
            let thick = thickness(radiiSquared: radii, size: painted)
            var out = [Float](repeating: 0, count: size.count)
            for z in 0..<size.nz {
                for y in 0..<size.ny {
                    let from = ((z + (planar ? 0 : margin)) * painted.ny + y + margin) * painted.nx + margin, to = (z * size.ny + y) * size.nx
                    for x in 0..<size.nx { out[to + x] = thick[from + x] }
                }
            }
            return out
        }
    }

    /// The largest squared radius among the pores' unwrapped squared distances
    /// (`squaredDistances`, on `size`) that wrapping leaves as it is: those no farther from
    /// their nearest solid than from the nearest face of the box, where the solid beyond the
    /// face cannot be nearer. The periodic distances reach at least this far, so a padding
    /// of twice it is the least worth trying.
    public static func periodicRadiusHint(_ squaredDistances: [Float], size: GridSize) -> Float {
        let planar = size.isPlanar
        var largest: Float = 0
        squaredDistances.withUnsafeBufferPointer { d in
            for z in 0..<size.nz {
                let dz = planar ? Int.max : min(z + 1, size.nz - z)
                for y in 0..<size.ny {
                    let dyz = min(dz, y + 1, size.ny - y)
                    let row = (z * size.ny + y) * size.nx
                    for x in 0..<size.nx {
                        let face = min(dyz, x + 1, size.nx - x)
                        let value = d[row + x]
                        if value > largest, value <= Float(face * face) { largest = value }
                    }
                }
            }
        }
        return largest
    }

    /// `mask` on a grid `pad` deeper on every side, the padding filled by wrapping.
    private static func wrapped(_ mask: VoxelMask, pad: Int, into padded: GridSize) -> VoxelMask {
        let size = mask.size, planar = size.isPlanar
        var bits = [UInt8](repeating: 0, count: padded.count)
        @inline(__always) func wrap(_ i: Int, _ n: Int) -> Int { ((i % n) + n) % n }
        let columns = (0..<padded.nx).map { wrap($0 - pad, size.nx) }
        for z in 0..<padded.nz {
            let sz = planar ? 0 : wrap(z - pad, size.nz)
            for y in 0..<padded.ny {
                let from = (sz * size.ny + wrap(y - pad, size.ny)) * size.nx, to = (z * padded.ny + y) * padded.nx
                for x in 0..<padded.nx { bits[to + x] = mask.bits[from + columns[x]] }
            }
        }
        return VoxelMask(size: padded, bits: bits)
    }

    /// Turns squared distances to the phase's boundary (0 off the phase) into thickness.
    /// A phase with no boundary at all (it fills a box whose faces do not bound it) has no
    /// finite thickness: the field is then 0 everywhere, as for an empty phase.
    ///
    /// `levelEdgesOnly`: the radii are piecewise constant (bottlenecks, `Porosimetry`), and
    /// only centres with a face neighbour of smaller radius paint. That loses nothing: a
    /// voxel x outside the set S of radii ≥ r whose nearest voxel of S lies within r has that
    /// nearest voxel on S's edge (a voxel of S one step closer to x would be nearer), and
    /// neither a neighbour's larger ball nor the rows and planes left to a neighbour (which
    /// would be nearer still) takes x from it.
    static func thickness(radiiSquared radius: consuming [Float], size: GridSize, levelEdgesOnly: Bool = false) -> [Float] {
        if radius.first.map({ $0 >= DistanceTransform.unreachable }) ?? true {
            return [Float](repeating: 0, count: size.count)
        }
        // Centres come in z order; each plane's run is sorted by radius, largest first, so a
        // plane takes from each nearby run only the balls that reach it.
        var found = ridgeCentres(radiusSquared: radius, size: size)
        guard !found.centres.isEmpty else { return radius }  // an empty phase: 0 everywhere
        if levelEdgesOnly { found = Self.onLevelEdges(found, radiusSquared: radius, size: size) }
        var ridge = found.centres
        let runs = found.runs
        ridge.withUnsafeMutableBufferPointer { all in
            let base = SendablePointer(all.baseAddress!)
            parallelForRanges(size.nz) { zs in
                for z in zs {
                    var run = UnsafeMutableBufferPointer(start: base.base + runs[z], count: runs[z + 1] - runs[z])
                    run.sort { $0.radiusSquared > $1.radiusSquared }
                }
            }
        }
        let largest = found.largest
        // halfWidths[m] = largest d with d² < m (−1 for m = 0: no voxel).
        let halfWidths = (0...largest).map { m -> Int32 in
            guard m > 0 else { return -1 }
            var d = Int(Double(m).squareRoot())
            while d * d >= m { d -= 1 }
            return Int32(d)
        }
        // Every voxel lies at least in its own ball: the squared radii become diameters in
        // place, and painting raises them, one plane at a time so the rows a plane's discs
        // raise stay in cache.
        var thickness = consume radius
        thickness.withUnsafeMutableBufferPointer { out in
            ridge.withUnsafeBufferPointer { centres in
                halfWidths.withUnsafeBufferPointer { widths in
                    let t = SendablePointer(out.baseAddress!)
                    let r = SendableReadOnlyPointer(centres.baseAddress!)
                    let w = SendableReadOnlyPointer(widths.baseAddress!)
                    parallelForRanges(size.nz) { zs in
                        let table = UnsafeBufferPointer(start: w.base, count: largest + 1)
                        let painter = PlanePainter(size: size, reach: Int(table[largest]))
                        defer { painter.release() }
                        let planeSize = size.nx * size.ny
                        for z in zs {
                            let plane = t.base + planeSize * z
                            for i in 0..<planeSize { plane[i] = 2 * plane[i].squareRoot() }
                            painter.paint(plane, z: z, centres: r.base, runs: runs, largest: largest, halfWidths: table)
                        }
                    }
                }
            }
        }
        return thickness
    }

    /// The centres with a face neighbour in the box whose squared radius is smaller.
    private static func onLevelEdges(_ found: (centres: [RidgeCentre], runs: [Int], largest: Int), radiusSquared r: [Float],
                                     size: GridSize) -> (centres: [RidgeCentre], runs: [Int], largest: Int) {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        var centres: [RidgeCentre] = []
        var runs = [0]
        runs.reserveCapacity(nz + 1)
        for z in 0..<nz {
            for c in found.centres[found.runs[z]..<found.runs[z + 1]] {
                let x = Int(c.x), y = Int(c.y)
                let i = x + nx * (y + ny * z), here = r[i]
                let onEdge = (x > 0 && r[i - 1] < here) || (x < nx - 1 && r[i + 1] < here)
                    || (y > 0 && r[i - nx] < here) || (y < ny - 1 && r[i + nx] < here)
                    || (z > 0 && r[i - nx * ny] < here) || (z < nz - 1 && r[i + nx * ny] < here)
                if onEdge { centres.append(c) }
            }
            runs.append(centres.count)
        }
        return (centres, runs, found.largest)
    }

    /// A ball's centre and its squared radius, a whole number (a squared distance between
    /// voxel centres).
    /// Its plane cz is the run of `ridgeCentres` it lies in. It paints only the planes
    /// cz − below < z < cz + above (`PaintedPlanes`), and in each plane not the rows that
    /// `rowsCut` names.
    struct RidgeCentre {
        let x: Int32, y: Int32
        let radiusSquared: Int32
        let above: UInt16, below: UInt16
        /// Bit 0: its rows past its centre's (y > c.y) are left to the voxel at y + 1, whose
        /// ball is at least as large; bit 1: those before it (y < c.y), to the voxel at y − 1.
        let rowsCut: UInt8

        var diameter: Float { 2 * Float(radiusSquared).squareRoot() }
    }

    /// Voxels whose ball lies inside the ball of none of their 26 neighbours
    /// (`BallContainment`: exactly, as sets of voxels), from the squared radii. Voxels off
    /// the box faces are tested eight at a time (`RidgeRowTest`), those on them with bounds
    /// checks. (Looking two steps away as well drops only 4% more.) Each
    /// centre carries the planes and rows it must paint (`PaintedPlanes`). The centres come
    /// in z order, those of plane z at `runs[z]..<runs[z + 1]`; `largest` is the largest
    /// squared radius of the grid, which no centre exceeds.
    static func ridgeCentres(radiusSquared: [Float], size: GridSize) -> (centres: [RidgeCentre], runs: [Int], largest: Int) {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        var nearby: [SIMD3<Int>] = []
        for dz in -1...1 { for dy in -1...1 { for dx in -1...1 where dx != 0 || dy != 0 || dz != 0 {
            nearby.append(SIMD3(dx, dy, dz))
        } } }
        // Faces (6), then edges (12), then corners (8): classes 0, 1 and 2.
        let steps = nearby.sorted { ($0 &* $0).wrappedSum() < ($1 &* $1).wrappedSum() }
        let largest = Int(radiusSquared.max() ?? 0)
        let containment = BallContainment(steps: steps, largest: largest)
        let classOf = steps.map { containment.classIndex(of: $0) }
        let painted = PaintedPlanes(size: size, largest: largest)
        defer { painted.release() }
        let chunks = parallelChunkCount(nz)
        let parts = ChunkSlots<[RidgeCentre]>(count: chunks, initial: [])
        var runs = [Int](repeating: 0, count: nz + 1)
        runs.withUnsafeMutableBufferPointer { counts in
          let perPlane = SendablePointer(counts.baseAddress!)
          radiusSquared.withUnsafeBufferPointer { buffer in
            containment.least.withUnsafeBufferPointer { least in
                let r = SendableReadOnlyPointer(buffer.baseAddress!)
                let table = SendableReadOnlyPointer(least.baseAddress!)
                parallelForChunks(nz, chunks: chunks) { chunk, zs in
                    let rowTest = RidgeRowTest(size: size, steps: steps)
                    defer { rowTest.release() }
                    var found: [RidgeCentre] = []
                    func keep(x: Int, y: Int, z: Int, m here: Float) {
                        let i = x &+ nx &* (y &+ ny &* z)
                        let (above, below) = painted.planes(i, x: x, y: y, z: z, m: here, r: r.base)
                        let rowsCut = painted.rowsCut(i, y: y, m: here, r: r.base)
                        found.append(RidgeCentre(x: Int32(x), y: Int32(y), radiusSquared: Int32(here),
                                                 above: UInt16(above), below: UInt16(below), rowsCut: rowsCut))
                    }
                    // The ridge test with bounds checks, for voxels on the box faces.
                    func test(x: Int, y: Int, z: Int) {
                        let here = r.base[x &+ nx &* (y &+ ny &* z)]
                        guard here > 0 else { return }
                        for n in 0..<26 {
                            let q = SIMD3(x, y, z) &+ steps[n]
                            guard q.x >= 0, q.x < nx, q.y >= 0, q.y < ny, q.z >= 0, q.z < nz else { continue }
                            if r.base[q.x + nx * (q.y + ny * q.z)] >= containment.needs(here, stepClass: classOf[n], table: table.base) {
                                return
                            }
                        }
                        keep(x: x, y: y, z: z, m: here)
                    }
                    for z in zs {
                        let before = found.count
                        defer { perPlane[z + 1] = found.count - before }
                        for y in 0..<ny {
                            guard z > 0 && z < nz - 1 && y > 0 && y < ny - 1 && nx > 2 else {
                                for x in 0..<nx { test(x: x, y: y, z: z) }
                                continue
                            }
                            test(x: 0, y: y, z: z)
                            rowTest.forEachRidgeVoxel(in: r.base + nx * (y + ny * z), containment: containment, table: table.base) {
                                keep(x: $0, y: y, z: z, m: $1)
                            }
                            test(x: nx - 1, y: y, z: z)
                        }
                    }
                    parts.store(found, at: chunk)
                }
            }
          }
        }
        for z in 0..<nz { runs[z + 1] += runs[z] }
        let centres = [RidgeCentre](onHugePages: runs[nz]) { out in
            var next = 0
            for chunk in 0..<chunks {
                let part = parts.take(chunk, leaving: [])
                _ = UnsafeMutableBufferPointer(rebasing: out[next..<next + part.count]).initialize(from: part)
                next += part.count
            }
        }
        return (centres, runs, largest)
    }
}
