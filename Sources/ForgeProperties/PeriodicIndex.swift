import ForgeCore

/// Neighbour indices on a periodic grid, x fastest.
struct PeriodicIndex: Sendable {
    let size: GridSize
    init(_ size: GridSize) { self.size = size }

    @inline(__always) private func geometry(_ axis: Int) -> (stride: Int, n: Int) {
        switch axis {
        case 0: return (1, size.nx)
        case 1: return (size.nx, size.ny)
        default: return (size.nx * size.ny, size.nz)
        }
    }

    /// The index one step along +axis.
    @inline(__always) func next(_ i: Int, _ axis: Int) -> Int {
        let (stride, n) = geometry(axis)
        return (i / stride) % n == n - 1 ? i - (n - 1) * stride : i + stride
    }

    /// The index one step along −axis.
    @inline(__always) func previous(_ i: Int, _ axis: Int) -> Int {
        let (stride, n) = geometry(axis)
        return (i / stride) % n == 0 ? i + (n - 1) * stride : i - stride
    }
}
