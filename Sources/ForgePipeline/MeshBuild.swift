import ForgeCore
import ForgeMeshing
import ForgeMetrics
import ForgeMorphology

/// The mesh a design writes: marching cubes, optional smoothing, and reduction to the
/// triangle budget without giving up any guarantee.
struct MeshBuild {
    let mesh: Mesh
    /// Triangles marching cubes produced at full resolution.
    let marchedTriangles: Int
    /// What the user should know about how the mesh was reduced.
    let notes: [String]
    /// The checks of `mesh` where reducing it already made them (nil otherwise).
    let checked: MeshCheck?

    /// `cleanup` is applied to a coarser level set too, so averaging does not leave specks
    /// the full-resolution solid does not have.
    init(field: ScalarGrid, options: DesignOptions, cleanup: CleanupOptions, progress: ProgressReporter) {
        var mesh = MarchingCubes.mesh(field) { progress.update("meshing", $0) }
        marchedTriangles = mesh.triangleCount
        var notes: [String] = []
        var checked: MeshCheck?
        let budget = options.maxTriangles
        // Far above the budget, mesh the level set at half resolution first (a quarter of
        // the triangles) when that keeps the same bodies and cavities: edge collapse on tens
        // of millions of triangles takes minutes.
        var coarseField = field
        while budget > 0, mesh.triangleCount > 4 * budget, coarseField.size.nx >= 32,
              coarseField.size.nx % 2 == 0, coarseField.size.ny % 2 == 0, coarseField.size.nz % 2 == 0 {
            coarseField = coarseField.halved()
            var report = CleanupReport()
            PrintabilityCleanup.tidy(&coarseField, options: cleanup, report: &report)
            let coarse = MarchingCubes.mesh(coarseField)
            guard MeshIntegrity(of: coarse).isClosedManifold, MeshShells(of: coarse) == MeshShells(of: mesh) else { break }
            mesh = coarse
            notes = ["the mesh (\(marchedTriangles) triangles) was rebuilt from the level set at "
                + "\(field.size.nx / coarseField.size.nx)× coarser resolution before decimation; "
                + "--max-triangles 0 keeps the full mesh"]
        }
        let box = SIMD3<Float>(field.extentMM)
        if options.smoothingIterations > 0 { mesh = mesh.smoothed(iterations: options.smoothingIterations, box: box) }
        if budget > 0 && mesh.triangleCount > budget {
            progress.update("decimating", 0)
            let reduced = mesh.decimated(maxTriangles: budget, box: box)
            let check = MeshCheck(of: reduced)
            // Never trade the guarantees for size: keep the full mesh if a check fails.
            if check.integrity.isClosedManifold && check.shells == MeshShells(of: mesh) {
                mesh = reduced
                checked = check
            } else {
                notes.append("decimation broke a mesh guarantee, so the undecimated mesh "
                    + "(\(mesh.triangleCount) triangles) was written; please report the recipe")
            }
        }
        self.mesh = mesh
        self.notes = notes
        self.checked = checked
    }
}
