import ForgeCore
import ForgeMorphology
import Foundation

/// Local thickness (Hildebrand & Rüegsegger 1997): at each point of a phase, the diameter
/// of the largest ball inside the phase that contains the point.
public struct LocalThickness: Sendable, Codable, Equatable {
    public var meanMM: Double
    public var minimumMM: Double
    /// 5th percentile over the phase's voxels.
    public var percentile5MM: Double
    public var maximumMM: Double
    /// Centre (mm) of the voxel where the phase is thinnest.
    public var thinnestAtMM: [Double]
    /// Share of the phase's voxels in each of `histogramBins` equal bins from 0 to
    /// `maximumMM` (sums to 1).
    public var histogram: [Double]?

    public static let histogramBins = 24

    enum CodingKeys: String, CodingKey {
        case meanMM = "mean_mm"
        case minimumMM = "min_mm"
        case percentile5MM = "p5_mm"
        case maximumMM = "max_mm"
        case thinnestAtMM = "thinnest_at_mm"
        case histogram
    }

    /// Thickness of the set `mask`. With `outsideIsBoundary`, the box faces bound the phase
    /// (a printed part ends there); otherwise the phase continues beyond them.
    /// Distances are to voxel centres, so a plate of n voxels measures n (even n) or about
    /// n + 1 (odd n) voxels.
    public init?(of mask: VoxelMask, voxelSizeMM h: Double, outsideIsBoundary: Bool) {
        self.init(field: Self.field(of: mask, outsideIsBoundary: outsideIsBoundary), size: mask.size, voxelSizeMM: h)
    }

    /// Thickness of the complement of `mask` (the pores of a solid), without building it.
    public init?(ofComplementOf mask: VoxelMask, voxelSizeMM h: Double, outsideIsBoundary: Bool) {
        self.init(field: Self.field(ofComplementOf: mask, outsideIsBoundary: outsideIsBoundary),
                  size: mask.size, voxelSizeMM: h)
    }

    /// Summary of a thickness `field` (voxels, as `field(of:outsideIsBoundary:)` gives it:
    /// positive on the phase, 0 elsewhere) on a grid of `size`. Linear time: the 5th
    /// percentile is selected through a histogram of the values' bit patterns (ordered like
    /// the values, which are ≥ 0).
    public init?(field: [Float], size: GridSize, voxelSizeMM h: Double) {
        var count = 0, sum = 0.0, minimum = Float.infinity, maximum: Float = 0, where_ = 0
        var coarse = [Int](repeating: 0, count: 1 << 16)
        for i in field.indices where field[i] > 0 {
            let v = field[i]
            count += 1
            sum += Double(v)
            if v < minimum {
                minimum = v
                where_ = i
            }
            maximum = Swift.max(maximum, v)
            coarse[Int(v.bitPattern >> 16)] += 1
        }
        guard count > 0 else { return nil }
        let rank = Swift.max(0, Int(Double(count) * 0.05) - 1)
        var bin = 0, below = 0
        while below + coarse[bin] <= rank {
            below += coarse[bin]
            bin += 1
        }
        var inBin: [Float] = []
        for i in field.indices where field[i] > 0 && Int(field[i].bitPattern >> 16) == bin { inBin.append(field[i]) }
        inBin.sort()
        meanMM = sum / Double(count) * h
        minimumMM = Double(minimum) * h
        percentile5MM = Double(inBin[rank - below]) * h
        maximumMM = Double(maximum) * h
        let s = size
        let (x, y, z) = (where_ % s.nx, (where_ / s.nx) % s.ny, where_ / (s.nx * s.ny))
        thinnestAtMM = [x, y, z].map { (Double($0) + 0.5) * h }
        var bins = [Double](repeating: 0, count: Self.histogramBins)
        let top = Swift.max(maximum, 1e-6)
        for i in field.indices where field[i] > 0 {
            bins[Swift.min(Int(field[i] / top * Float(Self.histogramBins)), Self.histogramBins - 1)] += 1
        }
        histogram = bins.map { $0 / Double(count) }
    }

    /// Thickness in voxels at every voxel of the set (0 elsewhere): 2·max R(c) over the
    /// balls B(c, R(c)) that contain the voxel, R being the distance to the nearest voxel
    /// outside the set. Only ridge centres are painted — a ball inside a neighbour's ball
    /// adds nothing — and z slabs are painted in parallel, each by one task. One grid of
    /// floats holds the distances, then the radii, then the thickness.
    public static func field(of mask: VoxelMask, outsideIsBoundary: Bool) -> [Float] {
        thickness(radiiSquared: DistanceTransform.squaredDistance(toComplementOf: mask, outsideIsFeature: outsideIsBoundary),
                  size: mask.size)
    }

    /// `field(of:outsideIsBoundary:)` of the complement of `mask`.
    public static func field(ofComplementOf mask: VoxelMask, outsideIsBoundary: Bool) -> [Float] {
        thickness(radiiSquared: DistanceTransform.squaredDistance(to: mask, outsideIsFeature: outsideIsBoundary),
                  size: mask.size)
    }

    /// Turns squared distances to the phase's boundary (0 off the phase) into thickness.
    private static func thickness(radiiSquared radius: consuming [Float], size: GridSize) -> [Float] {
        let cap = Float(size.count)
        radius.withUnsafeMutableBufferPointer { r in
            for i in r.indices { r[i] = min(r[i].squareRoot(), cap) }
        }
        let ridge = ridgeCentres(radius: radius, size: size)
        // Every voxel lies at least in its own ball: the radii become diameters in place,
        // and painting raises them.
        var thickness = consume radius
        thickness.withUnsafeMutableBufferPointer { t in
            for i in t.indices { t[i] *= 2 }
        }
        let maxRadius = ridge.map(\.radius).max() ?? 0
        // Centres bucketed by z so each slab looks only at the balls that reach it.
        var byZ = [[RidgeCentre]](repeating: [], count: size.nz)
        for c in ridge { byZ[Int(c.z)].append(c) }
        let buckets = byZ
        let largest = Int(maxRadius * maxRadius + 0.5) + 1
        // halfWidths[m] = largest d with d² < m (−1 for m = 0: no voxel).
        let halfWidths = (0...largest).map { m -> Int32 in
            guard m > 0 else { return -1 }
            var d = Int(Double(m).squareRoot())
            while d * d >= m { d -= 1 }
            return Int32(d)
        }
        thickness.withUnsafeMutableBufferPointer { out in
            halfWidths.withUnsafeBufferPointer { widths in
                let t = SendablePointer(out.baseAddress!)
                let w = SendableReadOnlyPointer(widths.baseAddress!)
                parallelForRanges(size.nz) { zs in
                    let table = UnsafeBufferPointer(start: w.base, count: largest + 1)
                    let reach = Int(maxRadius.rounded(.up))
                    for cz in max(0, zs.lowerBound - reach)..<min(size.nz, zs.upperBound + reach) {
                        for c in buckets[cz] {
                            paint(c, into: t, size: size, slab: zs, halfWidths: table)
                        }
                    }
                }
            }
        }
        return thickness
    }

    struct RidgeCentre {
        let x: Int32, y: Int32, z: Int32
        let radius: Float

        init(x: Int, y: Int, z: Int, radius: Float) {
            (self.x, self.y, self.z, self.radius) = (Int32(x), Int32(y), Int32(z), radius)
        }
    }

    /// Slack (voxels) in the containment test: on a grid a neighbour one step deeper is rarely
    /// a full step further from the boundary, so exact containment keeps nearly every voxel.
    /// Dropping balls within half a voxel of containment changes thickness by at most a voxel.
    static let ridgeTolerance: Float = 0.5

    /// Voxels whose ball is not (within the tolerances) contained in the ball of one of
    /// their 26 neighbours. Face neighbours are tried first (they decide most voxels), and
    /// voxels off the box faces skip the bounds checks.
    static func ridgeCentres(radius: [Float], size: GridSize) -> [RidgeCentre] {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        var offsets: [(Int, Int, Int, Float)] = []
        for dz in -1...1 { for dy in -1...1 { for dx in -1...1 where dx != 0 || dy != 0 || dz != 0 {
            offsets.append((dx, dy, dz, Float(Double(dx * dx + dy * dy + dz * dz).squareRoot()) - ridgeTolerance))
        } } }
        offsets.sort { $0.3 < $1.3 }
        let neighbours = offsets
        let linear = neighbours.map { $0.0 + nx * ($0.1 + ny * $0.2) }
        let steps = neighbours.map(\.3)
        let chunks = parallelChunkCount(nz)
        let parts = ChunkSlots<[RidgeCentre]>(count: chunks, initial: [])
        radius.withUnsafeBufferPointer { buffer in
            let r = SendableReadOnlyPointer(buffer.baseAddress!)
            parallelForChunks(nz, chunks: chunks) { chunk, zs in
                var found: [RidgeCentre] = []
                for z in zs {
                    for y in 0..<ny {
                        let interiorRow = z > 0 && z < nz - 1 && y > 0 && y < ny - 1
                        for x in 0..<nx {
                            let i = x &+ nx &* (y &+ ny &* z)
                            let here = r.base[i]
                            guard here > 0 else { continue }
                            var contained = false
                            if interiorRow && x > 0 && x < nx - 1 {
                                for n in 0..<26 where r.base[i &+ linear[n]] >= here + steps[n] {
                                    contained = true
                                    break
                                }
                            } else {
                                for (dx, dy, dz, step) in neighbours {
                                    let (qx, qy, qz) = (x + dx, y + dy, z + dz)
                                    guard qx >= 0, qx < nx, qy >= 0, qy < ny, qz >= 0, qz < nz else { continue }
                                    if r.base[qx + nx * (qy + ny * qz)] >= here + step {
                                        contained = true
                                        break
                                    }
                                }
                            }
                            if !contained { found.append(RidgeCentre(x: x, y: y, z: z, radius: here)) }
                        }
                    }
                }
                parts.store(found, at: chunk)
            }
        }
        return parts.values.flatMap { $0 }
    }

    /// Raises the thickness of every voxel of the slab inside the open ball of `c` to 2R.
    /// Squared radii are whole numbers (squared distances between voxel centres), so each
    /// row's half-width comes from `halfWidths`: the largest d with d² < m is halfWidths[m].
    private static func paint(_ c: RidgeCentre, into t: SendablePointer<Float>, size: GridSize, slab: Range<Int>,
                              halfWidths: UnsafeBufferPointer<Int32>) {
        let (cx, cy, cz) = (Int(c.x), Int(c.y), Int(c.z))
        let r2 = Int(c.radius * c.radius + 0.5), value = 2 * c.radius
        let reach = Int(halfWidths[r2])
        let z0 = max(slab.lowerBound, cz - reach), z1 = min(slab.upperBound, cz + reach + 1)
        guard z0 < z1 else { return }
        for z in z0..<z1 {
            let ryz2 = r2 - (z - cz) * (z - cz)
            let reachY = Int(halfWidths[ryz2])
            let rowBase = t.base + size.nx * size.ny * z
            for y in max(0, cy - reachY)...min(size.ny - 1, cy + reachY) {
                let half = Int(halfWidths[ryz2 - (y - cy) * (y - cy)])
                let row = rowBase + size.nx * y
                raise(row, from: max(0, cx - half), through: min(size.nx - 1, cx + half), to: value)
            }
        }
    }

    /// row[x] = max(row[x], value) for x in first...last. Rows of 4 to 16 (most rows of most
    /// balls) take two overlapping vector steps; longer rows go 8 wide, then one at a time.
    @inline(__always)
    private static func raise(_ row: UnsafeMutablePointer<Float>, from first: Int, through last: Int, to value: Float) {
        let length = last &- first &+ 1
        if length >= 8 && length <= 16 {
            // Two overlapping 8-wide steps, both loaded before either is stored, so the
            // overlap gets the same maximum twice and no load waits on a store.
            let a = UnsafeMutableRawPointer(row + first), b = UnsafeMutableRawPointer(row + (last &- 7))
            var u = a.loadUnaligned(as: SIMD8<Float>.self), v = b.loadUnaligned(as: SIMD8<Float>.self)
            u.replace(with: SIMD8(repeating: value), where: u .< value)
            v.replace(with: SIMD8(repeating: value), where: v .< value)
            a.storeBytes(of: u, as: SIMD8<Float>.self)
            b.storeBytes(of: v, as: SIMD8<Float>.self)
            return
        }
        if length >= 4 && length < 8 {
            let a = UnsafeMutableRawPointer(row + first), b = UnsafeMutableRawPointer(row + (last &- 3))
            var u = a.loadUnaligned(as: SIMD4<Float>.self), v = b.loadUnaligned(as: SIMD4<Float>.self)
            u.replace(with: SIMD4(repeating: value), where: u .< value)
            v.replace(with: SIMD4(repeating: value), where: v .< value)
            a.storeBytes(of: u, as: SIMD4<Float>.self)
            b.storeBytes(of: v, as: SIMD4<Float>.self)
            return
        }
        var x = first
        while x &+ 8 <= last &+ 1 {
            let at = UnsafeMutableRawPointer(row + x)
            var v = at.loadUnaligned(as: SIMD8<Float>.self)
            v.replace(with: SIMD8(repeating: value), where: v .< value)
            at.storeBytes(of: v, as: SIMD8<Float>.self)
            x &+= 8
        }
        while x <= last {
            row[x] = Swift.max(row[x], value)
            x &+= 1
        }
    }
}
