import ForgeCore
import ForgeMeshing
import ForgeMetrics
import ForgeMorphology
import Foundation

/// The mesh a design writes: marching cubes, optional smoothing, and reduction to the
/// triangle budget without giving up any guarantee. Built in two steps: `marching` needs
/// the level set, `finished` only the mesh, so the level set can be freed in between.
///
/// A reduced mesh is written only when it is the same part as the full-resolution mesh
/// (`MeshFidelity`: volume within 1%, the same extent, bodies and cavities, the surfaces
/// within half a voxel of each other). When no reduction within that tolerance reaches the
/// budget, the smallest mesh that passes is written and a warning says so.
struct MeshBuild: Sendable {
    let mesh: Mesh
    /// Triangles marching cubes produced at full resolution.
    let marchedTriangles: Int
    /// What the user should know about how the mesh was reduced.
    let warnings: [DesignWarning]
    /// The checks of `mesh` where reducing it already made them (nil otherwise).
    let checked: MeshCheck?
    /// Seconds reducing spent checking the meshes (0 when it made no checks).
    var checksS = 0.0
    /// The full-resolution mesh, measured for comparisons, where a coarser rebuild was tried.
    var full: MeshFidelity.Reference? = nil
    /// The coarser rebuild's comparison with `full`, where it stands in for the full mesh.
    var coarseFidelity: MeshFidelity? = nil
    /// How `mesh` was reduced (nil until `finished` ran, or with no budget).
    var reduction: MeshReduction? = nil
    /// Why the coarser level set's mesh was not the same part (nil when none was tried).
    var coarseRejected: String? = nil
    /// The voxel width, mm: the unit of the fidelity tolerance.
    let voxelMM: Double

    var tolerance: MeshFidelity.Tolerance { MeshFidelity.Tolerance(voxel: voxelMM) }

    /// Marching cubes of `field`. Far above the budget (`coarserAbove` times), the level set
    /// is meshed at half resolution instead (a quarter of the triangles) when that mesh is
    /// the same part: edge collapse on tens of millions of triangles takes a while, the
    /// same-part test of the coarser mesh less. `cleanup` is applied
    /// to the coarser level set too, so averaging does not leave specks the full-resolution
    /// solid does not have.
    ///
    /// `zScale` stretches the mesh along z (a plate extruded to whole voxels, brought to its
    /// exact thickness).
    static func marching(_ field: ScalarGrid, voxelMM: Double, zScale: Float = 1, options: DesignOptions,
                         cleanup: CleanupOptions, progress: ProgressReporter) -> MeshBuild {
        var mesh = MarchingCubes.mesh(field) { progress.update("meshing", $0) }.stretched(z: zScale)
        let marched = mesh.triangleCount
        let budget = options.maxTriangles
        var full: MeshFidelity.Reference?
        var coarseFidelity: MeshFidelity?
        var coarseRejected: String?
        var coarseField = field
        let tolerance = MeshFidelity.Tolerance(voxel: voxelMM)
        while budget > 0, options.smoothingIterations == 0, mesh.triangleCount > Self.coarserAbove * budget, coarseField.size.nx >= 32,
              coarseField.size.nx % 2 == 0, coarseField.size.ny % 2 == 0, coarseField.size.nz % 2 == 0 {
            coarseField = coarseField.halved()
            var report = CleanupReport()
            PrintabilityCleanup.tidy(&coarseField, options: cleanup, report: &report)
            let coarse = MarchingCubes.mesh(coarseField).stretched(z: zScale)
            // Built once, from the full mesh, and kept for the decimated mesh's comparison.
            let reference = full ?? MeshFidelity.Reference(mesh, shells: MeshShells(of: mesh), tolerance: tolerance)
            full = reference
            guard MeshIntegrity(of: coarse).isClosedManifold else {
                coarseRejected = "not closed"
                break
            }
            let fidelity = MeshFidelity(of: coarse, shells: MeshShells(of: coarse), against: reference, tolerance: tolerance)
            guard fidelity.isSamePart(tolerance) else {
                coarseRejected = fidelity.failure(tolerance)
                break
            }
            coarseFidelity = fidelity
            mesh = coarse
        }
        return MeshBuild(mesh: mesh, marchedTriangles: marched, warnings: [], checked: nil, full: full,
                         coarseFidelity: coarseFidelity, coarseRejected: coarseRejected, voxelMM: voxelMM)
    }

    /// Marched triangles over the budget above which a coarser level set is tried first.
    static let coarserAbove = 4

    /// True when `finished` has work beyond checking: smoothing or reduction.
    func needsFinishing(_ options: DesignOptions) -> Bool {
        options.smoothingIterations > 0 || coarseFidelity != nil
            || (options.maxTriangles > 0 && mesh.triangleCount > options.maxTriangles)
    }

    /// Area-weighted deviations tried in turn, in voxels: a decimation whose result is not
    /// the same part is retried with the next, tighter one.
    static let deviationSteps = [0.2, 0.1, 0.04]

    /// The mesh smoothed and reduced to the budget; `box` is the part's extent in mm, whose
    /// faces stay flat. A reduction that would break a check or change the part is not taken.
    func finished(_ options: DesignOptions, box: SIMD3<Float>, progress: ProgressReporter) -> MeshBuild {
        var mesh = self.mesh
        if options.smoothingIterations > 0 { mesh = mesh.smoothed(iterations: options.smoothingIterations, box: box) }
        let budget = options.maxTriangles
        guard budget > 0 else {
            return MeshBuild(mesh: mesh, marchedTriangles: marchedTriangles, warnings: [], checked: nil, voxelMM: voxelMM)
        }
        let tolerance = self.tolerance
        let coarse = coarseFidelity != nil
        var reduction = MeshReduction(method: coarse ? "coarser_level_set" : "none", triangleBudget: budget,
                                      withinBudget: mesh.triangleCount <= budget, fidelity: coarseFidelity,
                                      volumeTolerance: tolerance.volume, hausdorffToleranceVoxels: tolerance.hausdorffVoxels,
                                      coarserLevelSetRejected: coarseRejected)
        var checked: MeshCheck?, checksS = 0.0
        var start = Date()
        var failures: [String] = []
        if mesh.triangleCount > budget {
            start = Date()
            let reference = full ?? MeshFidelity.Reference(mesh, shells: MeshShells(of: mesh), tolerance: tolerance)
            checksS += Date().timeIntervalSince(start)
            progress.update("decimating", 0)
            for (step, deviation) in Self.deviationSteps.enumerated() {
                let reduced = mesh.decimated(maxTriangles: budget, box: box, maxDeviation: deviation * voxelMM)
                progress.update("decimating", Double(step + 1) / Double(Self.deviationSteps.count))
                start = Date()
                let check = MeshCheck(of: reduced, box: box)
                let fidelity = MeshFidelity(of: reduced, shells: check.shells, against: reference, tolerance: tolerance)
                checksS += Date().timeIntervalSince(start)
                if check.integrity.isClosedManifold, fidelity.isSamePart(tolerance) {
                    mesh = reduced
                    checked = check
                    reduction.method = coarse ? "coarser_level_set+decimated" : "decimated"
                    reduction.fidelity = fidelity
                    reduction.withinBudget = reduced.triangleCount <= budget
                    break
                }
                failures.append(check.integrity.isClosedManifold ? fidelity.failure(tolerance) ?? "" : "not closed")
            }
        }
        var warnings: [DesignWarning] = []
        if !reduction.withinBudget {
            let how = checked != nil
                ? "the smallest mesh within tolerance has \(mesh.triangleCount) triangles"
                : "every reduction tried changed the part (\(failures.joined(separator: "; "))), so the "
                    + "\(mesh.triangleCount)-triangle mesh was written"
            warnings.append(DesignWarning(
                "mesh_over_budget", "the triangle budget of \(budget) cannot hold this part: \(how); "
                    + "a larger --max-triangles, or a coarser --size, gives a file within budget", stage: "meshing"))
        }
        return MeshBuild(mesh: mesh, marchedTriangles: marchedTriangles, warnings: warnings, checked: checked,
                         checksS: checksS, reduction: reduction, voxelMM: voxelMM)
    }
}

private extension Mesh {
    func stretched(z scale: Float) -> Mesh {
        guard scale != 1 else { return self }
        var out = self
        for i in stride(from: 2, to: out.positions.count, by: 3) { out.positions[i] *= scale }
        return out
    }
}
