import ForgeMetrics
import ForgeProperties
import ForgeMorphology

/// What was made, measured: the contents of `metrics.json`.
public struct DesignMetrics: Codable, Equatable, Sendable {
    /// Fraction of solid voxels actually realised (after cleanup).
    public var solidFraction: Double
    public var targetSolidFraction: Double
    public var solidVoxels: Int
    public var voxels: Int
    public var voxelSizeMM: Double
    /// Solid voxels × voxel volume, mm³ (for a plate, solid pixels × pixel area × its thickness).
    public var voxelVolumeMM3: Double
    /// Solid fraction per layer along the grading axis (graded designs only).
    public var layerSolidFractions: [Double]?
    public var triangles: Int
    /// Triangles marching cubes produced, before any decimation.
    public var trianglesBeforeDecimation: Int
    public var vertices: Int
    /// Enclosed mesh volume, mm³ (signed; positive for outward normals); nil without a mesh.
    public var volumeMM3: Double?
    public var surfaceAreaMM2: Double?
    /// Mesh area per box volume, mm⁻¹, including the caps where the box cuts the part.
    public var specificSurfaceMeshMM: Double?
    /// The same without the caps on the box faces: the solid–pore interface per box volume.
    public var specificSurfaceInterfaceMM: Double?
    /// Every edge in exactly two triangles with opposite orientation, no degenerate
    /// triangles, positive volume — checked on the mesh that was written; nil without a mesh.
    public var watertight: Bool?
    public var unpairedHalfEdges: Int
    public var repeatedHalfEdges: Int
    public var degenerateTriangles: Int
    public var nonManifoldVertices: Int
    /// Closed shells of the mesh with positive volume (bodies) and negative volume (cavities).
    public var meshShells: Int?
    public var meshCavities: Int?
    /// Euler characteristic of the solid from the mesh, (V − E + F)/2.
    public var eulerCharacteristicMesh: Int?
    /// Mesh bounds in mm: [x, y, z] minimum and maximum.
    public var boundsMinMM: [Double]
    public var boundsMaxMM: [Double]
    public var cleanup: CleanupReport
    public var structure: StructureMetrics
    public var printability: PrintabilityVerdict
    /// Seconds per stage: synthesis, threshold, cleanup, metrics, meshing, checks, writing, total.
    public var timingsS: [String: Double]
    /// For designs rebuilt from a picture: its statistics beside the structure's.
    public var image: ImageMatch?
    /// CRC-32 of model.stl as written (eight hex digits), so a damaged copy is recognised.
    public var modelCRC32: String?
    /// The solid's Minkowski functionals from its mesh (nil without a mesh).
    public var minkowski: MinkowskiFunctionals?
    /// Lattices: the cell actually used along each axis (the recipe's `wavelength_mm`
    /// snapped so a whole number of cells spans the box).
    public var latticeCellMM: [Double]?
    /// How the written mesh was reduced from the full-resolution mesh, and how close it is.
    public var meshReduction: MeshReduction?
    /// What the user was warned of, in order (nil in files written before warnings were kept).
    public var warnings: [DesignWarning]?
    /// What the structure does: its homogenised elastic behaviour (nil when not computed).
    public var properties: DesignProperties?

    enum CodingKeys: String, CodingKey {
        case solidFraction = "solid_fraction"
        case targetSolidFraction = "target_solid_fraction"
        case solidVoxels = "solid_voxels"
        case voxels
        case voxelSizeMM = "voxel_size_mm"
        case voxelVolumeMM3 = "voxel_volume_mm3"
        case layerSolidFractions = "layer_solid_fractions"
        case triangles, vertices
        case trianglesBeforeDecimation = "triangles_before_decimation"
        case nonManifoldVertices = "non_manifold_vertices"
        case meshShells = "mesh_shells"
        case meshCavities = "mesh_cavities"
        case volumeMM3 = "volume_mm3"
        case surfaceAreaMM2 = "surface_area_mm2"
        case specificSurfaceMeshMM = "specific_surface_mesh_mm"
        case specificSurfaceInterfaceMM = "specific_surface_interface_mm"
        case watertight
        case unpairedHalfEdges = "unpaired_half_edges"
        case repeatedHalfEdges = "repeated_half_edges"
        case degenerateTriangles = "degenerate_triangles"
        case eulerCharacteristicMesh = "euler_characteristic_mesh"
        case boundsMinMM = "bounds_min_mm"
        case boundsMaxMM = "bounds_max_mm"
        case cleanup, structure, printability, image
        case timingsS = "timings_s"
        case modelCRC32 = "model_crc32"
        case latticeCellMM = "lattice_cell_mm"
        case minkowski, warnings, properties
        case meshReduction = "mesh_reduction"
    }
}
