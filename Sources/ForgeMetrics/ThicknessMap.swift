import ForgeCore

/// Local thickness at every voxel of a grid (0 outside the phase), x fastest, held in
/// voxels as `LocalThickness.field` gives it (no second copy in mm).
public struct ThicknessMap: Sendable {
    public let size: GridSize
    public let voxelSizeMM: Double
    public let valuesVoxels: [Float]

    public init(size: GridSize, voxelSizeMM: Double, valuesVoxels: [Float]) {
        precondition(valuesVoxels.count == size.count)
        self.size = size
        self.voxelSizeMM = voxelSizeMM
        self.valuesVoxels = valuesVoxels
    }

    /// The thickness at each vertex of `mesh`: the mean over the phase voxels whose centres
    /// lie within one voxel of it (a surface vertex sits between a phase voxel and a voxel
    /// outside), widening to two voxels where there is none; 0 if still none.
    public func sampled(at mesh: Mesh) -> [Float] {
        let h = Float(voxelSizeMM), s = size
        var out = [Float](repeating: 0, count: mesh.vertexCount)
        for v in 0..<mesh.vertexCount {
            let p = mesh.vertex(v) / h - 0.5
            var sum: Float = 0, count: Float = 0
            for reach in 1...2 where count == 0 {
                let lo = SIMD3<Int>(Int((p.x).rounded(.down)) - reach + 1, Int((p.y).rounded(.down)) - reach + 1,
                                    Int((p.z).rounded(.down)) - reach + 1)
                for z in stride(from: max(lo.z, 0), through: min(lo.z + 2 * reach - 1, s.nz - 1), by: 1) {
                    for y in stride(from: max(lo.y, 0), through: min(lo.y + 2 * reach - 1, s.ny - 1), by: 1) {
                        for x in stride(from: max(lo.x, 0), through: min(lo.x + 2 * reach - 1, s.nx - 1), by: 1) {
                            let t = valuesVoxels[(z * s.ny + y) * s.nx + x]
                            if t > 0 {
                                sum += t
                                count += 1
                            }
                        }
                    }
                }
            }
            out[v] = count > 0 ? sum / count * h : 0
        }
        return out
    }
}
