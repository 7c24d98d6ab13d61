import ForgeCore
import ForgeMorphology

/// Simulated intrusion porosimetry (mercury intrusion, or a non-wetting resin filling the
/// part from outside): the pore-size distribution as the pores can be reached from the box
/// faces, not merely as they are wide.
///
/// A sphere of radius r enters from any box face and moves through the pores wherever it
/// fits; a pore voxel is intruded at the largest r whose sphere can reach and cover it.
/// With R(c) the pores' distance to the solid at voxel c and B(c) the largest r for which a
/// chain of face-connected voxels with R ≥ r runs from a face to c (the path's bottleneck,
/// found by a flood from the faces in decreasing R through a bucket queue), voxel x is
/// intruded at max B(c) over the balls |x − c| < B(c) — local thickness painting with B for
/// R (`LocalThickness`), by the centres on the edges of B's level sets alone. This is PoreSpy's `porosimetry` (inlets on every face) with every
/// radius at once instead of a list of sizes. Pores no sphere reaches (enclosed) read 0.
public struct Porosimetry: Sendable, Codable, Equatable {
    /// Sphere diameters (mm), from 0 to the largest intruded, in `bins` equal steps.
    public var diameterMM: [Double]
    /// Share of the pore volume intruded by spheres of at least each diameter.
    public var intrudedFraction: [Double]
    /// The diameter at which half of the pore volume is intruded (mm).
    public var medianDiameterMM: Double
    /// Share of the pore volume no sphere reaches from outside.
    public var unreachedFraction: Double
    /// Voxel size of the grid the intrusion was simulated on (coarser for large designs).
    public var voxelSizeMM: Double

    public static let bins = 24

    enum CodingKeys: String, CodingKey {
        case diameterMM = "diameter_mm"
        case intrudedFraction = "intruded_fraction"
        case medianDiameterMM = "median_diameter_mm"
        case unreachedFraction = "unreached_fraction"
        case voxelSizeMM = "voxel_size_mm"
    }

    public init?(of mask: VoxelMask, voxelSizeMM h: Double) {
        let diameters = Self.intrusionField(of: mask)
        var values: [Float] = []
        values.reserveCapacity(mask.size.count / 2)
        for i in diameters.indices where mask.bits[i] == 0 { values.append(diameters[i]) }
        guard !values.isEmpty else { return nil }
        values.sort()
        let total = Double(values.count)
        let largest = Double(values.last ?? 0)
        diameterMM = (0...Self.bins).map { largest * Double($0) / Double(Self.bins) * h }
        intrudedFraction = (0...Self.bins).map { k in
            let d = Float(largest * Double(k) / Double(Self.bins))
            // Voxels intruded at a diameter of at least d (0 is not intruded).
            let below = Self.partition(values) { $0 < max(d, Float.leastNonzeroMagnitude) }
            return (total - Double(below)) / total
        }
        medianDiameterMM = Double(values[values.count / 2]) * h
        voxelSizeMM = h
        unreachedFraction = Double(Self.partition(values) { $0 <= 0 }) / total
    }

    /// The number of leading elements of sorted `values` that satisfy `belongs`.
    private static func partition(_ values: [Float], _ belongs: (Float) -> Bool) -> Int {
        var low = 0, high = values.count
        while low < high {
            let mid = (low + high) / 2
            if belongs(values[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Per voxel, the diameter (voxels) of the largest sphere from outside that covers it:
    /// 0 on the solid and in pores no sphere reaches.
    public static func intrusionField(of mask: VoxelMask) -> [Float] {
        let size = mask.size
        let radius = DistanceTransform.squaredDistance(to: mask, outsideIsFeature: false)
        guard let top = radius.max(), top < DistanceTransform.unreachable, top > 0 else {
            return [Float](repeating: 0, count: size.count)
        }
        let bottleneck = Self.bottlenecks(radiusSquared: radius, size: size, largest: Int(top))
        return LocalThickness.thickness(radiiSquared: bottleneck, size: size, levelEdgesOnly: true)
    }

    /// B² per voxel: the largest squared radius r² for which a face-connected chain of
    /// voxels with R² ≥ r² leads from a box face to it (0 where none does). A flood from the
    /// face voxels, level by level downwards: a voxel is queued once, at its final level, in
    /// that level's stack, kept as a list threaded through one index per voxel.
    static func bottlenecks(radiusSquared radius: [Float], size: GridSize, largest: Int) -> [Float] {
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let plane = nx * ny, planar = nz == 1
        var level = [Float](repeating: 0, count: size.count)
        var next = [Int32](repeating: -1, count: size.count)
        var heads = [Int32](repeating: -1, count: largest + 1)
        radius.withUnsafeBufferPointer { r in
            level.withUnsafeMutableBufferPointer { level in
                next.withUnsafeMutableBufferPointer { next in
                    heads.withUnsafeMutableBufferPointer { heads in
                        @inline(__always) func queue(_ i: Int, _ key: Float) {
                            level[i] = key
                            let k = Int(key)
                            next[i] = heads[k]
                            heads[k] = Int32(truncatingIfNeeded: i)
                        }
                        for z in 0..<nz {
                            let zFace = !planar && (z == 0 || z == nz - 1)
                            for y in 0..<ny {
                                let row = z * plane + y * nx
                                if zFace || y == 0 || y == ny - 1 {
                                    for x in 0..<nx where r[row + x] > 0 { queue(row + x, r[row + x]) }
                                } else {
                                    if r[row] > 0 { queue(row, r[row]) }
                                    if nx > 1 && r[row + nx - 1] > 0 { queue(row + nx - 1, r[row + nx - 1]) }
                                }
                            }
                        }
                        var key = largest
                        while key > 0 {
                            let head = heads[key]
                            guard head >= 0 else {
                                key -= 1
                                continue
                            }
                            let i = Int(head)
                            heads[key] = next[i]
                            let x = i % nx, y = (i / nx) % ny, z = i / plane
                            let current = Float(key)
                            @inline(__always) func visit(_ j: Int) {
                                let rj = r[j]
                                guard level[j] == 0, rj > 0 else { return }
                                queue(j, min(current, rj))
                            }
                            if x > 0 { visit(i - 1) }
                            if x < nx - 1 { visit(i + 1) }
                            if y > 0 { visit(i - nx) }
                            if y < ny - 1 { visit(i + nx) }
                            if !planar {
                                if z > 0 { visit(i - plane) }
                                if z < nz - 1 { visit(i + plane) }
                            }
                        }
                    }
                }
            }
        }
        return level
    }
}
