import ForgeCore
import ForgeMeshing
import ForgeMetrics
import ForgeMorphology
import Foundation

/// The mesh a design writes: marching cubes, optional smoothing, and reduction to the
/// triangle budget without giving up any guarantee. Built in two steps: `marching` needs
/// the level set, `finished` only the mesh, so the level set can be freed in between.
struct MeshBuild: Sendable {
    let mesh: Mesh
    /// Triangles marching cubes produced at full resolution.
    let marchedTriangles: Int
    /// What the user should know about how the mesh was reduced.
    let notes: [String]
    /// The checks of `mesh` where reducing it already made them (nil otherwise).
    let checked: MeshCheck?
    /// Seconds reducing spent checking the meshes (0 when it made no checks).
    var checksS = 0.0
    /// The shells of `mesh` where the coarser rebuild already counted them (nil otherwise).
    var shells: MeshShells? = nil

    /// Marching cubes of `field`. Far above the budget, the level set is meshed at half
    /// resolution instead (a quarter of the triangles) when that keeps the same bodies and
    /// cavities: edge collapse on tens of millions of triangles takes minutes. `cleanup` is
    /// applied to the coarser level set too, so averaging does not leave specks the
    /// full-resolution solid does not have.
    static func marching(_ field: ScalarGrid, options: DesignOptions, cleanup: CleanupOptions,
                         progress: ProgressReporter) -> MeshBuild {
        var mesh = MarchingCubes.mesh(field) { progress.update("meshing", $0) }
        let marched = mesh.triangleCount
        var notes: [String] = []
        var shells: MeshShells?
        let budget = options.maxTriangles
        var coarseField = field
        while budget > 0, mesh.triangleCount > 4 * budget, coarseField.size.nx >= 32,
              coarseField.size.nx % 2 == 0, coarseField.size.ny % 2 == 0, coarseField.size.nz % 2 == 0 {
            coarseField = coarseField.halved()
            var report = CleanupReport()
            PrintabilityCleanup.tidy(&coarseField, options: cleanup, report: &report)
            let coarse = MarchingCubes.mesh(coarseField)
            let coarseShells = MeshShells(of: coarse)
            guard MeshIntegrity(of: coarse).isClosedManifold, coarseShells == shells ?? MeshShells(of: mesh) else { break }
            mesh = coarse
            shells = coarseShells
            notes = ["the mesh (\(marched) triangles) was rebuilt from the level set at "
                + "\(field.size.nx / coarseField.size.nx)× coarser resolution before decimation; "
                + "--max-triangles 0 keeps the full mesh"]
        }
        return MeshBuild(mesh: mesh, marchedTriangles: marched, notes: notes, checked: nil, shells: shells)
    }

    /// True when `finished` has work beyond checking: smoothing or reduction.
    func needsFinishing(_ options: DesignOptions) -> Bool {
        options.smoothingIterations > 0 || (options.maxTriangles > 0 && mesh.triangleCount > options.maxTriangles)
    }

    /// The mesh smoothed and reduced to the budget; `box` is the part's extent in mm, whose
    /// faces stay flat. A reduction that would break a check is not taken.
    func finished(_ options: DesignOptions, box: SIMD3<Float>, progress: ProgressReporter) -> MeshBuild {
        var mesh = self.mesh, notes = self.notes
        var checked: MeshCheck?
        var checksS = 0.0
        let budget = options.maxTriangles
        var shells = self.shells
        if options.smoothingIterations > 0 {
            mesh = mesh.smoothed(iterations: options.smoothingIterations, box: box)
            shells = nil
        }
        if budget > 0 && mesh.triangleCount > budget {
            progress.update("decimating", 0)
            let reduced = mesh.decimated(maxTriangles: budget, box: box)
            let start = Date()
            let check = MeshCheck(of: reduced, box: box)
            // Never trade the guarantees for size: keep the full mesh if a check fails.
            let kept = check.integrity.isClosedManifold && check.shells == shells ?? MeshShells(of: mesh)
            checksS = Date().timeIntervalSince(start)
            if kept {
                mesh = reduced
                checked = check
            } else {
                notes.append("decimation broke a mesh guarantee, so the undecimated mesh "
                    + "(\(mesh.triangleCount) triangles) was written; please report the recipe")
            }
        }
        return MeshBuild(mesh: mesh, marchedTriangles: marchedTriangles, notes: notes, checked: checked, checksS: checksS)
    }
}
