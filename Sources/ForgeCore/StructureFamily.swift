/// The generator family of a recipe: which spectrum the random field is drawn from.
public enum StructureFamily: String, Codable, CaseIterable, Sendable {
    /// Band-pass shell around k₀ = 2π/λ (Cahn's spinodal decomposition): bicontinuous,
    /// one characteristic length λ.
    case spinodal
    /// Gaussian low-pass, S ∝ exp(−|k|²ℓ²/2) with ℓ = λ/2π: rounded blobs and particles.
    case blob
}
