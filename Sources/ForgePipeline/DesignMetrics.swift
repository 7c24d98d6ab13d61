/// What was made, measured: the contents of `metrics.json`.
public struct DesignMetrics: Codable, Equatable, Sendable {
    /// Fraction of solid voxels actually realised.
    public var solidFraction: Double
    public var targetSolidFraction: Double
    public var solidVoxels: Int
    public var voxels: Int
    public var voxelSizeMM: Double
    /// Solid voxels × voxel volume, mm³.
    public var voxelVolumeMM3: Double
    public var triangles: Int
    public var vertices: Int
    /// Enclosed mesh volume, mm³ (signed; positive for outward normals).
    public var volumeMM3: Double
    public var surfaceAreaMM2: Double
    /// Every edge in exactly two triangles with opposite orientation, no degenerate
    /// triangles, positive volume — checked on the mesh that was written.
    public var watertight: Bool
    public var unpairedHalfEdges: Int
    public var repeatedHalfEdges: Int
    public var degenerateTriangles: Int
    /// Mesh bounds in mm: [x, y, z] minimum and maximum.
    public var boundsMinMM: [Double]
    public var boundsMaxMM: [Double]
    public var threshold: Double
    /// Seconds per stage: synthesis, threshold, meshing, checks, writing, total.
    public var timingsS: [String: Double]

    enum CodingKeys: String, CodingKey {
        case solidFraction = "solid_fraction"
        case targetSolidFraction = "target_solid_fraction"
        case solidVoxels = "solid_voxels"
        case voxels
        case voxelSizeMM = "voxel_size_mm"
        case voxelVolumeMM3 = "voxel_volume_mm3"
        case triangles, vertices
        case volumeMM3 = "volume_mm3"
        case surfaceAreaMM2 = "surface_area_mm2"
        case watertight
        case unpairedHalfEdges = "unpaired_half_edges"
        case repeatedHalfEdges = "repeated_half_edges"
        case degenerateTriangles = "degenerate_triangles"
        case boundsMinMM = "bounds_min_mm"
        case boundsMaxMM = "bounds_max_mm"
        case threshold
        case timingsS = "timings_s"
    }
}
