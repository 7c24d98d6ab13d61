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

    /// Labels the voxels of `mask` whose bit is `phase` (1: the set, 0: its complement)
    /// with union–find over a raster scan.
    public init(_ mask: VoxelMask, phase: UInt8 = 1) {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        // Union–find over a raster scan on raw storage (the smaller index becomes the root),
        // then every voxel points at its root; −1 outside the set. A voxel joins its left
        // neighbour's set by pointing at that neighbour's parent; it is unioned with the
        // voxel behind it (y − 1, and likewise z − 1) only when the left and left-behind
        // voxels do not already connect the two — once per run rather than once per voxel.
        // Slabs of planes are scanned in parallel, each touching only its own voxels; the
        // planes where slabs meet are joined after, then every voxel finds its root.
        let plane = nx * ny
        let chunks = parallelChunkCount(nz, minimumChunk: 4)
        let slabs = (0..<chunks).map { $0 * nz / chunks }
        var parent = [Int32](unsafeUninitializedCapacity: size.count) { storage, initialised in
            let p = SendablePointer(storage.baseAddress!)
            mask.bits.withUnsafeBufferPointer { buffer in
                let bits = SendableReadOnlyPointer(buffer.baseAddress!)
                parallelForChunks(nz, chunks: chunks) { _, zs in
                    let all = UnsafeMutableBufferPointer(start: p.base, count: size.count)
                    (p.base + zs.lowerBound * plane).update(repeating: -1, count: zs.count * plane)
                    var i = zs.lowerBound * plane
                    for z in zs {
                        let behindZ = z > zs.lowerBound
                        for y in 0..<ny {
                            var leftIn = false, leftBackY = false, leftBackZ = false
                            for _ in 0..<nx {
                                let here = bits.base[i] == phase
                                let backY = y > 0 && bits.base[i &- nx] == phase
                                let backZ = behindZ && bits.base[i &- plane] == phase
                                if here {
                                    p.base[i] = leftIn ? p.base[i &- 1] : Int32(i)
                                    if backY && !(leftIn && leftBackY) { DisjointSets.union(Int32(i), Int32(i &- nx), in: all) }
                                    if backZ && !(leftIn && leftBackZ) { DisjointSets.union(Int32(i), Int32(i &- plane), in: all) }
                                }
                                leftIn = here
                                leftBackY = backY
                                leftBackZ = backZ
                                i &+= 1
                            }
                        }
                    }
                }
            }
            initialised = size.count
        }
        var roots = 0
        mask.bits.withUnsafeBufferPointer { bits in
            parent.withUnsafeMutableBufferPointer { p in
                for z in slabs.dropFirst() where z > 0 {
                    for i in z * plane..<(z + 1) * plane where bits[i] == phase && bits[i - plane] == phase {
                        DisjointSets.union(Int32(i), Int32(i - plane), in: p)
                    }
                }
                for i in 0..<p.count where p[i] >= 0 {
                    let root = DisjointSets.find(Int32(i), in: p)
                    p[i] = root
                    if root == Int32(i) { roots &+= 1 }
                }
            }
        }
        // Renumber densely in memory order. A root is its component's first voxel (unions
        // keep the smaller index), so by the time a voxel is reached its root already holds
        // the component's number.
        var sizes = [Int](repeating: 0, count: roots)
        var faces = [UInt8](repeating: 0, count: roots)
        parent.withUnsafeMutableBufferPointer { p in
            sizes.withUnsafeMutableBufferPointer { sizes in
                faces.withUnsafeMutableBufferPointer { faces in
                    var i = 0, next = 0
                    for z in 0..<nz {
                        let fz: UInt8 = (z == 0 ? 16 : 0) | (z == nz - 1 ? 32 : 0)
                        for y in 0..<ny {
                            let fyz = fz | (y == 0 ? 4 : 0) | (y == ny - 1 ? 8 : 0)
                            for x in 0..<nx {
                                let root = p[i]
                                if root >= 0 {
                                    let c: Int
                                    if root == Int32(i) {
                                        c = next
                                        next &+= 1
                                    } else {
                                        c = Int(p[Int(root)])
                                    }
                                    p[i] = Int32(c)
                                    sizes[c] &+= 1
                                    faces[c] |= fyz | (x == 0 ? 1 : 0) | (x == nx - 1 ? 2 : 0)
                                }
                                i &+= 1
                            }
                        }
                    }
                }
            }
        }
        labels = parent
        self.sizes = sizes
        self.faces = faces
    }
}
