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
        bits = field.values.map { $0 > 0 ? 1 : 0 }
    }

    /// Number of voxels in the set.
    public var count: Int { bits.reduce(0) { $0 &+ Int($1) } }

    /// The complement.
    public var inverted: VoxelMask {
        VoxelMask(size: size, bits: bits.map { 1 &- $0 })
    }

    @inline(__always)
    public subscript(x: Int, y: Int, z: Int) -> Bool {
        bits[x + size.nx * (y + size.ny * z)] != 0
    }
}
