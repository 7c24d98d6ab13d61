import ForgeCore
import ForgeMorphology

/// Voxel-based measurements of a two-phase structure: two-point statistics, topology and
/// local thickness of the solid (bounded by the box) and of the pores.
public struct StructureMetrics: Sendable, Codable, Equatable {
    public var twoPoint: TwoPointStatistics
    public var topology: Topology
    public var solidThickness: LocalThickness?
    public var poreThickness: LocalThickness?

    enum CodingKeys: String, CodingKey {
        case twoPoint = "two_point"
        case topology
        case solidThickness = "solid_thickness"
        case poreThickness = "pore_thickness"
    }

    public init(of mask: VoxelMask, voxelSizeMM: Double) throws {
        twoPoint = try TwoPointStatistics(of: mask, voxelSizeMM: voxelSizeMM)
        topology = Topology(of: mask)
        solidThickness = LocalThickness(of: mask, voxelSizeMM: voxelSizeMM, outsideIsBoundary: true)
        poreThickness = LocalThickness(of: mask.inverted, voxelSizeMM: voxelSizeMM, outsideIsBoundary: false)
    }
}
