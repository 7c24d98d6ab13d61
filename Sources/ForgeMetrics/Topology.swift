import ForgeCore
import ForgeMeshing
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
    /// Euler characteristic χ of the solid, read as the mesh reads it: solid joined across
    /// faces, void across faces and edges (see `eulerCharacteristic(of:periodic:)`), so it
    /// equals the χ of the part's mesh.
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

    /// χ of the solid as the marching-cubes mesh bounds it: the sum over every cell of 2×2×2
    /// voxel centres (the box padded with void, or wrapped when `periodic`) of the cell's
    /// share of V − E + F of its triangulation — a vertex on a cell edge counts ¼ (four cells
    /// share it), a segment on a cell face ½, an edge inside the cell and a triangle 1 —
    /// halved, since a solid's boundary has twice its χ. This reads solid as joined across
    /// faces and void across faces and edges, as the mesher does: two void voxels meeting
    /// only at a corner are apart (a face-connected cubical complex of the solid would join
    /// them, and count a spurious handle in every such corner of a thin sheet).
    public static func eulerCharacteristic(of mask: VoxelMask, periodic: Bool) -> Int {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let planar = nz == 1
        // Cells start one voxel before the box (padded) or at it (wrapped); a 2D field is
        // one layer between two of void.
        let (cx, cy, cz) = periodic ? (nx, ny, planar ? 2 : nz) : (nx + 1, ny + 1, planar ? 2 : nz + 1)
        let table = cellContributions
        let chunks = parallelChunkCount(cz, minimumChunk: 4)
        let parts = ChunkSlots(count: chunks, initial: 0)
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            table.withUnsafeBufferPointer { contributions in
                let share = SendableReadOnlyPointer(contributions.baseAddress!)
                parallelForChunks(cz, chunks: chunks) { chunk, zs in
                    // The voxel at (x, y, z) of the padded or wrapped grid.
                    @inline(__always) func at(_ x: Int, _ y: Int, _ z: Int) -> Int {
                        var (x, y, z) = (x, y, z)
                        if periodic && !planar {
                            if x == nx { x = 0 }
                            if y == ny { y = 0 }
                            if z == nz { z = 0 }
                        } else if periodic {
                            if x == nx { x = 0 }
                            if y == ny { y = 0 }
                            guard z == 1 else { return 0 }
                            z = 0
                        } else {
                            x &-= 1; y &-= 1; z &-= 1
                            guard x >= 0, x < nx, y >= 0, y < ny, z >= 0, z < nz else { return 0 }
                        }
                        return bits.base[(z &* ny &+ y) &* nx &+ x] != 0 ? 1 : 0
                    }
                    var sum = 0
                    for z in zs {
                        for y in 0..<cy {
                            for x in 0..<cx {
                                let c = at(x, y, z) | at(x + 1, y, z) << 1 | at(x, y + 1, z) << 2 | at(x + 1, y + 1, z) << 3
                                    | at(x, y, z + 1) << 4 | at(x + 1, y, z + 1) << 5 | at(x, y + 1, z + 1) << 6
                                    | at(x + 1, y + 1, z + 1) << 7
                                sum &+= Int(share.base[c])
                            }
                        }
                    }
                    parts.store(sum, at: chunk)
                }
            }
        }
        let total = parts.values.reduce(0, +)
        precondition(total % 16 == 0, "the cell shares of a closed surface add up to a whole χ")
        return total / 16
    }

    /// 8 × (V/4 − E_face/2 − E_inside + F) of each of the 256 cells' triangulations, from
    /// the mesher's own table: a segment used by one triangle of the cell lies on a face
    /// (its other triangle is in the neighbouring cell), one used by two lies inside.
    static let cellContributions: [Int16] = {
        let table = MarchingCubesTable.shared
        return (0..<256).map { c in
            let t = table.triangles[table.offsets[c]..<table.offsets[c + 1]].map(Int.init)
            var uses: [Int: Int] = [:]
            var points = Set<Int>()
            for k in stride(from: 0, to: t.count, by: 3) {
                for (a, b) in [(t[k], t[k + 1]), (t[k + 1], t[k + 2]), (t[k + 2], t[k])] {
                    uses[min(a, b) * 16 + max(a, b), default: 0] += 1
                    points.insert(a)
                }
            }
            let onFaces = uses.values.filter { $0 == 1 }.count, inside = uses.values.filter { $0 == 2 }.count
            return Int16(2 * points.count - 4 * onFaces - 8 * inside + 8 * (t.count / 3))
        }
    }()
}

extension Mesh {
    /// Euler characteristic of the solid a closed mesh bounds: (V − E + F) / 2 with
    /// E = 3F/2 (each shell contributes 2 − 2g to the surface).
    public var solidEulerCharacteristic: Int {
        (vertexCount - triangleCount / 2) / 2
    }
}
