import ForgeCore
import ForgeMorphology

/// Voxel-based measurements of a two-phase structure: two-point statistics, topology and
/// local thickness of the solid (bounded by the box) and of the pores.
public struct StructureMetrics: Sendable, Codable, Equatable {
    public var twoPoint: TwoPointStatistics
    public var topology: Topology
    public var solidThickness: LocalThickness?
    public var poreThickness: LocalThickness?
    /// Voxel size of the grid the solid's local thickness was measured on (coarser for
    /// large designs and for solids wider than `thicknessRadiusLimit` voxels).
    public var thicknessVoxelSizeMM: Double
    /// Voxel size of the grid the pores' local thickness was measured on (nil in files
    /// written before the phases had grids of their own).
    public var poreThicknessVoxelSizeMM: Double?
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
    /// The widest ball (radius, voxels) local thickness paints on a phase's grid: its cost
    /// grows with the balls' volume, so a phase with wider features (pores about as wide as
    /// the box) is measured on a grid halved until they fit, as long as the grid keeps
    /// `thicknessGridMinimum` voxels along every axis. The values stay within a voxel of
    /// that grid of the exact ones.
    public static let thicknessRadiusLimit: Float = 24
    /// The fewest voxels along an axis a phase's thickness grid is halved to.
    public static let thicknessGridMinimum = 32
    /// The largest grid (voxels) intrusion is simulated on; larger masks are halved.
    public static let porosimetryVoxelLimit = 1 << 22

    enum CodingKeys: String, CodingKey {
        case twoPoint = "two_point"
        case topology
        case solidThickness = "solid_thickness"
        case poreThickness = "pore_thickness"
        case thicknessVoxelSizeMM = "thickness_voxel_size_mm"
        case poreThicknessVoxelSizeMM = "pore_thickness_voxel_size_mm"
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
        // Each phase on a grid of its own: halved further while its widest ball is wider
        // than `thicknessRadiusLimit` voxels.
        let solid = Self.featureGrid(coarse, voxelSizeMM: h, subvoxel: thin) {
            DistanceTransform.squaredDistance(toComplementOf: $0, outsideIsFeature: true)
        }
        thicknessVoxelSizeMM = solid.voxelSizeMM
        let solidField = LocalThickness.thickness(radiiSquared: solid.squaredRadii, size: solid.mask.size)
        solidThickness = LocalThickness(field: solidField, size: solid.mask.size, voxelSizeMM: solid.voxelSizeMM)
        if let thin = solid.subvoxel {
            solidThickness?.subvoxel = SubvoxelSummary(field: solidField, subvoxel: thin, voxelSizeMM: solid.voxelSizeMM)
        }
        solidThicknessMap = keepingThicknessMap
            ? ThicknessMap(size: solid.mask.size, voxelSizeMM: solid.voxelSizeMM, valuesVoxels: solidField) : nil
        var pore = Self.featureGrid(coarse, voxelSizeMM: h, subvoxel: thin) {
            DistanceTransform.squaredDistance(to: $0, outsideIsFeature: false)
        }
        poreThicknessVoxelSizeMM = pore.voxelSizeMM
        // A periodic cell's pores continue into its neighbours' across every face (their
        // distances taken again, wrapped: the ones above are dropped first).
        var periodicPores: [Float]?
        if periodic {
            let hint = LocalThickness.periodicRadiusHint(pore.squaredRadii, size: pore.mask.size)
            pore.squaredRadii = []
            periodicPores = LocalThickness.periodicField(ofComplementOf: pore.mask, radiusHint: hint)
            if periodicPores == nil {
                pore.squaredRadii = DistanceTransform.squaredDistance(to: pore.mask, outsideIsFeature: false)
            }
        }
        poreThicknessPeriodic = periodicPores != nil
        let poreField = periodicPores ?? LocalThickness.thickness(radiiSquared: pore.squaredRadii, size: pore.mask.size)
        poreThickness = LocalThickness(field: poreField, size: pore.mask.size, voxelSizeMM: pore.voxelSizeMM)
        if let thin = pore.subvoxel {
            poreThickness?.subvoxel = SubvoxelSummary(field: poreField, subvoxel: thin, voxelSizeMM: pore.voxelSizeMM)
        }
        // Intrusion floods the pores voxel by voxel in order of width, wherever that leads
        // (memory-bound): above `porosimetryVoxelLimit` voxels it runs on a grid halved again.
        var pores = pore.mask, poresH = pore.voxelSizeMM
        while pores.size.count > Self.porosimetryVoxelLimit && pores.size.nx >= 16 {
            pores = pores.halved()
            poresH *= 2
        }
        porosimetry = Porosimetry(of: pores, voxelSizeMM: poresH)
    }

    /// A phase's grid for local thickness: `mask` halved while the phase's widest ball
    /// (from `squaredDistances`, the phase's squared distance map on a grid) is wider than
    /// `thicknessRadiusLimit` and every axis keeps `thicknessGridMinimum` voxels; with the
    /// squared distances on that grid, so they are not taken twice.
    static func featureGrid(_ mask: VoxelMask, voxelSizeMM: Double, subvoxel: SubvoxelThickness?,
                            squaredDistances: (VoxelMask) -> [Float])
        -> (mask: VoxelMask, voxelSizeMM: Double, subvoxel: SubvoxelThickness?, squaredRadii: [Float])
    {
        var grid = mask, h = voxelSizeMM, thin = subvoxel
        var radii = squaredDistances(grid)
        let limit = Self.thicknessRadiusLimit * Self.thicknessRadiusLimit
        func halvable(_ size: GridSize) -> Bool {
            let shortest = size.isPlanar ? min(size.nx, size.ny) : min(size.nx, size.ny, size.nz)
            return shortest >= 2 * Self.thicknessGridMinimum
        }
        func widest(_ radii: [Float]) -> Float {
            var top: Float = 0
            for r in radii where r > top && r < DistanceTransform.unreachable { top = r }
            return top
        }
        while halvable(grid.size), widest(radii) > limit {
            grid = grid.halved()
            thin = thin?.halved()
            h *= 2
            radii = squaredDistances(grid)
        }
        return (grid, h, thin, radii)
    }
}
