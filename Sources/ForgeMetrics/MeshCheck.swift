import ForgeCore

/// The checks and measures every mesh gets before it is written.
public struct MeshCheck: Sendable {
    public let integrity: MeshIntegrity
    public let shells: MeshShells
    public let volume: Double
    public let area: Double
    public let bounds: (min: [Double], max: [Double])

    /// The integrity check and the shell labelling (each partly serial) run at the same time.
    public init(of mesh: Mesh) {
        let (integrity, rest) = concurrently({ MeshIntegrity(of: mesh) }, {
            (MeshShells(of: mesh), mesh.signedVolume, mesh.surfaceArea, mesh.bounds)
        })
        self.integrity = integrity
        (shells, volume, area) = (rest.0, rest.1, rest.2)
        let b = rest.3
        bounds = ([b.min.x, b.min.y, b.min.z].map(Double.init), [b.max.x, b.max.y, b.max.z].map(Double.init))
    }

    /// Closed, consistently oriented 2-manifold enclosing a positive volume.
    public var watertight: Bool { integrity.isClosedManifold && volume > 0 }
}
