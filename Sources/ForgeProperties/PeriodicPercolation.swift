import ForgeCore
import ForgeMorphology

/// Whether the solid of a periodic cell carries load along each axis: some face-connected
/// component of the infinite periodic tiling runs without end along that axis. Found by a
/// breadth-first search that remembers which copy of the cell each voxel was reached in: a
/// component reaches the same voxel in two copies a lattice vector apart exactly when it
/// winds around the cell along that vector.
public enum PeriodicPercolation {
    /// Per axis x, y, z: true when the solid percolates. O(voxels); 10 bytes per voxel.
    public static func axes(of mask: VoxelMask) -> [Bool] {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let count = size.count
        var visited = [Bool](repeating: false, count: count)
        var copy = [SIMD3<Int16>](repeating: .zero, count: count)
        var winds = [false, false, false]
        let steps = [(0, 1), (0, -1), (1, 1), (1, -1), (2, 1), (2, -1)]
        var queue = [Int32]()
        queue.reserveCapacity(1 << 16)
        mask.bits.withUnsafeBufferPointer { bits in
            for seed in 0..<count where bits[seed] != 0 && !visited[seed] {
                visited[seed] = true
                copy[seed] = .zero
                queue.removeAll(keepingCapacity: true)
                queue.append(Int32(seed))
                var head = 0
                while head < queue.count {
                    let v = Int(queue[head])
                    head += 1
                    let x = v % nx, y = (v / nx) % ny, z = v / (nx * ny)
                    let here = copy[v]
                    for (axis, step) in steps {
                        var (a, b, c) = (x, y, z)
                        var shift = here
                        switch axis {
                        case 0:
                            a += step
                            if a == nx { a = 0; shift.x += 1 } else if a < 0 { a = nx - 1; shift.x -= 1 }
                        case 1:
                            b += step
                            if b == ny { b = 0; shift.y += 1 } else if b < 0 { b = ny - 1; shift.y -= 1 }
                        default:
                            c += step
                            if c == nz { c = 0; shift.z += 1 } else if c < 0 { c = nz - 1; shift.z -= 1 }
                        }
                        let w = a + nx * (b + ny * c)
                        guard bits[w] != 0 else { continue }
                        if visited[w] {
                            let d = copy[w] &- shift
                            if d.x != 0 { winds[0] = true }
                            if d.y != 0 { winds[1] = true }
                            if d.z != 0 { winds[2] = true }
                        } else {
                            visited[w] = true
                            copy[w] = shift
                            queue.append(Int32(w))
                        }
                    }
                }
            }
        }
        return size.isPlanar ? [winds[0], winds[1], false] : winds
    }
}
