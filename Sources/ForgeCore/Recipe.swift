/// A complete, validated description of one microstructure: everything needed to
/// regenerate it byte for byte.
///
/// Recipe files use snake_case keys; any subset may be given and the rest take
/// `Recipe.defaults`. The voxel edge is `extent_mm / size.nx` millimetres.
public struct Recipe: Equatable, Sendable {
    /// Short name used for the output folder; from the prompt or the template name.
    public var name: String?
    /// The text the recipe was described from, kept for the record.
    public var prompt: String?
    public var family: StructureFamily
    public var mode: PhaseMode
    /// Target fraction of solid voxels, in (0, 1). With `grading`, the grading's profile
    /// replaces it (and it records the profile's mean).
    public var solidFraction: Double
    /// Characteristic length λ in millimetres: the period of the dominant wave
    /// (k₀ = 2π/λ) for spectral families, the largest scale for fractal, the unit-cell
    /// size for lattices.
    public var wavelengthMM: Double
    /// Spinodal shell width as a fraction of k₀ (σ = bandwidth · k₀).
    public var bandwidth: Double
    /// Spinodoid cone half-angles θx, θy, θz in degrees: 0 switches an axis off, otherwise 15–90.
    public var coneAnglesDeg: [Double]
    /// Cone half-angle of the lamellar, columnar and cubic families, in degrees (15–90).
    public var coneAngleDeg: Double
    /// The layer normal (lamellar) or cell direction (columnar).
    public var axis: Axis
    /// Rotation of the cone axes about x, then y, then z, in degrees.
    public var rotationDeg: [Double]
    /// Fractal exponent β of S ∝ |k|^−β.
    public var beta: Double
    /// Smallest scale of the fractal family in mm; four voxels when absent (two would sample
    /// its finest waves at the Nyquist limit, where the mesh loses volume and handles).
    public var minWavelengthMM: Double?
    /// A second family mixed in (e.g. lamellar + spinodal noise, gyroid + spinodal).
    public var blend: BlendComponent?
    /// Solid fraction varying along an axis.
    public var grading: Grading?
    /// A picture whose statistics the field reproduces (instead of the family's spectrum).
    public var image: ImageReference?
    /// Keep only the solid connected to the largest body (face connectivity).
    public var keepMainBody: Bool
    /// Fill void that does not reach the box faces (trapped resin or powder).
    public var fillEnclosedVoids: Bool
    /// Struts, walls and pores thinner than this (mm) are removed by opening and closing
    /// with a ball of this diameter; 0 switches it off.
    public var minFeatureMM: Double
    /// Printer resolution in mm against which the printability verdict judges features.
    public var printerResolutionMM: Double
    /// 2D fields only: extrude the pattern to a plate this thick (mm) for model.stl; 0 writes no mesh.
    public var plateThicknessMM: Double
    /// Copies of the (periodic) cell along x, y and z, welded into one part.
    public var tile: [Int]
    /// Edge length of the box along x in millimetres.
    public var extentMM: Double
    /// Samples per axis.
    public var size: GridSize
    /// Random seed; the same seed gives the same structure.
    public var seed: UInt64
    /// The solid's material, for the elastic properties.
    public var material: SolidMaterial = .resin
    /// Properties the design should reach (`PropertyTarget`); iterate aims at them.
    public var targets: [PropertyTarget] = []

    /// The documented defaults: a 10 mm spinodal cube, 35% solid, λ = 1.5 mm, 128³.
    public static let defaults = Recipe()

    public init(name: String? = nil, prompt: String? = nil, family: StructureFamily = .spinodal,
                mode: PhaseMode = .network, solidFraction: Double = 0.35, wavelengthMM: Double = 1.5,
                bandwidth: Double = 0.2, coneAnglesDeg: [Double] = [30, 30, 30], coneAngleDeg: Double = 20,
                axis: Axis = .z, rotationDeg: [Double] = [0, 0, 0], beta: Double = 3,
                minWavelengthMM: Double? = nil, blend: BlendComponent? = nil, grading: Grading? = nil,
                keepMainBody: Bool = true, fillEnclosedVoids: Bool = true, minFeatureMM: Double = 0,
                printerResolutionMM: Double = 0.1, plateThicknessMM: Double = 0, tile: [Int] = [1, 1, 1],
                extentMM: Double = 10,
                size: GridSize = GridSize(cube: 128), seed: UInt64 = 1) {
        self.name = name
        self.prompt = prompt
        self.family = family
        self.mode = mode
        self.solidFraction = solidFraction
        self.wavelengthMM = wavelengthMM
        self.bandwidth = bandwidth
        self.coneAnglesDeg = coneAnglesDeg
        self.coneAngleDeg = coneAngleDeg
        self.axis = axis
        self.rotationDeg = rotationDeg
        self.beta = beta
        self.minWavelengthMM = minWavelengthMM
        self.blend = blend
        self.grading = grading
        self.keepMainBody = keepMainBody
        self.fillEnclosedVoids = fillEnclosedVoids
        self.minFeatureMM = minFeatureMM
        self.printerResolutionMM = printerResolutionMM
        self.plateThicknessMM = plateThicknessMM
        self.tile = tile
        self.extentMM = extentMM
        self.size = size
        self.seed = seed
    }

    /// The size of the tiled part in samples.
    public var tiledSize: GridSize {
        GridSize(nx: size.nx * tile[0], ny: size.ny * tile[1], nz: size.nz * tile[2])
    }

    /// Edge length of one voxel in millimetres.
    public var voxelSizeMM: Double { extentMM / Double(size.nx) }

    /// The cone half-angles (degrees) the family uses: explicit for spinodoid, derived
    /// from `axis` and `cone_angle_deg` for lamellar, columnar and cubic.
    public var effectiveConeAnglesDeg: [Double] {
        switch family {
        case .spinodoid: return coneAnglesDeg
        case .lamellar: return (0..<3).map { $0 == axis.index ? coneAngleDeg : 0 }
        case .columnar: return (0..<3).map { $0 == axis.index ? 0 : coneAngleDeg }
        case .cubic: return [coneAngleDeg, coneAngleDeg, coneAngleDeg]
        default: return [90, 90, 90]
        }
    }

    /// Whether the design is a unit cell that tiles: every family's field is periodic in
    /// every axis unless a grading or a picture shapes it.
    public var isPeriodic: Bool { grading == nil && image == nil }
}
