/// The generator family of a recipe: which field the structure is cut from.
public enum StructureFamily: String, Codable, CaseIterable, Sendable {
    /// Band-pass shell around k₀ = 2π/λ (Cahn's spinodal decomposition): bicontinuous,
    /// isotropic, one characteristic length λ.
    case spinodal
    /// Gaussian low-pass, S ∝ exp(−|k|²ℓ²/2) with ℓ = λ/2π: rounded blobs and particles.
    case blob
    /// Power law S ∝ |k|^−β between k = 2π/λ and 2π/λ_min: rough, multi-scale.
    case fractal
    /// Spinodal shell restricted to cones of half-angle θx, θy, θz around the axes
    /// (Kumar, Tan, Zheng, Kochmann 2020): `cone_angles_deg`.
    case spinodoid
    /// Spinodoid with one cone around `axis`: layers normal to that axis (nacre-like).
    case lamellar
    /// Spinodoid with cones around the two other axes: cells elongated along `axis`
    /// (wood, bamboo, fibres).
    case columnar
    /// Spinodoid with equal cones around all three axes.
    case cubic
    /// Triply periodic minimal-surface lattices, cell size λ.
    case gyroid
    case schwarzP = "schwarz_p"
    case diamond
    case neovius

    /// True for the implicit TPMS lattices.
    public var isLattice: Bool {
        switch self {
        case .gyroid, .schwarzP, .diamond, .neovius: return true
        default: return false
        }
    }

    /// A lattice's cell over the period of its strongest Fourier modes: gyroid {110} √2,
    /// diamond {111} √3, Schwarz P and Neovius {100} 1; nil for other families. The cell is
    /// read from a measured spectrum as characteristic length × this.
    public var cellPerLeadingPeriod: Double? {
        switch self {
        case .gyroid: return 2.0.squareRoot()
        case .diamond: return 3.0.squareRoot()
        case .schwarzP, .neovius: return 1
        default: return nil
        }
    }

    /// True for families whose spectrum is a shell restricted to cones.
    public var usesCones: Bool {
        switch self {
        case .spinodoid, .lamellar, .columnar, .cubic: return true
        default: return false
        }
    }
}

/// Which side of the field is solid.
public enum PhaseMode: String, Codable, CaseIterable, Sendable {
    /// Solid where the field is above the threshold: struts and networks.
    case network
    /// Solid where |field| is below the threshold: thin walls (shells) along the zero set.
    case sheet
}

/// A grid axis.
public enum Axis: String, Codable, CaseIterable, Sendable {
    case x, y, z

    public var index: Int {
        switch self {
        case .x: return 0
        case .y: return 1
        case .z: return 2
        }
    }
}
