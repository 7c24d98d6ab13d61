import ForgeCore

/// Face-connected (6-neighbour) components of a voxel set.
public struct ComponentLabels: Sendable {
    /// Component number per voxel, −1 outside the set; components are numbered by their
    /// first voxel in memory order.
    public let labels: [Int32]
    /// Voxels per component.
    public let sizes: [Int]
    /// Per component, a bit per box face it touches: x−, x+, y−, y+, z−, z+ (bits 0–5).
    public let faces: [UInt8]

    public var count: Int { sizes.count }

    /// The component with the most voxels, if any.
    public var largest: Int? { sizes.indices.max { sizes[$0] < sizes[$1] } }

    /// True when component `c` touches both faces normal to `axis` (0, 1, 2).
    public func spans(_ c: Int, axis: Int) -> Bool {
        faces[c] >> (2 * axis) & 3 == 3
    }

    /// True when component `c` touches no face of the box.
    public func isEnclosed(_ c: Int) -> Bool { faces[c] == 0 }

    /// Labels `mask` with union–find over a raster scan.
    public init(_ mask: VoxelMask) {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        var sets = DisjointSets(count: size.count)
        mask.bits.withUnsafeBufferPointer { bits in
            var i = 0
            for z in 0..<nz {
                for y in 0..<ny {
                    for x in 0..<nx {
                        if bits[i] != 0 {
                            if x > 0 && bits[i - 1] != 0 { sets.union(Int32(i), Int32(i - 1)) }
                            if y > 0 && bits[i - nx] != 0 { sets.union(Int32(i), Int32(i - nx)) }
                            if z > 0 && bits[i - nx * ny] != 0 { sets.union(Int32(i), Int32(i - nx * ny)) }
                        }
                        i += 1
                    }
                }
            }
        }
        var parent = [Int32](repeating: -1, count: size.count)
        for i in 0..<size.count where mask.bits[i] != 0 { parent[i] = sets.find(Int32(i)) }
        // Renumber roots densely and gather sizes and faces.
        var number = [Int32: Int32]()
        var sizes: [Int] = []
        var faces: [UInt8] = []
        var i = 0
        for z in 0..<nz {
            for y in 0..<ny {
                for x in 0..<nx {
                    let root = parent[i]
                    if root >= 0 {
                        let c: Int32
                        if root == Int32(i) {
                            c = Int32(sizes.count)
                            number[root] = c
                            sizes.append(0)
                            faces.append(0)
                        } else {
                            c = number[root]!
                        }
                        parent[i] = c
                        sizes[Int(c)] += 1
                        var f: UInt8 = 0
                        if x == 0 { f |= 1 }
                        if x == nx - 1 { f |= 2 }
                        if y == 0 { f |= 4 }
                        if y == ny - 1 { f |= 8 }
                        if z == 0 { f |= 16 }
                        if z == nz - 1 { f |= 32 }
                        faces[Int(c)] |= f
                    }
                    i += 1
                }
            }
        }
        labels = parent
        self.sizes = sizes
        self.faces = faces
    }
}
