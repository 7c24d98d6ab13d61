import CephaloForge
import Foundation

/// Small helpers shared by the tests.
enum TestSupport {
    /// A fresh empty folder under the system temporary folder.
    static func temporaryFolder(_ label: String = #function) -> URL {
        let name = "cf-test-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Directed edges counted independently of `MeshIntegrity`: every a→b must occur once
    /// and its reverse b→a once.
    static func edgesArePairedOpposite(_ mesh: Mesh) -> Bool {
        var counts: [UInt64: Int] = [:]
        let idx = mesh.indices
        for t in stride(from: 0, to: idx.count, by: 3) {
            for (a, b) in [(idx[t], idx[t + 1]), (idx[t + 1], idx[t + 2]), (idx[t + 2], idx[t])] {
                counts[UInt64(a) << 32 | UInt64(b), default: 0] += 1
            }
        }
        for (key, n) in counts {
            let reverse = (key << 32) | (key >> 32)
            if n != 1 || counts[reverse] != 1 { return false }
        }
        return true
    }

    /// A grid of `n`³ samples with values from `f(x, y, z)` at voxel centres (mm).
    static func grid(_ n: Int, voxelMM: Double, _ f: (Double, Double, Double) -> Double) -> ScalarGrid {
        var g = ScalarGrid(size: GridSize(cube: n), voxelSizeMM: voxelMM)
        for z in 0..<n {
            for y in 0..<n {
                for x in 0..<n {
                    g[x, y, z] = Float(f((Double(x) + 0.5) * voxelMM, (Double(y) + 0.5) * voxelMM, (Double(z) + 0.5) * voxelMM))
                }
            }
        }
        return g
    }
}

extension TestSupport {
    /// Signed volumes of the edge-connected shells of a closed mesh (outer shells positive,
    /// cavities negative), found independently of the project's topology code.
    static func shellVolumes(_ mesh: Mesh) -> [Double] {
        var parent = Array(0..<mesh.vertexCount)
        func find(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var j = i
            while parent[j] != r { (parent[j], j) = (r, parent[j]) }
            return r
        }
        let idx = mesh.indices.map(Int.init)
        for t in stride(from: 0, to: idx.count, by: 3) {
            let a = find(idx[t]), b = find(idx[t + 1]), c = find(idx[t + 2])
            parent[b] = a
            parent[find(c)] = find(a)
        }
        var volumes: [Int: Double] = [:]
        for t in stride(from: 0, to: idx.count, by: 3) {
            let p = mesh.vertex(idx[t]), q = mesh.vertex(idx[t + 1]), r = mesh.vertex(idx[t + 2])
            let v = Double(p.x) * (Double(q.y) * Double(r.z) - Double(q.z) * Double(r.y))
                + Double(p.y) * (Double(q.z) * Double(r.x) - Double(q.x) * Double(r.z))
                + Double(p.z) * (Double(q.x) * Double(r.y) - Double(q.y) * Double(r.x))
            volumes[find(idx[t]), default: 0] += v / 6
        }
        return Array(volumes.values)
    }

    /// A mask of `size` from a predicate on voxel indices.
    static func mask(_ size: GridSize, _ inside: (Int, Int, Int) -> Bool) -> VoxelMask {
        var bits = [UInt8](repeating: 0, count: size.count)
        for z in 0..<size.nz { for y in 0..<size.ny { for x in 0..<size.nx where inside(x, y, z) {
            bits[x + size.nx * (y + size.ny * z)] = 1
        } } }
        return VoxelMask(size: size, bits: bits)
    }
}

extension TestSupport {
    /// The mesh with exactly equal positions merged into one vertex.
    static func welded(_ mesh: Mesh) -> Mesh {
        var lookup: [SIMD3<Float>: UInt32] = [:]
        var positions: [Float] = []
        let indices = mesh.indices.map { i -> UInt32 in
            let v = mesh.vertex(Int(i))
            if let j = lookup[v] { return j }
            let j = UInt32(positions.count / 3)
            lookup[v] = j
            positions += [v.x, v.y, v.z]
            return j
        }
        return Mesh(positions: positions, indices: indices)
    }
}
