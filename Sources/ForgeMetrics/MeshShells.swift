import ForgeCore

/// The connected shells of a closed mesh and the sign of each one's enclosed volume:
/// outer surfaces of bodies are positive, cavities inside a body negative.
public struct MeshShells: Sendable, Equatable {
    public let outer: Int
    public let cavities: Int

    public init(of mesh: Mesh) {
        var sets = DisjointSets(count: mesh.vertexCount)
        var shellOf = [Int32](repeating: -1, count: mesh.vertexCount)
        var sums: [Double] = [], used: [Bool] = []
        mesh.indices.withUnsafeBufferPointer { idx in
            sets.withParents { parent in
                var t = 0
                while t < idx.count {
                    DisjointSets.union(Int32(idx[t]), Int32(idx[t &+ 1]), in: parent)
                    DisjointSets.union(Int32(idx[t]), Int32(idx[t &+ 2]), in: parent)
                    t &+= 3
                }
                // Dense shell numbers per vertex (a set's root is its first vertex), then one
                // volume sum per shell.
                shellOf.withUnsafeMutableBufferPointer { shell in
                    var shellCount: Int32 = 0
                    for v in 0..<shell.count {
                        let root = Int(DisjointSets.find(Int32(v), in: parent))
                        if root == v {
                            shell[v] = shellCount
                            shellCount &+= 1
                        } else {
                            shell[v] = shell[root]
                        }
                    }
                    sums = [Double](repeating: 0, count: Int(shellCount))
                    // Vertices that no triangle uses form no shell.
                    used = [Bool](repeating: false, count: Int(shellCount))
                }
            }
            shellOf.withUnsafeBufferPointer { shell in
                mesh.positions.withUnsafeBufferPointer { xyz in
                    sums.withUnsafeMutableBufferPointer { sum in
                        used.withUnsafeMutableBufferPointer { usedBy in
                            var t = 0
                            while t < idx.count {
                                let (a, b, c) = (3 &* Int(idx[t]), 3 &* Int(idx[t &+ 1]), 3 &* Int(idx[t &+ 2]))
                                let (px, py, pz) = (Double(xyz[a]), Double(xyz[a &+ 1]), Double(xyz[a &+ 2]))
                                let (qx, qy, qz) = (Double(xyz[b]), Double(xyz[b &+ 1]), Double(xyz[b &+ 2]))
                                let (rx, ry, rz) = (Double(xyz[c]), Double(xyz[c &+ 1]), Double(xyz[c &+ 2]))
                                let k = Int(shell[Int(idx[t])])
                                sum[k] += (px * (qy * rz - qz * ry) + py * (qz * rx - qx * rz) + pz * (qx * ry - qy * rx)) / 6
                                usedBy[k] = true
                                t &+= 3
                            }
                        }
                    }
                }
            }
        }
        let volume = sums.indices.filter { used[$0] }.map { sums[$0] }
        outer = volume.filter { $0 > 0 }.count
        cavities = volume.filter { $0 <= 0 }.count
    }
}
