import ForgeCore

/// A voxel mask at a bit per voxel (an eighth of the memory), for masks kept aside.
public struct PackedMask: Sendable, Equatable {
    public let size: GridSize
    public let words: [UInt64]

    public init(_ mask: VoxelMask) {
        size = mask.size
        words = mask.bits.withUnsafeBufferPointer { bits in
            (0..<(bits.count + 63) / 64).map { w in
                var word: UInt64 = 0
                for b in 0..<min(64, bits.count - 64 * w) where bits[64 * w + b] != 0 { word |= 1 << UInt64(b) }
                return word
            }
        }
    }

    public func unpacked() -> VoxelMask {
        VoxelMask(size: size, bits: (0..<size.count).map { UInt8(truncatingIfNeeded: words[$0 >> 6] >> UInt64($0 & 63) & 1) })
    }
}
