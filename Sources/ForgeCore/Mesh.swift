/// An indexed triangle mesh as flat arrays, in millimetres.
///
/// `positions` holds x, y, z for each vertex; `indices` holds three vertex numbers per
/// triangle, wound counter-clockwise seen from outside (right-hand rule normal points out
/// of the solid).
public struct Mesh: Sendable {
    public var positions: [Float]
    public var indices: [UInt32]

    public init(positions: [Float] = [], indices: [UInt32] = []) {
        precondition(positions.count % 3 == 0 && indices.count % 3 == 0)
        self.positions = positions
        self.indices = indices
    }

    public var vertexCount: Int { positions.count / 3 }
    public var triangleCount: Int { indices.count / 3 }

    @inline(__always)
    public func vertex(_ i: Int) -> SIMD3<Float> {
        SIMD3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2])
    }
}
