import ForgeCore
import ForgeMorphology

/// Connectivity and topology of the solid and void phases (face connectivity, which is how
/// the mesher joins solid voxels).
public struct Topology: Sendable, Codable, Equatable {
    public var solidComponents: Int
    public var voidComponents: Int
    /// Void components touching no box face: trapped resin or powder.
    public var voidsEnclosed: Int
    /// Fraction of the box volume in enclosed void components.
    public var enclosedVoidFraction: Double
    /// Per axis x, y, z: a single solid component touches both faces normal to it.
    public var solidPercolates: [Bool]
    public var voidPercolates: [Bool]
    /// Euler characteristic χ of the solid (face-connected cubical complex).
    public var eulerCharacteristic: Int
    /// 1 − χ for one body without cavities (the number of handles); nil otherwise.
    public var genus: Int?

    enum CodingKeys: String, CodingKey {
        case solidComponents = "solid_components"
        case voidComponents = "void_components"
        case voidsEnclosed = "voids_enclosed"
        case enclosedVoidFraction = "enclosed_void_fraction"
        case solidPercolates = "solid_percolates"
        case voidPercolates = "void_percolates"
        case eulerCharacteristic = "euler_characteristic"
        case genus
    }

    /// One phase's labels at a time (each is four bytes per voxel).
    public init(of mask: VoxelMask) {
        let axes = mask.size.isPlanar ? 2 : 3
        (solidComponents, solidPercolates) = {
            let solid = ComponentLabels(mask)
            return (solid.count, (0..<axes).map { a in (0..<solid.count).contains { solid.spans($0, axis: a) } })
        }()
        let void = ComponentLabels(mask, phase: 0)
        voidComponents = void.count
        let enclosed = (0..<void.count).filter { void.isEnclosed($0) }
        voidsEnclosed = enclosed.count
        enclosedVoidFraction = Double(enclosed.reduce(0) { $0 + void.sizes[$1] }) / Double(mask.size.count)
        voidPercolates = (0..<axes).map { a in (0..<void.count).contains { void.spans($0, axis: a) } }
        eulerCharacteristic = Self.eulerCharacteristic(of: mask, periodic: false)
        genus = solidComponents == 1 && enclosed.isEmpty ? 1 - eulerCharacteristic : nil
    }

    /// χ = voxels − adjacent pairs + full 2×2 squares − full 2×2×2 cubes of the set: the
    /// Euler characteristic of its face-connected cubical complex. `periodic` wraps every
    /// axis (a unit cell on the 3-torus).
    public static func eulerCharacteristic(of mask: VoxelMask, periodic: Bool) -> Int {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let planar = nz == 1
        let chunks = parallelChunkCount(nz, minimumChunk: 4)
        let parts = ChunkSlots(count: chunks, initial: 0)
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            // Planes z0..<z1, each voxel with its neighbours at +1 along the axes: wrapped
            // (periodic) or absent past the edge.
            parallelForChunks(nz, chunks: chunks) { chunk, zs in
                @inline(__always) func at(_ x: Int, _ y: Int, _ z: Int) -> Bool {
                    var (x, y, z) = (x, y, z)
                    if x == nx { if periodic { x = 0 } else { return false } }
                    if y == ny { if periodic { y = 0 } else { return false } }
                    if z == nz { if periodic { z = 0 } else { return false } }
                    return bits.base[(z &* ny &+ y) &* nx &+ x] != 0
                }
                var vertices = 0, edges = 0, squares = 0, cubes = 0
                var i = zs.lowerBound * nx * ny
                for z in zs {
                    for y in 0..<ny {
                        for x in 0..<nx {
                            defer { i &+= 1 }
                            guard bits.base[i] != 0 else { continue }
                            vertices &+= 1
                            let px = at(x + 1, y, z), py = at(x, y + 1, z), pz = !planar && at(x, y, z + 1)
                            edges &+= (px ? 1 : 0) &+ (py ? 1 : 0) &+ (pz ? 1 : 0)
                            let pxy = px && py && at(x + 1, y + 1, z)
                            let pxz = px && pz && at(x + 1, y, z + 1)
                            let pyz = py && pz && at(x, y + 1, z + 1)
                            squares &+= (pxy ? 1 : 0) &+ (pxz ? 1 : 0) &+ (pyz ? 1 : 0)
                            if pxy && pxz && pyz && at(x + 1, y + 1, z + 1) { cubes &+= 1 }
                        }
                    }
                }
                parts.store(vertices - edges + squares - cubes, at: chunk)
            }
        }
        return parts.values.reduce(0, +)
    }
}

extension Mesh {
    /// Euler characteristic of the solid a closed mesh bounds: (V − E + F) / 2 with
    /// E = 3F/2 (each shell contributes 2 − 2g to the surface).
    public var solidEulerCharacteristic: Int {
        (vertexCount - triangleCount / 2) / 2
    }
}
