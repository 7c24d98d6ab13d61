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
    /// Target fraction of solid voxels, in (0, 1).
    public var solidFraction: Double
    /// Characteristic length λ of the structure in millimetres (spinodal: the period of
    /// the dominant wave, k₀ = 2π/λ; blob: ℓ = λ/2π).
    public var wavelengthMM: Double
    /// Spinodal shell width as a fraction of k₀ (σ = bandwidth · k₀); ignored by blob.
    public var bandwidth: Double
    /// Edge length of the box along x in millimetres.
    public var extentMM: Double
    /// Samples per axis.
    public var size: GridSize
    /// Random seed; the same seed gives the same structure.
    public var seed: UInt64

    /// The documented defaults: a 10 mm spinodal cube, 35% solid, λ = 1.5 mm, 128³.
    public static let defaults = Recipe(
        name: nil, prompt: nil, family: .spinodal, solidFraction: 0.35, wavelengthMM: 1.5,
        bandwidth: 0.2, extentMM: 10, size: GridSize(cube: 128), seed: 1)

    public init(name: String?, prompt: String?, family: StructureFamily, solidFraction: Double,
                wavelengthMM: Double, bandwidth: Double, extentMM: Double, size: GridSize,
                seed: UInt64) {
        self.name = name
        self.prompt = prompt
        self.family = family
        self.solidFraction = solidFraction
        self.wavelengthMM = wavelengthMM
        self.bandwidth = bandwidth
        self.extentMM = extentMM
        self.size = size
        self.seed = seed
    }

    /// Edge length of one voxel in millimetres.
    public var voxelSizeMM: Double { extentMM / Double(size.nx) }
}
