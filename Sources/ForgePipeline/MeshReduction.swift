import ForgeMetrics

/// How the written mesh was reduced from the full-resolution one: `metrics.json`'s
/// `mesh_reduction`.
public struct MeshReduction: Codable, Equatable, Sendable {
    /// "none" (the full mesh), "coarser_level_set" (marched at 2ⁿ× coarser resolution),
    /// "decimated", or both joined by "+".
    public var method: String
    public var triangleBudget: Int
    public var withinBudget: Bool
    /// The written mesh against the full-resolution mesh (nil when it is that mesh).
    public var fidelity: MeshFidelity?
    /// The tolerance it had to meet: volume, Hausdorff distance in voxels.
    public var volumeTolerance: Double
    public var hausdorffToleranceVoxels: Double
    /// Why the mesh of the level set at half resolution was not taken (it was tried because
    /// the full mesh was over four times the budget), or nil.
    public var coarserLevelSetRejected: String?

    enum CodingKeys: String, CodingKey {
        case method, fidelity
        case triangleBudget = "triangle_budget", withinBudget = "within_budget"
        case volumeTolerance = "volume_tolerance", hausdorffToleranceVoxels = "hausdorff_tolerance_voxels"
        case coarserLevelSetRejected = "coarser_level_set_rejected"
    }
}
