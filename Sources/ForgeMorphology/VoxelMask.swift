import ForgeCore

/// A binary voxel set on a grid, one byte per voxel (1 = in the set), x fastest.
public struct VoxelMask: Sendable, Equatable {
    public let size: GridSize
    public var bits: [UInt8]

    public init(size: GridSize, bits: [UInt8]) {
        precondition(bits.count == size.count)
        self.size = size
        self.bits = bits
    }

    /// The solid of a level set: f > 0.
    public init(solidOf field: ScalarGrid) {
        size = field.size
        bits = field.values.withUnsafeBufferPointer { values in
            [UInt8](onHugePages: values.count) { out in
                for i in values.indices { out[i] = values[i] > 0 ? 1 : 0 }
            }
        }
    }

    /// Number of voxels in the set.
    public var count: Int { bits.reduce(0) { $0 &+ Int($1) } }

    /// The mask at half the resolution: a coarse voxel is in the set when at least half of
    /// its 2 × 2 × 2 block is (2 × 2 for a 2D mask). Odd trailing samples are dropped.
    public func halved() -> VoxelMask {
        let s = size
        let depth = s.nz == 1 ? 1 : 2
        let out = GridSize(nx: s.nx / 2, ny: s.ny / 2, nz: s.nz == 1 ? 1 : s.nz / 2)
        var coarse = [UInt8](repeating: 0, count: out.count)
        for z in 0..<out.nz {
            for y in 0..<out.ny {
                for x in 0..<out.nx {
                    var inside = 0
                    for dz in 0..<depth {
                        for dy in 0..<2 {
                            let row = s.nx * (2 * y + dy + s.ny * (depth * z + dz))
                            inside += Int(bits[row + 2 * x]) + Int(bits[row + 2 * x + 1])
                        }
                    }
                    coarse[x + out.nx * (y + out.ny * z)] = 2 * inside >= 4 * depth ? 1 : 0
                }
            }
        }
        return VoxelMask(size: out, bits: coarse)
    }

    /// The complement.
    public var inverted: VoxelMask {
        VoxelMask(size: size, bits: bits.map { 1 &- $0 })
    }

    @inline(__always)
    public subscript(x: Int, y: Int, z: Int) -> Bool {
        bits[x + size.nx * (y + size.ny * z)] != 0
    }
}
