import ForgeCore
import ForgeFormats
import ForgeMeshing
import ForgeMetrics
import ForgeProperties
import ForgeMorphology
import ForgeSynthesis
import Foundation

/// One finished design.
public struct DesignResult: Sendable {
    public let layout: OutputLayout
    public let recipe: Recipe
    public let metrics: DesignMetrics
    public let sliceCount: Int
    /// Mesh files written (none for a 2D design without a plate thickness).
    public let meshFiles: [String]
    /// Volume files, 16-bit slices and printer slices written.
    public let dataFiles: [String]
    /// Renders, montage, plots and report written.
    public let imageFiles: [String]
    /// Problems worth telling the user that did not stop the run (also in metrics.json).
    public var warnings: [DesignWarning] { metrics.warnings ?? [] }
}

/// Recipe → field → level set → cleanup → mesh, slices and metrics in a design folder.
public enum DesignGenerator {
    /// Generates `recipe` into `layout.folder`. Files are staged and moved into place only
    /// when everything succeeded, so a failure leaves no partial file under a final name.
    public static func generate(_ recipe: Recipe, into layout: OutputLayout, options: DesignOptions = DesignOptions(),
                                progress: ProgressReporter = ProgressReporter(quiet: true)) throws -> DesignResult {
        try recipe.validate()
        try MemoryBudget.check(recipe.tiledSize)
        try MemoryBudget.checkProperties(DesignProperties.cellSize(of: recipe),
                                         mode: options.properties)
        if let printer = options.printerStack {
            let h = recipe.voxelSizeMM, t = recipe.tiledSize
            try printer.validate(partMM: SIMD3(Double(t.nx), Double(t.ny), Double(t.nz)) * h)
        }
        let stage = try StagingArea(for: layout)
        do {
            let result = try run(recipe, options: options, stage: stage, progress: progress)
            try stage.commit(keepingOtherFiles: options.keepOtherFiles)
            if options.keepOtherFiles, options.images.enabled {
                DesignImages.removeStaleRenders(in: layout.folder, keeping: result.imageFiles)
            }
            progress.finish()
            return result
        } catch {
            progress.finish()
            stage.discard()
            throw error
        }
    }

    private static func run(_ recipe: Recipe, options: DesignOptions, stage: StagingArea,
                            progress: ProgressReporter) throws -> DesignResult {
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

        let targets = FractionTargets(recipe: recipe)
        let picture = try recipe.image.map { try ImageAnalysis($0, fraction: recipe.solidFraction, extentMM: recipe.extentMM) }
        var field = try timed("synthesis") {
            try picture.map { try ImageField.field(for: recipe, analysis: $0) } ?? FieldSynthesis.field(for: recipe)
        }
        timed("threshold") { field.threshold(to: targets) }
        let cleanup = timed("cleanup") { () -> CleanupReport in
            let cleanupOptions = CleanupOptions(recipe: recipe)
            var report = PrintabilityCleanup.clean(&field, targets: targets, options: cleanupOptions)
            if recipe.tile != [1, 1, 1] {
                field = field.tiled(recipe.tile)
                PrintabilityCleanup.tidy(&field, options: cleanupOptions, report: &report)
            }
            return report
        }
        let mask = VoxelMask(solidOf: field)
        let solidVoxels = mask.count
        guard solidVoxels > 0 else { throw PipelineError.emptySolid }
        // Thin features read from the level set while it is here (a byte per voxel).
        let subvoxel = timed("metrics") { SubvoxelThickness(field: field) }

        var meshField: ScalarGrid? = recipe.size.isPlanar
            ? (recipe.plateThicknessMM > 0 ? PlateExtrusion.extruded(field, thicknessMM: recipe.plateThicknessMM) : nil)
            : field
        let isPlate = recipe.size.isPlanar && recipe.plateThicknessMM > 0
        let plateScale = isPlate ? PlateExtrusion.zScale(field, thicknessMM: recipe.plateThicknessMM) : 1
        var draft = timed("meshing") {
            meshField.map { MeshBuild.marching($0, voxelMM: recipe.voxelSizeMM, zScale: plateScale, options: options, cleanup: CleanupOptions(recipe: recipe), progress: progress) }
        }
        let gridExtent = (meshField ?? field).extentMM
        let partExtent = SIMD3(gridExtent.x, gridExtent.y, isPlate ? recipe.plateThicknessMM : gridExtent.z)
        let gridSize = field.size

        let recipeData = try JSONFile.encode(recipe)
        let staged = stage.staged
        // The volume's files first, so the grid is freed before the metrics and mesh checks
        // (which need memory of their own) and the mesh files are written.
        try timed("writing") {
            try AtomicFile.write(recipeData, to: staged.recipeURL)
            for (name, data) in options.extraFiles.sorted(by: { $0.key < $1.key }) {
                try AtomicFile.write(data, to: staged.folder.appendingPathComponent(name))
            }
            try SliceStackWriter.write(field, to: staged.slicesURL, textKey: OutputLayout.sliceTextKey,
                                       text: String(decoding: recipeData, as: UTF8.self)) { progress.update("slices", $0) }
            for format in options.volumeFormats { try format.write(field, into: staged.folder) }
            if options.sixteenBitSlices {
                try FileManager.default.createDirectory(at: staged.slices16URL, withIntermediateDirectories: true)
                try SliceStackWriter.write16(field, to: staged.slices16URL)
            }
            if let printer = options.printerStack {
                try printer.write(field, to: staged.printerSlicesURL) { progress.update("printer", $0) }
            }
        }
        // Nothing below reads the grid: free it. The structure metrics need only the mask,
        // so their grids never sit beside the field (4 GiB less while they run at 1024³).
        field.values = []
        meshField = nil

        // Finishing the mesh (smoothing, reduction, checks, files) needs only the mesh, the
        // structure metrics only the mask. Reduction runs on one core, so the two run side
        // by side when the mesh is to be reduced, or is kept for the renders anyway.
        // Otherwise the mesh is checked, written and freed first, so the metrics' grids
        // never sit beside it.
        let keepMap = options.images.enabled && options.images.coloring == .thickness
        let h = recipe.voxelSizeMM
        let measure: @Sendable () throws -> (StructureMetrics, ThicknessMap?) = {
            var map: ThicknessMap?
            let structure = try StructureMetrics(of: mask, voxelSizeMM: h, subvoxel: subvoxel, trendAxis: recipe.grading?.axis,
                                                 periodic: recipe.isPeriodic, solidThicknessMap: &map,
                                                 keepingThicknessMap: keepMap)
            return (structure, map)
        }
        let finishing = { @Sendable (draft: MeshBuild) throws -> FinishedMesh in
            try FinishedMesh(draft, name: recipe.name ?? "design", box: SIMD3<Float>(partExtent), options: options,
                             folder: staged.folder, progress: progress)
        }
        var finished: FinishedMesh?
        let structure: StructureMetrics, thicknessMap: ThicknessMap?
        if let built = draft, options.images.enabled || built.needsFinishing(options) {
            draft = nil
            let start = Date()
            let (meshResult, metricsResult) = concurrently({ Result { try finishing(built) } }, {
                (Result { try measure() }, Date().timeIntervalSince(start))
            })
            finished = try meshResult.get()
            (structure, thicknessMap) = try metricsResult.0.get()
            timings["metrics", default: 0] += metricsResult.1
        } else {
            if let built = draft {
                draft = nil
                finished = try finishing(built)
                finished?.mesh = nil
            }
            let start = Date()
            (structure, thicknessMap) = try measure()
            timings["metrics", default: 0] += Date().timeIntervalSince(start)
        }
        if let finished {
            timings["meshing", default: 0] += finished.reducingS
            timings["checks"] = finished.checksS
            timings["writing", default: 0] += finished.writingS
        }
        if !options.images.enabled { finished?.mesh = nil }
        let mesh = finished?.mesh
        let checked = finished?.checked
        let (marchedTriangles, buildWarnings) = (finished?.marchedTriangles ?? 0, finished?.warnings ?? [])
        let (triangles, vertices) = (finished?.triangles ?? 0, finished?.vertices ?? 0)
        let (hasMesh, meshEuler) = (finished != nil, finished?.eulerCharacteristic)
        var imageMatch: ImageMatch?
        if let picture, let reference = recipe.image {
            let generated = try ImageField.sectionStatistics(of: mask, voxelSizeMM: recipe.voxelSizeMM)
            imageMatch = ImageMatch(source: reference.path, image: picture.summary, generated: generated)
            try PNGCodec.write(picture.binarised, to: stage.staged.folder.appendingPathComponent(DesignImages.imageInput))
            try AtomicFile.write(Data(DesignImages.imagePlot(picture, structure: structure.twoPoint).utf8),
                                 to: stage.staged.folder.appendingPathComponent(DesignImages.imageTwoPointPlot))
        }
        var flowError: Error?
        var wroteFlow = false
        let properties = try timed("properties") {
            let formats = options.volumeFormats
            let flow: ((Int, ScalarGrid) -> Void)? = formats.isEmpty ? nil : { axis, speed in
                do {
                    try FlowVolumes.write(speed, axis: axis, formats: formats, into: staged.folder)
                    wroteFlow = true
                } catch { flowError = error }
            }
            return try DesignProperties.compute(mask: mask, recipe: recipe, mode: options.properties, flow: flow,
                                                progress: progress)
        }
        if let flowError { throw flowError }
        timings["total"] = Date().timeIntervalSince(started)

        let box = partExtent.x * partExtent.y * partExtent.z
        let watertight = checked?.watertight
        var metrics = DesignMetrics(
            solidFraction: Double(solidVoxels) / Double(gridSize.count),
            targetSolidFraction: recipe.solidFraction,
            solidVoxels: solidVoxels, voxels: gridSize.count, voxelSizeMM: h,
            voxelVolumeMM3: Double(solidVoxels) * h * h * (isPlate ? recipe.plateThicknessMM : h),
            layerSolidFractions: recipe.grading.map { mask.layerFractions(along: $0.axis) },
            triangles: triangles, trianglesBeforeDecimation: marchedTriangles,
            vertices: vertices,
            volumeMM3: checked?.volume, surfaceAreaMM2: checked?.area,
            specificSurfaceMeshMM: checked.map { $0.area / box },
            specificSurfaceInterfaceMM: checked.map { ($0.area - $0.capArea) / box },
            watertight: watertight,
            unpairedHalfEdges: checked?.integrity.unpairedHalfEdges ?? 0,
            repeatedHalfEdges: checked?.integrity.repeatedHalfEdges ?? 0,
            degenerateTriangles: checked?.integrity.degenerateTriangles ?? 0,
            nonManifoldVertices: checked?.integrity.nonManifoldVertices ?? 0,
            meshShells: checked?.shells.outer, meshCavities: checked?.shells.cavities,
            eulerCharacteristicMesh: meshEuler,
            boundsMinMM: checked?.bounds.min ?? [], boundsMaxMM: checked?.bounds.max ?? [],
            cleanup: cleanup, structure: structure,
            printability: PrintabilityVerdict(
                topology: structure.topology, solidThickness: structure.solidThickness,
                poreThickness: structure.poreThickness, watertight: watertight ?? true,
                printerResolutionMM: recipe.printerResolutionMM),
            timingsS: timings, image: imageMatch)
        metrics.meshReduction = finished?.reduction
        metrics.properties = properties
        metrics.warnings = warnings(metrics: metrics, checked: checked, recipe: recipe) + buildWarnings
        if let checked, let euler = meshEuler {
            metrics.minkowski = MinkowskiFunctionals(volumeMM3: checked.volume, surfaceMM2: checked.area,
                                                     meanCurvatureMM: checked.meanCurvature, eulerCharacteristic: euler,
                                                     boxVolumeMM3: box)
        }
        if recipe.family.isLattice {
            let cells = LatticeField.cellCounts(size: recipe.size, voxelSizeMM: h, cellMM: recipe.wavelengthMM)
            let s = recipe.size
            metrics.latticeCellMM = zip([s.nx, s.ny, s.nz], cells).map { n, c in Double(n) * h / Double(c) }
            if s.isPlanar { metrics.latticeCellMM?.removeLast() }
        }
        var pictures = DesignImages.Written()
        if options.images.enabled {
            let start = Date()
            progress.update("images", 0)
            pictures = try DesignImages.write(into: staged.folder, mesh: mesh, mask: mask, voxelSizeMM: h,
                                              thickness: thicknessMap, metrics: metrics, recipe: recipe,
                                              options: options.images)
            metrics.warnings = (metrics.warnings ?? []) + pictures.warnings
            metrics.timingsS["images"] = Date().timeIntervalSince(start)
            metrics.timingsS["total"] = Date().timeIntervalSince(started)
            try ReportPage.write(into: staged.folder, recipe: recipe, metrics: metrics, renders: pictures.renders)
            progress.update("images", 1)
        }
        if FileManager.default.fileExists(atPath: staged.modelURL.path) {
            metrics.modelCRC32 = FileChecksum.hex(try FileChecksum.crc32(of: staged.modelURL))
        }
        try JSONFile.write(metrics, to: staged.metricsURL)

        return DesignResult(layout: stage.final, recipe: recipe, metrics: metrics, sliceCount: gridSize.nz,
                            meshFiles: !hasMesh ? [] : options.meshFormats.map(\.fileName),
                            dataFiles: options.volumeFormats.flatMap(\.fileNames)
                                + (wroteFlow ? FlowVolumes.fileNames(options.volumeFormats) : [])
                                + (options.sixteenBitSlices ? [OutputLayout.slices16 + "/"] : [])
                                + (options.printerStack == nil ? [] : [OutputLayout.printerSlices]),
                            imageFiles: pictures.renders + pictures.others
                                + (imageMatch == nil ? [] : [DesignImages.imageInput, DesignImages.imageTwoPointPlot])
                                + (options.images.enabled ? [ReportPage.fileName] : []))
    }

    /// Features fewer voxels across than this get a warning and the size that resolves them.
    static let wantedVoxelsAcross = 3.0

    private static func warnings(metrics: DesignMetrics, checked: MeshCheck?, recipe: Recipe) -> [DesignWarning] {
        var warnings: [DesignWarning] = []
        let h = metrics.voxelSizeMM
        let across = [("walls and struts", metrics.structure.solidThickness), ("pores", metrics.structure.poreThickness)]
            .compactMap { name, t in t?.subvoxel.map { (name, $0.percentile5MM) } }
        if let (name, thinnest) = across.min(by: { $0.1 < $1.1 }), thinnest / h < wantedVoxelsAcross, thinnest > 0 {
            let longest = max(recipe.size.nx, recipe.size.ny, recipe.size.nz)
            var wanted = Int((Double(longest) * wantedVoxelsAcross * h / thinnest).rounded(.up))
            wanted += wanted % 2
            warnings.append(DesignWarning("unresolved_features", String(
                format: "the thinnest %@ are %.2g voxels across (5th percentile %.3g mm at %.3g mm voxels): "
                    + "%.0f are needed to resolve them; --size %d would", name, thinnest / h, thinnest, h, wantedVoxelsAcross,
                wanted), stage: "metrics"))
        }
        let c = metrics.cleanup
        // The share of the solid the first cut made (the target fraction, to one voxel).
        let firstCut = max(1, metrics.targetSolidFraction * Double(metrics.voxels))
        if c.islandsRemoved > 20 || Double(c.islandVoxelsRemoved) > 0.01 * firstCut {
            warnings.append(DesignWarning("solid_falls_apart", String(
                format: "the solid falls apart at this fraction: %d islands (%.1f%% of the solid first cut) "
                    + "were removed; raise solid_fraction or the wavelength", c.islandsRemoved,
                min(100, 100 * Double(c.islandVoxelsRemoved) / firstCut)), stage: "cleanup"))
        }
        if c.fractionError > 0.005 {
            warnings.append(DesignWarning("fraction_off_target", String(
                format: "after cleanup the solid fraction is %.1f points off its target", 100 * c.fractionError), stage: "cleanup"))
        }
        if let checked, !checked.watertight {
            let i = checked.integrity
            warnings.append(DesignWarning("mesh_not_closed", "the mesh failed its closedness check (\(i.unpairedHalfEdges) open and "
                + "\(i.repeatedHalfEdges) repeated half-edges, \(i.degenerateTriangles) degenerate "
                + "triangles, \(i.nonManifoldVertices) non-manifold vertices); slicers may repair or reject it", stage: "checks"))
        }
        return warnings
    }
}
