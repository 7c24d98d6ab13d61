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
