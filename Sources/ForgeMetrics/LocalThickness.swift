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

    enum CodingKeys: String, CodingKey {
        case meanMM = "mean_mm"
        case minimumMM = "min_mm"
        case percentile5MM = "p5_mm"
        case maximumMM = "max_mm"
        case thinnestAtMM = "thinnest_at_mm"
    }

    /// Thickness of the set `mask`. With `outsideIsBoundary`, the box faces bound the phase
    /// (a printed part ends there); otherwise the phase continues beyond them.
    /// Ball radii are resolved to half a voxel; distances are to voxel centres, so a plate of
    /// n voxels measures n (even n) or n + 1 (odd n) voxels.
    public init?(of mask: VoxelMask, voxelSizeMM h: Double, outsideIsBoundary: Bool) {
        let field = Self.field(of: mask, outsideIsBoundary: outsideIsBoundary)
        var values: [Float] = []
        values.reserveCapacity(mask.count)
        var minimum = Float.infinity, where_ = 0
        for i in field.indices where mask.bits[i] != 0 {
            values.append(field[i])
            if field[i] < minimum {
                minimum = field[i]
                where_ = i
            }
        }
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let k = max(0, Int(Double(values.count) * 0.05) - 1)
        var sorted = values
        sorted.sort()
        meanMM = mean * h
        minimumMM = Double(minimum) * h
        percentile5MM = Double(sorted[k]) * h
        maximumMM = Double(sorted.last!) * h
        let s = mask.size
        let (x, y, z) = (where_ % s.nx, (where_ / s.nx) % s.ny, where_ / (s.nx * s.ny))
        thinnestAtMM = [x, y, z].map { (Double($0) + 0.5) * h }
    }

    /// Thickness in voxels at every voxel of the set (0 elsewhere).
    public static func field(of mask: VoxelMask, outsideIsBoundary: Bool) -> [Float] {
        let toBoundary = DistanceTransform.squaredDistance(to: mask.inverted, outsideIsFeature: outsideIsBoundary)
        let radius = zip(mask.bits, toBoundary).map { $0 != 0 ? min($1.squareRoot(), 1e6) : 0 }
        let levels = Set(radius.filter { $0 > 0 }.map { ($0 * 2).rounded(.down) / 2 }).sorted(by: >)
        var thickness = [Float](repeating: 0, count: mask.size.count)
        var remaining = mask.count
        for r in levels where remaining > 0 {
            let seeds = VoxelMask(size: mask.size, bits: radius.map { $0 >= r ? 1 : 0 })
            let toSeeds = DistanceTransform.squaredDistance(to: seeds, outsideIsFeature: false)
            let reach = r * r
            for i in thickness.indices where thickness[i] == 0 && mask.bits[i] != 0 && toSeeds[i] < reach {
                thickness[i] = 2 * r
                remaining -= 1
            }
        }
        return thickness
    }
}
