extension ScalarGrid {
    /// The grid repeated `counts` = [nx, ny, nz] times along each axis. For a periodic field
    /// the copies join seamlessly (sample n − 1 is followed by sample 0 of the next copy).
    public func tiled(_ counts: [Int]) -> ScalarGrid {
        precondition(counts.count == 3 && counts.allSatisfy { $0 >= 1 })
        if counts == [1, 1, 1] { return self }
        let s = size
        let out = GridSize(nx: s.nx * counts[0], ny: s.ny * counts[1], nz: s.nz * counts[2])
        var values = [Float](repeating: 0, count: out.count)
        values.withUnsafeMutableBufferPointer { dst in
            self.values.withUnsafeBufferPointer { src in
                for z in 0..<out.nz {
                    for y in 0..<out.ny {
                        let from = src.baseAddress! + s.nx * ((y % s.ny) + s.ny * (z % s.nz))
                        let row = dst.baseAddress! + out.nx * (y + out.ny * z)
                        for c in 0..<counts[0] { (row + c * s.nx).update(from: from, count: s.nx) }
                    }
                }
            }
        }
        return ScalarGrid(size: out, voxelSizeMM: voxelSizeMM, values: values)
    }
}
