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
