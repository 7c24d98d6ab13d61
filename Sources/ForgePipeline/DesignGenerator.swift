import ForgeCore
import ForgeFormats
import ForgeMeshing
import ForgeMetrics
import ForgeMorphology
import ForgeSynthesis
import Foundation

/// One finished design.
public struct DesignResult: Sendable {
    public let layout: OutputLayout
    public let recipe: Recipe
    public let metrics: DesignMetrics
    public let sliceCount: Int
    /// Problems worth telling the user that did not stop the run.
    public let warnings: [String]
}

/// Recipe → field → level set → mesh, slices and metrics in a design folder.
public enum DesignGenerator {
    /// Generates `recipe` into `layout.folder`. Files are staged and moved into place only
    /// when everything succeeded, so a failure leaves no partial file under a final name.
    public static func generate(_ recipe: Recipe, into layout: OutputLayout,
                                progress: ProgressReporter = ProgressReporter(quiet: true)) throws -> DesignResult {
        try recipe.validate()
        try MemoryBudget.check(recipe.size)
        let stage = try StagingArea(for: layout)
        do {
            let result = try run(recipe, stage: stage, progress: progress)
            try stage.commit()
            progress.finish()
            return result
        } catch {
            progress.finish()
            stage.discard()
            throw error
        }
    }

    private static func run(_ recipe: Recipe, stage: StagingArea, progress: ProgressReporter) throws -> DesignResult {
        var timings: [String: Double] = [:]
        let started = Date()
        func timed<T>(_ name: String, _ work: () throws -> T) rethrows -> T {
            let start = Date()
            progress.update(name, 0)
            defer {
                timings[name] = Date().timeIntervalSince(start)
                progress.update(name, 1)
            }
            return try work()
        }

        var field = try timed("synthesis") { try SpectralSynthesis.field(for: recipe) }
        let cut = timed("threshold") { field.threshold(toSolidFraction: recipe.solidFraction) }
        let mesh = timed("meshing") {
            MarchingCubes.mesh(field) { progress.update("meshing", $0) }
        }
        let (integrity, volume, area, bounds) = timed("checks") {
            (MeshIntegrity(of: mesh), mesh.signedVolume, mesh.surfaceArea, mesh.bounds)
        }
        let recipeData = try JSONFile.encode(recipe)
        let recipeText = String(decoding: recipeData, as: UTF8.self)
        let staged = stage.staged
        try timed("writing") {
            try AtomicFile.write(recipeData, to: staged.recipeURL)
            try SliceStackWriter.write(field, to: staged.slicesURL, textKey: OutputLayout.sliceTextKey,
                                       text: recipeText) { progress.update("slices", $0) }
            try BinarySTLWriter.write(mesh, to: staged.modelURL,
                                      header: "CephaloForge \(recipe.name ?? "design") mm")
        }
        timings["total"] = Date().timeIntervalSince(started)

        let h = recipe.voxelSizeMM
        let watertight = integrity.isClosedManifold && volume > 0
        let metrics = DesignMetrics(
            solidFraction: cut.solidFraction, targetSolidFraction: recipe.solidFraction,
            solidVoxels: cut.solidCount, voxels: recipe.size.count, voxelSizeMM: h,
            voxelVolumeMM3: Double(cut.solidCount) * h * h * h,
            triangles: mesh.triangleCount, vertices: mesh.vertexCount,
            volumeMM3: volume, surfaceAreaMM2: area, watertight: watertight,
            unpairedHalfEdges: integrity.unpairedHalfEdges, repeatedHalfEdges: integrity.repeatedHalfEdges,
            degenerateTriangles: integrity.degenerateTriangles,
            boundsMinMM: [bounds.min.x, bounds.min.y, bounds.min.z].map(Double.init),
            boundsMaxMM: [bounds.max.x, bounds.max.y, bounds.max.z].map(Double.init),
            threshold: Double(cut.threshold), timingsS: timings)
        try JSONFile.write(metrics, to: staged.metricsURL)

        var warnings: [String] = []
        if !watertight {
            warnings.append("the mesh failed its closedness check (\(integrity.unpairedHalfEdges) open and "
                + "\(integrity.repeatedHalfEdges) repeated half-edges, \(integrity.degenerateTriangles) degenerate "
                + "triangles); slicers may repair or reject it")
        }
        return DesignResult(layout: stage.final, recipe: recipe, metrics: metrics,
                            sliceCount: recipe.size.nz, warnings: warnings)
    }
}
