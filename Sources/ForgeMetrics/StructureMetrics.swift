import ForgeCore
import ForgeMorphology

/// Voxel-based measurements of a two-phase structure: two-point statistics, topology and
/// local thickness of the solid (bounded by the box) and of the pores.
public struct StructureMetrics: Sendable, Codable, Equatable {
    public var twoPoint: TwoPointStatistics
    public var topology: Topology
    public var solidThickness: LocalThickness?
    public var poreThickness: LocalThickness?
    /// Voxel size of the grid local thickness was measured on (coarser for large designs).
    public var thicknessVoxelSizeMM: Double
    /// The pores of a periodic design are read across the box faces, as in the tiling
    /// (otherwise they run on past the faces unbounded).
    public var poreThicknessPeriodic: Bool?
    /// Pore sizes as a sphere from outside reaches them (on the thickness grid).
    public var porosimetry: Porosimetry?
    /// Chord lengths and lineal-path functions of both phases along each axis.
    public var chords: ChordStatistics?
    /// The solid's mean-intercept-length fabric tensor.
    public var fabric: FabricTensor?

    /// Largest voxel count on which local thickness is measured at full resolution (256³).
    public static let thicknessVoxelLimit = 1 << 24
    /// The largest grid (voxels) intrusion is simulated on; larger masks are halved.
    public static let porosimetryVoxelLimit = 1 << 22

    enum CodingKeys: String, CodingKey {
        case twoPoint = "two_point"
        case topology
        case solidThickness = "solid_thickness"
        case poreThickness = "pore_thickness"
        case thicknessVoxelSizeMM = "thickness_voxel_size_mm"
        case poreThicknessPeriodic = "pore_thickness_periodic"
        case porosimetry, chords, fabric
    }

    public init(of mask: VoxelMask, voxelSizeMM: Double, subvoxel: SubvoxelThickness? = nil, trendAxis: Axis? = nil,
                periodic: Bool = false) throws {
        var unused: ThicknessMap?
        try self.init(of: mask, voxelSizeMM: voxelSizeMM, subvoxel: subvoxel, trendAxis: trendAxis, periodic: periodic,
                      solidThicknessMap: &unused)
    }

    /// Measures `mask` and hands back the solid's thickness map (for colouring renders)
    /// when `keepingThicknessMap`; otherwise the map is dropped as soon as it is summarised.
    /// `subvoxel`, read from the level set the mask was cut from, adds the sub-voxel
    /// thickness of thin features to both phases' summaries.
    /// `periodic`: the structure is a unit cell that tiles (its pores are read across the faces).
    public init(of mask: VoxelMask, voxelSizeMM: Double, subvoxel: SubvoxelThickness? = nil, trendAxis: Axis? = nil,
                periodic: Bool = false, solidThicknessMap: inout ThicknessMap?, keepingThicknessMap: Bool = true) throws {
        twoPoint = try TwoPointStatistics(of: mask, voxelSizeMM: voxelSizeMM, trendAxis: trendAxis)
        topology = Topology(of: mask)
        chords = ChordStatistics(of: mask, voxelSizeMM: voxelSizeMM)
        fabric = FabricTensor(of: mask, voxelSizeMM: voxelSizeMM)
        // Above `thicknessVoxelLimit` voxels, local thickness is measured on a grid halved as
        // often as needed: its cost grows with the volume of the balls it paints.
        var coarse = mask, h = voxelSizeMM, thin = subvoxel
        while coarse.size.count > Self.thicknessVoxelLimit && coarse.size.nx >= 16 {
            coarse = coarse.halved()
            thin = thin?.halved()
            h *= 2
        }
        thicknessVoxelSizeMM = h
        let solidField = LocalThickness.field(of: coarse, outsideIsBoundary: true)
        solidThickness = LocalThickness(field: solidField, size: coarse.size, voxelSizeMM: h)
        if let thin { solidThickness?.subvoxel = SubvoxelSummary(field: solidField, subvoxel: thin, voxelSizeMM: h) }
        solidThicknessMap = keepingThicknessMap ? ThicknessMap(size: coarse.size, voxelSizeMM: h, valuesVoxels: solidField) : nil
        // A periodic cell's pores continue into its neighbours' across every face.
        let periodicPores = periodic ? LocalThickness.periodicField(ofComplementOf: coarse) : nil
        poreThicknessPeriodic = periodicPores != nil
        let poreField = periodicPores ?? LocalThickness.field(ofComplementOf: coarse, outsideIsBoundary: false)
        poreThickness = LocalThickness(field: poreField, size: coarse.size, voxelSizeMM: h)
        if let thin { poreThickness?.subvoxel = SubvoxelSummary(field: poreField, subvoxel: thin, voxelSizeMM: h) }
        // Intrusion floods the pores voxel by voxel in order of width, wherever that leads
        // (memory-bound): above `porosimetryVoxelLimit` voxels it runs on a grid halved again.
        var pores = coarse, poresH = h
        while pores.size.count > Self.porosimetryVoxelLimit && pores.size.nx >= 16 {
            pores = pores.halved()
            poresH *= 2
        }
        porosimetry = Porosimetry(of: pores, voxelSizeMM: poresH)
    }
}
