import ForgeCore
import ForgeMorphology

/// The homogenised elastic behaviour of a design: the contents of `properties.elastic` in
/// metrics.json. Stiffness in GPa unless named relative (divided by the solid's E).
public struct ElasticProperties: Codable, Equatable, Sendable {
    public struct Axes: Codable, Equatable, Sendable {
        public var x: Double, y: Double, z: Double
        public init(_ v: [Double]) { (x, y, z) = (v[0], v[1], v[2]) }
        public var values: [Double] { [x, y, z] }
    }

    public struct ShearAxes: Codable, Equatable, Sendable {
        public var yz: Double, xz: Double, xy: Double
    }

    public struct Bounds: Codable, Equatable, Sendable {
        public var voigt: Double, reuss: Double, hill: Double
    }

    public var material: SolidMaterial
    /// Rows and columns in this order, with engineering shear strains.
    public var voigtOrder: String = "xx, yy, zz, yz, xz, xy; engineering shear strains (gamma = 2 epsilon)"
    public var stiffnessVoigtGPa: [[Double]]
    public var relativeStiffnessVoigt: [[Double]]
    /// S = C⁻¹ in 1/GPa over the directions the structure carries (zero rows where it does not).
    public var complianceVoigtPerGPa: [[Double]]
    public var youngsModulusGPa: Axes
    public var relativeYoungsModulus: Axes
    public var shearModulusGPa: ShearAxes
    /// ν_ij: contraction along j under uniaxial stress along i (nil where i carries no load).
    public var poissonRatios: [String: Double?]
    public var bulkModulusGPa: Bounds
    public var shearModulusVRHGPa: Bounds
    /// Aᵁ = 5 G_V/G_R + K_V/K_R − 6; nil when the structure is soft in some direction.
    public var universalAnisotropy: Double?
    /// Per axis: the solid forms a connected path through the periodic tiling along it.
    public var solidPercolates: [Bool]
    public var boundaryCondition: String
    public var mode: PropertyMode
    /// The grid the solve ran on, and how many design voxels make one of its voxels (per edge).
    public var grid: [Int]
    public var coarsening: Int
    public var iterations: [Int]
    /// The largest relative preconditioned residual of the six solves.
    public var residual: Double
    public var tolerance: Double
    public var converged: Bool
    /// Plain statements about the result (soft axes, assumptions).
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case material
        case voigtOrder = "voigt_order"
        case stiffnessVoigtGPa = "stiffness_voigt_gpa"
        case relativeStiffnessVoigt = "relative_stiffness_voigt"
        case complianceVoigtPerGPa = "compliance_voigt_per_gpa"
        case youngsModulusGPa = "youngs_modulus_gpa"
        case relativeYoungsModulus = "relative_youngs_modulus"
        case shearModulusGPa = "shear_modulus_gpa"
        case poissonRatios = "poisson_ratios"
        case bulkModulusGPa = "bulk_modulus_gpa"
        case shearModulusVRHGPa = "shear_modulus_vrh_gpa"
        case universalAnisotropy = "universal_anisotropy"
        case solidPercolates = "solid_percolates"
        case boundaryCondition = "boundary_condition"
        case mode, grid, coarsening, iterations, residual, tolerance, converged, notes
    }

    /// The stiffness as a tensor.
    public var tensor: StiffnessTensor { StiffnessTensor(stiffnessVoigtGPa.flatMap { $0 }) }

    /// The largest grid edge a `fast` solve runs on; larger designs are averaged over 2 × 2 × 2
    /// blocks until they fit.
    public static let fastGridLimit = PropertyMode.fastGridLimit

    /// The relative residual a design's solve stops at (with each modulus settled).
    public static let defaultTolerance = 1e-3

    /// Homogenises `mask` (solid = 1) in `material`. `periodic` says whether the design is a
    /// unit cell; otherwise the same periodic boundary condition is applied and the result
    /// says so. Throws only for FFTW failures; a planar mask is a precondition failure.
    public static func compute(mask: VoxelMask, material: SolidMaterial, mode: PropertyMode, periodic: Bool,
                               tolerance: Double = defaultTolerance,
                               progress: (Int, Int, Double) -> Void = { _, _, _ in }) throws -> ElasticProperties {
        precondition(mode != .off && !mask.size.isPlanar)
        let factor = mode.coarsening(of: mask.size)
        let cell = factor == 1 ? CoarseCell(mask: mask) : CoarseCell(mask: mask, factor: factor)
        let result = try ElasticHomogenisation(moduli: cell.moduli(material: material), tolerance: tolerance)
            .solve(progress: progress)
        // On the solve's grid: a coarse voxel holding any solid joins its neighbours.
        let percolates = PeriodicPercolation.axes(of: factor == 1 ? mask
            : VoxelMask(size: cell.size, bits: cell.fraction.map { $0 > 0 ? 1 : 0 }))
        let tensor = StiffnessTensor(result.stiffness)
        let es = material.youngsModulusGPa
        var e = tensor.axialYoungsModuli
        var notes: [String] = []
        for (a, name) in ["x", "y", "z"].enumerated() where !percolates[a] {
            e[a] = 0
            notes.append("the solid does not percolate along \(name): E_\(name) = 0 (it carries no load that way)")
        }
        let g = tensor.shearModuli
        let b = tensor.bounds
        let s = tensor.compliance()
        func matrix(_ v: [Double], scale: Double = 1) -> [[Double]] { (0..<6).map { i in (0..<6).map { v[6 * i + $0] * scale } } }
        if !periodic {
            notes.append("the design is not a unit cell (graded or from a picture): the values assume the box repeats periodically")
        }
        let converged = result.solves.allSatisfy(\.converged)
        if !converged {
            notes.append("the solve stopped at \(result.solves.map(\.iterations).max() ?? 0) iterations before reaching its tolerance")
        }
        return ElasticProperties(
            material: material,
            stiffnessVoigtGPa: matrix(tensor.values),
            relativeStiffnessVoigt: matrix(tensor.values, scale: 1 / es),
            complianceVoigtPerGPa: matrix(s),
            youngsModulusGPa: Axes(e),
            relativeYoungsModulus: Axes(e.map { $0 / es }),
            shearModulusGPa: ShearAxes(yz: g[0], xz: g[1], xy: g[2]),
            poissonRatios: tensor.poissonRatios,
            bulkModulusGPa: Bounds(voigt: b.bulkVoigt, reuss: b.bulkReuss, hill: (b.bulkVoigt + b.bulkReuss) / 2),
            shearModulusVRHGPa: Bounds(voigt: b.shearVoigt, reuss: b.shearReuss, hill: (b.shearVoigt + b.shearReuss) / 2),
            universalAnisotropy: tensor.universalAnisotropy,
            solidPercolates: percolates,
            boundaryCondition: periodic ? "periodic (the design is a unit cell)" : "periodic (assumed)",
            mode: mode, grid: [cell.size.nx, cell.size.ny, cell.size.nz], coarsening: factor,
            iterations: result.solves.map(\.iterations),
            residual: result.solves.map(\.residual).max() ?? 0,
            tolerance: tolerance, converged: converged, notes: notes)
    }
}
