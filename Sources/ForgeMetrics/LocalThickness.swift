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
    /// The same measures with thin features read from the level set (`SubvoxelThickness`):
    /// their true width, not the voxels' (nil where no level set was measured).
    public var subvoxel: SubvoxelSummary?

    public static let histogramBins = 24

    enum CodingKeys: String, CodingKey {
        case meanMM = "mean_mm"
        case minimumMM = "min_mm"
        case percentile5MM = "p5_mm"
        case maximumMM = "max_mm"
        case thinnestAtMM = "thinnest_at_mm"
        case histogram, subvoxel
    }

    /// The 5th percentile to judge by: the sub-voxel one when measured.
    public var judgedPercentile5MM: Double { subvoxel?.percentile5MM ?? percentile5MM }

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
}

/// Local thickness with thin features read below the voxel size.
public struct SubvoxelSummary: Sendable, Codable, Equatable {
    public var meanMM: Double
    public var minimumMM: Double
    public var percentile5MM: Double
    /// The 5th percentile in voxels of the grid it was measured on: below about 3, the
    /// voxels (and the mesh made from them) do not resolve the thinnest features.
    public var percentile5Voxels: Double
    public var thinnestAtMM: [Double]

    enum CodingKeys: String, CodingKey {
        case meanMM = "mean_mm"
        case minimumMM = "min_mm"
        case percentile5MM = "p5_mm"
        case percentile5Voxels = "p5_voxels"
        case thinnestAtMM = "thinnest_at_mm"
    }

    public init?(field: [Float], subvoxel: SubvoxelThickness, voxelSizeMM h: Double) {
        guard let summary = LocalThickness(field: subvoxel.applied(to: field), size: subvoxel.size, voxelSizeMM: h) else { return nil }
        meanMM = summary.meanMM
        minimumMM = summary.minimumMM
        percentile5MM = summary.percentile5MM
        percentile5Voxels = summary.percentile5MM / h
        thinnestAtMM = summary.thinnestAtMM
    }
}
