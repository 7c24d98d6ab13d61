extension ScalarGrid {
    /// The grid at half the resolution: each sample is the mean of a 2 × 2 × 2 block (2 × 2
    /// for a 2D grid), voxels twice as large, the same box. Needs even sample counts.
    public func halved() -> ScalarGrid {
        let s = size
        precondition(s.nx % 2 == 0 && s.ny % 2 == 0 && (s.nz % 2 == 0 || s.nz == 1), "halving needs even sizes")
        let depth = s.nz == 1 ? 1 : 2
        let out = GridSize(nx: s.nx / 2, ny: s.ny / 2, nz: s.nz == 1 ? 1 : s.nz / 2)
        var coarse = [Float](repeating: 0, count: out.count)
        let weight = 1 / Float(4 * depth)
        for z in 0..<out.nz {
            for y in 0..<out.ny {
                for x in 0..<out.nx {
                    var sum: Float = 0
                    for dz in 0..<depth {
                        for dy in 0..<2 {
                            let row = s.nx * (2 * y + dy + s.ny * (depth * z + dz))
                            sum += values[row + 2 * x] + values[row + 2 * x + 1]
                        }
                    }
                    coarse[x + out.nx * (y + out.ny * z)] = sum * weight
                }
            }
        }
        return ScalarGrid(size: out, voxelSizeMM: voxelSizeMM * 2, values: coarse)
    }
}
