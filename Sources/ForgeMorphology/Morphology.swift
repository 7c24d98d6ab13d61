import ForgeCore

/// Opening and closing with a Euclidean ball, through exact distance transforms.
extension VoxelMask {
    /// Removes parts thinner than a ball of `radius` voxels: erosion (distance to the
    /// complement, the outside of the box included, greater than r) followed by dilation
    /// (within r of what survived). Idempotent; the result is a subset of the set.
    public func opened(radius: Double) -> VoxelMask {
        let r2 = Float(radius * radius)
        // One distance grid at a time: each is gone before the next is made.
        let toCore = DistanceTransform.squaredDistance(
            to: Self.beyond(r2, DistanceTransform.squaredDistance(toComplementOf: self, outsideIsFeature: true), size: size),
            outsideIsFeature: false)
        return VoxelMask(size: size, bits: zip(bits, toCore).map { $0 != 0 && $1 <= r2 ? 1 : 0 })
    }

    /// The voxels whose squared distance exceeds `r2`.
    private static func beyond(_ r2: Float, _ squared: consuming [Float], size: GridSize) -> VoxelMask {
        VoxelMask(size: size, bits: squared.map { $0 > r2 ? 1 : 0 })
    }

    /// Fills gaps narrower than a ball of `radius` voxels: the complement of the opening of
    /// the complement, where the outside of the box does not count as solid. A superset of
    /// the set.
    public func closed(radius: Double) -> VoxelMask {
        let r2 = Float(radius * radius)
        let toCore = DistanceTransform.squaredDistance(
            to: Self.beyond(r2, DistanceTransform.squaredDistance(to: self, outsideIsFeature: false), size: size),
            outsideIsFeature: false)
        return VoxelMask(size: size, bits: zip(bits, toCore).map { $0 != 0 || $1 > r2 ? 1 : 0 })
    }
}
