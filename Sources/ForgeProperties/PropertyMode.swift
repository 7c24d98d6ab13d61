import ForgeCore

/// How property solves run: not at all, on a grid of at most `fastGridLimit` per axis (the
/// default), or at the design's full resolution.
public enum PropertyMode: String, Sendable, CaseIterable, Codable {
    case off, fast, full

    /// The largest grid edge a `fast` solve runs on; larger designs are averaged over
    /// 2 × 2 × 2 blocks until they fit (or until an axis cannot be halved evenly).
    public static let fastGridLimit = 128

    /// How many design voxels per edge make one voxel of the solve's grid for `size`.
    public func coarsening(of size: GridSize, limit: Int = PropertyMode.fastGridLimit) -> Int {
        guard self == .fast else { return 1 }
        var factor = 1
        while max(size.nx, size.ny, size.nz) / factor > limit,
              size.nx % (2 * factor) == 0, size.ny % (2 * factor) == 0, size.nz % (2 * factor) == 0 { factor *= 2 }
        return factor
    }
}
