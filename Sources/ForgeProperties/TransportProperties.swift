import ForgeCore
import ForgeMorphology

/// Flow and diffusion through a design: the contents of `properties.transport` in metrics.json.
/// Conductivities are relative to the conducting phase's own (so they equal D_eff/D₀ for
/// diffusion through the pores); permeability is intrinsic (independent of the fluid).
public struct TransportProperties: Codable, Equatable, Sendable {
    public typealias Axes = ElasticProperties.Axes

    /// Per axis, null where the value is infinite (the phase does not connect along that axis).
    public struct OptionalAxes: Codable, Equatable, Sendable {
        public var x: Double?, y: Double?, z: Double?
        public init(_ v: [Double?]) { (x, y, z) = (v[0], v[1], v[2]) }
        public var values: [Double?] { [x, y, z] }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
            try c.encode(z, forKey: .z)
        }
    }

    /// Iterations per axis of each solve.
    public struct Iterations: Codable, Equatable, Sendable {
        public var conductivityPores: [Int]
        public var conductivitySolid: [Int]
        public var permeability: [Int]

        enum CodingKeys: String, CodingKey {
            case conductivityPores = "conductivity_pores"
            case conductivitySolid = "conductivity_solid"
            case permeability
        }
    }

    public var porosity: Double
    /// The edge of one voxel of the solve's grid, m.
    public var voxelSizeM: Double
    public var relativeConductivityPores: Axes
    public var relativeConductivitySolid: Axes
    /// 3 × 3, rows and columns x, y, z.
    public var conductivityTensorPores: [[Double]]
    public var conductivityTensorSolid: [[Double]]
    /// τᵢ = ε D₀ / D_eff,ᵢ (TauFactor's definition), ε the porosity; null = infinite.
    public var tortuosityFactor: OptionalAxes
    /// Fᵢ = D₀ / D_eff,ᵢ = 1 / relative conductivity; null = infinite.
    public var formationFactor: OptionalAxes
    public var permeabilityM2: Axes
    public var permeabilityDarcy: Axes
    public var permeabilityTensorM2: [[Double]]
    public var poresPercolate: [Bool]
    public var solidPercolates: [Bool]
    public var definitions: [String: String] = TransportProperties.definitionTexts
    public var boundaryCondition: String
    public var mode: PropertyMode
    public var grid: [Int]
    public var coarsening: Int
    public var iterations: Iterations
    /// The largest relative residual of the nine solves.
    public var residual: Double
    public var converged: Bool
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case porosity
        case voxelSizeM = "voxel_size_m"
        case relativeConductivityPores = "relative_conductivity_pores"
        case relativeConductivitySolid = "relative_conductivity_solid"
        case conductivityTensorPores = "conductivity_tensor_pores"
        case conductivityTensorSolid = "conductivity_tensor_solid"
        case tortuosityFactor = "tortuosity_factor"
        case formationFactor = "formation_factor"
        case permeabilityM2 = "permeability_m2"
        case permeabilityDarcy = "permeability_darcy"
        case permeabilityTensorM2 = "permeability_tensor_m2"
        case poresPercolate = "pores_percolate"
        case solidPercolates = "solid_percolates"
        case definitions
        case boundaryCondition = "boundary_condition"
        case mode, grid, coarsening, iterations, residual, converged, notes
    }

    static let definitionTexts = [
        "relative_conductivity": "effective conductivity (or diffusivity) of the phase, divided by the phase's own; the other phase insulates",
        "tortuosity_factor": "tau_i = porosity * D0 / D_eff,i (TauFactor's definition); null = infinite (no connected path)",
        "formation_factor": "F_i = D0 / D_eff,i; null = infinite",
        "permeability": "intrinsic (Darcy) permeability from periodic Stokes flow under a unit pressure gradient; 1 darcy = 9.869233e-13 m^2",
    ]

    /// One darcy in m².
    public static let darcy = 9.869233e-13

    /// The largest grid edge a `fast` solve runs on; larger designs are solved on the pore
    /// space averaged over 2 × 2 × 2 blocks (a coarse voxel is pore when at least half its
    /// block is) until they fit.
    public static let fastGridLimit = PropertyMode.fastGridLimit

    /// Computes the transport properties of `mask` (solid = 1) with voxels `voxelMM` wide.
    /// `periodic` as for `ElasticProperties.compute`; `gridLimit` is the largest grid edge a
    /// `fast` solve runs on; `flow`, when given, receives the flow speed for a pressure gradient
    /// along each axis (m² per unit −∇p/μ, on the solve's grid). A planar mask is a
    /// precondition failure.
    public static func compute(mask: VoxelMask, voxelMM: Double, mode: PropertyMode, periodic: Bool,
                               gridLimit: Int = fastGridLimit,
                               flow: ((_ axis: Int, _ speed: ScalarGrid) -> Void)? = nil,
                               progress: (_ stage: Int, _ axis: Int, _ residual: Double) -> Void = { _, _, _ in })
        -> TransportProperties {
        precondition(mode != .off && !mask.size.isPlanar)
        let factor = mode.coarsening(of: mask.size, limit: gridLimit)
        var pores = VoxelMask(size: mask.size, bits: mask.bits.map { 1 &- ($0 & 1) })
        var f = 1
        while f < factor {
            pores = pores.halved()
            f *= 2
        }
        let solid = VoxelMask(size: pores.size, bits: pores.bits.map { 1 &- $0 })
        let porosity = Double(pores.count) / Double(pores.size.count)
        let poresPercolate = PeriodicPercolation.axes(of: pores)
        let solidPercolates = PeriodicPercolation.axes(of: solid)

        let poreConduction = ConductivityHomogenisation(phase: pores).solve { axis, _, r in progress(0, axis, r) }
        let solidConduction = ConductivityHomogenisation(phase: solid).solve { axis, _, r in progress(1, axis, r) }
        var stokes = StokesPermeability(pores: pores)
        stokes.keepFlow = flow != nil
        let solved = stokes.solve { axis, _, r in progress(2, axis, r) }

        let voxelM = voxelMM * Double(factor) * 1e-3
        if let flow {
            // In m² per unit drive (−∇p/μ): the field's mean along the load is the permeability.
            let scale = Float(voxelM * voxelM)
            for (axis, speed) in solved.speed.enumerated() {
                flow(axis, ScalarGrid(size: pores.size, voxelSizeMM: voxelMM * Double(factor), values: speed.map { $0 * scale }))
            }
        }
        var notes: [String] = []
        func diagonal(_ t: [Double], percolates: [Bool]) -> [Double] {
            (0..<3).map { percolates[$0] ? max(t[4 * $0], 0) : 0 }
        }
        func matrix(_ t: [Double], percolates: [Bool], scale: Double = 1) -> [[Double]] {
            (0..<3).map { i in (0..<3).map { j in percolates[i] && percolates[j] ? t[3 * i + j] * scale : 0 } }
        }
        let kPores = diagonal(poreConduction.conductivity, percolates: poresPercolate)
        let kSolid = diagonal(solidConduction.conductivity, percolates: solidPercolates)
        let permeability = diagonal(solved.permeability, percolates: poresPercolate).map { $0 * voxelM * voxelM }
        for (a, name) in ["x", "y", "z"].enumerated() where !poresPercolate[a] {
            notes.append("the pores do not connect through the cell along \(name): no flow or diffusion that way "
                + "(permeability and conductivity 0, tortuosity factor infinite, written as null)")
        }
        for (a, name) in ["x", "y", "z"].enumerated() where !solidPercolates[a] {
            notes.append("the solid does not connect through the cell along \(name): it conducts nothing that way")
        }
        if !periodic {
            notes.append("the design is not a unit cell (graded or from a picture): the values assume the box repeats periodically")
        }
        if factor > 1 {
            notes.append("solved on the pore space averaged over \(factor)×\(factor)×\(factor) blocks (fast mode); --properties full solves every voxel")
        }
        let solves = poreConduction.solves.map { ($0.converged, $0.residual, $0.iterations) }
            + solidConduction.solves.map { ($0.converged, $0.residual, $0.iterations) }
            + solved.solves.map { ($0.converged, $0.residual, $0.iterations) }
        let converged = solves.allSatisfy(\.0)
        if !converged {
            notes.append("a solve stopped at \(solves.map(\.2).max() ?? 0) iterations before reaching its tolerance")
        }
        return TransportProperties(
            porosity: porosity,
            voxelSizeM: voxelM,
            relativeConductivityPores: Axes(kPores),
            relativeConductivitySolid: Axes(kSolid),
            conductivityTensorPores: matrix(poreConduction.conductivity, percolates: poresPercolate),
            conductivityTensorSolid: matrix(solidConduction.conductivity, percolates: solidPercolates),
            tortuosityFactor: OptionalAxes(kPores.map { $0 > 0 ? porosity / $0 : nil }),
            formationFactor: OptionalAxes(kPores.map { $0 > 0 ? 1 / $0 : nil }),
            permeabilityM2: Axes(permeability),
            permeabilityDarcy: Axes(permeability.map { $0 / darcy }),
            permeabilityTensorM2: matrix(solved.permeability, percolates: poresPercolate, scale: voxelM * voxelM),
            poresPercolate: poresPercolate,
            solidPercolates: solidPercolates,
            boundaryCondition: periodic ? "periodic (the design is a unit cell)" : "periodic (assumed)",
            mode: mode,
            grid: [pores.size.nx, pores.size.ny, pores.size.nz],
            coarsening: factor,
            iterations: Iterations(conductivityPores: poreConduction.solves.map(\.iterations),
                                   conductivitySolid: solidConduction.solves.map(\.iterations),
                                   permeability: solved.solves.map(\.iterations)),
            residual: solves.map(\.1).max() ?? 0,
            converged: converged,
            notes: notes)
    }

    /// Bytes per voxel of the solve's grid at its peak: the Stokes solve, the largest, with
    /// its velocity field kept (for `--volume`), and the masks.
    public static let bytesPerVoxel = 4 * (StokesPermeability.floatsPerVoxel + 12) + 8
}
