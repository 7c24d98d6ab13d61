import ForgeCore

/// Opening and closing with a Euclidean ball, through exact distance transforms.
extension VoxelMask {
    /// Removes parts thinner than a ball of `radius` voxels: erosion (distance to the
    /// complement, the outside of the box included, greater than r) followed by dilation
    /// (within r of what survived). Idempotent; the result is a subset of the set.
    public func opened(radius: Double) -> VoxelMask {
        let r2 = Float(radius * radius)
        let toVoid = DistanceTransform.squaredDistance(toComplementOf: self, outsideIsFeature: true)
        let eroded = VoxelMask(size: size, bits: toVoid.map { $0 > r2 ? 1 : 0 })
        let toCore = DistanceTransform.squaredDistance(to: eroded, outsideIsFeature: false)
        return VoxelMask(size: size, bits: zip(bits, toCore).map { $0 != 0 && $1 <= r2 ? 1 : 0 })
    }

    /// Fills gaps narrower than a ball of `radius` voxels: the complement of the opening of
    /// the complement, where the outside of the box does not count as solid. A superset of
    /// the set.
    public func closed(radius: Double) -> VoxelMask {
        let r2 = Float(radius * radius)
        let toSolid = DistanceTransform.squaredDistance(to: self, outsideIsFeature: false)
        let erodedVoid = VoxelMask(size: size, bits: toSolid.map { $0 > r2 ? 1 : 0 })
        let toCore = DistanceTransform.squaredDistance(to: erodedVoid, outsideIsFeature: false)
        return VoxelMask(size: size, bits: zip(bits, toCore).map { $0 != 0 || $1 > r2 ? 1 : 0 })
    }
}
