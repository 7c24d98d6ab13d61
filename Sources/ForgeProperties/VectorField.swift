import ForgeCore
import Foundation

/// Three Float components per voxel of a grid, stored one component after another
/// (all x, then all y, then all z), each x fastest: the unknowns of the staggered-grid solver.
final class VectorField: @unchecked Sendable {
    let size: GridSize
    /// Floats per component.
    let stride: Int
    let pointer: UnsafeMutablePointer<Float>

    init(size: GridSize) {
        self.size = size
        stride = size.count
        pointer = .allocate(capacity: 3 * stride)
        MemoryPages.adviseHuge(UnsafeMutableRawPointer(pointer), bytes: 3 * stride * MemoryLayout<Float>.stride)
        pointer.initialize(repeating: 0, count: 3 * stride)
    }

    deinit { pointer.deallocate() }

    /// Component `c` (0 = x, 1 = y, 2 = z).
    func component(_ c: Int) -> UnsafeMutablePointer<Float> { pointer + c * stride }

    func zero() { pointer.update(repeating: 0, count: 3 * stride) }
}

/// The six stress components of a staggered grid, one Float array each: the normal stresses
/// at voxel centres, the shear stresses on the voxel's xy, xz and yz edges.
final class StressField: @unchecked Sendable {
    let stride: Int
    let pointer: UnsafeMutablePointer<Float>

    init(size: GridSize) {
        stride = size.count
        pointer = .allocate(capacity: 6 * stride)
        MemoryPages.adviseHuge(UnsafeMutableRawPointer(pointer), bytes: 6 * stride * MemoryLayout<Float>.stride)
        pointer.initialize(repeating: 0, count: 6 * stride)
    }

    deinit { pointer.deallocate() }

    /// Component in Voigt order: 0 xx, 1 yy, 2 zz, 3 yz, 4 xz, 5 xy.
    func component(_ c: Int) -> UnsafeMutablePointer<Float> { pointer + c * stride }
}
