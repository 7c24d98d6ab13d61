import ForgeCore

/// The checks and measures every mesh gets before it is written.
public struct MeshCheck: Sendable {
    public let integrity: MeshIntegrity
    public let shells: MeshShells
    public let volume: Double
    public let area: Double
    /// The part of `area` in caps on the faces of the box [0, box] (0 without a box).
    public let capArea: Double
    /// ∫ H dS over the surface (see `MinkowskiFunctionals`), mm.
    public let meanCurvature: Double
    public let bounds: (min: [Double], max: [Double])

    /// The integrity check and the shell labelling (each partly serial) run at the same time.
    /// `box`: the part's box, from the origin, whose faces cut it (for `capArea`).
    public init(of mesh: Mesh, box: SIMD3<Float>? = nil) {
        let fans = VertexFans(of: mesh)
        let (checks, rest) = concurrently({ (MeshIntegrity(of: mesh, fans: fans), mesh.integralMeanCurvature(fans: fans)) }, {
            let bounds = mesh.bounds
            return (MeshShells(of: mesh), mesh.signedVolume, mesh.surfaceArea, bounds,
                    box.map { mesh.capArea(bounds: (SIMD3<Float>(0, 0, 0), $0)) } ?? 0)
        })
        (integrity, meanCurvature) = checks
        (shells, volume, area, capArea) = (rest.0, rest.1, rest.2, rest.4)
        let b = rest.3
        bounds = ([b.min.x, b.min.y, b.min.z].map(Double.init), [b.max.x, b.max.y, b.max.z].map(Double.init))
    }

    /// Closed, consistently oriented 2-manifold enclosing a positive volume.
    public var watertight: Bool { integrity.isClosedManifold && volume > 0 }
}
