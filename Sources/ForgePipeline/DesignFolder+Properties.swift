import ForgeCore
import ForgeFormats
import ForgeProperties
import Foundation

extension DesignFolder {
    /// Computes (or recomputes) the design's properties from its slices, in `material` when
    /// given (the recipe's otherwise), and writes them into metrics.json — and the material
    /// into recipe.json — each replaced whole; report.html is redrawn when there is one.
    /// With `volumeFormats`, the flow speed along each axis is written beside them (`FlowVolumes`).
    public func updateProperties(mode: PropertyMode, material: SolidMaterial? = nil, volumeFormats: [VolumeFormat] = [],
                                 progress: ProgressReporter = ProgressReporter(quiet: true)) throws -> DesignProperties? {
        var recipe = self.recipe
        if let material {
            try material.validate()
            recipe.material = material
        }
        try MemoryBudget.checkProperties(DesignProperties.cellSize(of: recipe),
                                         mode: mode)
        let mask = try mask()
        let start = Date()
        var flowError: Error?
        let folder = layout.folder
        let flow: ((Int, ScalarGrid) -> Void)? = volumeFormats.isEmpty ? nil : { axis, speed in
            do { try FlowVolumes.write(speed, axis: axis, formats: volumeFormats, into: folder) } catch { flowError = error }
        }
        let properties = try DesignProperties.compute(mask: mask, recipe: recipe, mode: mode, flow: flow, progress: progress)
        if let flowError { throw flowError }
        progress.finish()
        var metrics = self.metrics
        metrics.properties = properties
        metrics.timingsS["properties"] = Date().timeIntervalSince(start)
        if recipe != self.recipe {
            try AtomicFile.write(try JSONFile.encode(recipe), to: layout.recipeURL)
        }
        try AtomicFile.write(try JSONFile.encode(metrics), to: layout.metricsURL)
        let report = layout.folder.appendingPathComponent(ReportPage.fileName)
        if FileManager.default.fileExists(atPath: report.path) {
            let renders = DesignImages.existingRenders(in: layout.folder)
            try ReportPage.write(into: layout.folder, recipe: recipe, metrics: metrics, renders: renders)
        }
        return properties
    }
}
