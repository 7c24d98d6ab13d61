/// A scalar field sampled on a regular grid of cubic voxels.
///
/// Storage is one contiguous `Float` buffer, x fastest, then y, then z:
/// the sample `(x, y, z)` lives at `x + nx * (y + ny * z)`. Sample `(i, j, k)` sits at the
/// centre of its voxel, `((i + 0.5) h, (j + 0.5) h, (k + 0.5) h)` mm with `h = voxelSizeMM`,
/// so the grid covers the box `[0, nx h] × [0, ny h] × [0, nz h]`.
public struct ScalarGrid: Sendable {
    public let size: GridSize
    /// Edge length of one voxel in millimetres.
    public let voxelSizeMM: Double
    public var values: [Float]

    /// A grid filled with `value`.
    public init(size: GridSize, voxelSizeMM: Double, repeating value: Float = 0) {
        precondition(size.count > 0 && voxelSizeMM > 0)
        self.size = size
        self.voxelSizeMM = voxelSizeMM
        self.values = [Float](repeating: value, count: size.count)
    }

    /// A grid over existing values (`values.count` must equal `size.count`).
    public init(size: GridSize, voxelSizeMM: Double, values: [Float]) {
        precondition(values.count == size.count, "values do not match the grid size")
        self.size = size
        self.voxelSizeMM = voxelSizeMM
        self.values = values
    }

    /// Linear index of sample `(x, y, z)`.
    @inline(__always)
    public func index(_ x: Int, _ y: Int, _ z: Int) -> Int {
        x &+ size.nx &* (y &+ size.ny &* z)
    }

    @inline(__always)
    public subscript(x: Int, y: Int, z: Int) -> Float {
        get { values[index(x, y, z)] }
        set { values[index(x, y, z)] = newValue }
    }

    /// Box extent in millimetres along x, y and z.
    public var extentMM: SIMD3<Double> {
        SIMD3(Double(size.nx), Double(size.ny), Double(size.nz)) * voxelSizeMM
    }
}
