import ForgeCore
import ForgeFormats
import ForgeMetrics
import ForgeMorphology
import ForgeProperties
import ForgeRender
import Foundation

/// The pictures of a design: renders of the mesh, the slice montage and the plots.
public enum DesignImages {
    public static let montage = "montage.png"
    public static let twoPointPlot = "s2.svg"
    public static let thicknessPlot = "thickness.svg"
    public static let layersPlot = "layers.svg"
    public static let imageInput = "image_input.png"
    public static let imageTwoPointPlot = "image_s2.svg"

    /// The image's S₂ along x and y beside the structure's along x, y (sections) and z.
    static func imagePlot(_ picture: ImageAnalysis, structure: TwoPointStatistics) -> String {
        let s = picture.statistics, p = picture.pixelMM
        var plot = SVGPlot(title: "S2(r): image against structure", xLabel: "r (mm)", yLabel: "S2")
        let phi = picture.fraction
        plot.reference = (phi * phi, String(format: "φ² = %.3f", phi * phi))
        let reach = min(Double(s.radiusX) * p, structure.distanceMM.last ?? 0)
        let imageX = (0...s.radiusX).filter { Double($0) * p <= reach }
        let imageY = (0...s.radiusY).filter { Double($0) * p <= reach }
        let keep = structure.distanceMM.indices.filter { structure.distanceMM[$0] <= reach }
        let hasZ = structure.s2Z.count == structure.distanceMM.count
        return plot.lines([
            .init(name: "image x", x: imageX.map { Double($0) * p }, y: imageX.map { s.value(dx: $0, dy: 0) }, color: "#d1495b", dashed: true),
            .init(name: "image y", x: imageY.map { Double($0) * p }, y: imageY.map { s.value(dx: 0, dy: $0) }, color: "#00798c", dashed: true),
            .init(name: "structure x", x: keep.map { structure.distanceMM[$0] }, y: keep.map { structure.s2X[$0] }, color: "#d1495b"),
            .init(name: "structure y", x: keep.map { structure.distanceMM[$0] }, y: keep.map { structure.s2Y[$0] }, color: "#00798c"),
        ] + (hasZ ? [.init(name: "structure z", x: keep.map { structure.distanceMM[$0] }, y: keep.map { structure.s2Z[$0] },
                           color: "#edae49")] : []))
    }

    /// What was written, and why anything expected was not.
    public struct Written: Sendable {
        public var renders: [String] = []
        public var others: [String] = []
        public var warnings: [DesignWarning] = []
    }

    /// Writes the pictures of one design into `folder` (each file atomically).
    public static func write(into folder: URL, mesh: Mesh?, mask: VoxelMask, voxelSizeMM h: Double,
                             thickness: ThicknessMap?, metrics: DesignMetrics, recipe: Recipe,
                             options: ImageOptions) throws -> Written {
        var written = Written()
        if let mesh, mesh.triangleCount > 0 {
            do {
                let coloring = try surfaceColoring(options.coloring, mesh: mesh, thickness: thickness)
                written.renders = try renderViews(of: mesh, coloring: coloring, options: options) {
                    folder.appendingPathComponent(options.fileName(for: $0))
                }.map(\.lastPathComponent)
            } catch let error as RenderError {
                written.warnings.append(DesignWarning("no_preview", "no 3D preview: \(error)", stage: "images"))
            }
        }
        try PNGCodec.write(SliceMontage.render(mask, voxelSizeMM: h), to: folder.appendingPathComponent(montage))
        written.others.append(montage)
        if let elastic = metrics.properties?.elastic, try writeStiffnessSurface(elastic, into: folder) {
            written.others.append(stiffnessSurface)
        }
        for (name, svg) in plots(metrics: metrics, recipe: recipe) {
            try AtomicFile.write(Data(svg.utf8), to: folder.appendingPathComponent(name))
            written.others.append(name)
        }
        return written
    }

    /// The directional Young's modulus as a 3D surface.
    public static let stiffnessSurface = "youngs_modulus_surface.png"

    /// Renders E(n) · n over the sphere of directions, coloured by E in GPa; false when the
    /// renderer is not available or the structure carries no load.
    @discardableResult
    public static func writeStiffnessSurface(_ elastic: ElasticProperties, into folder: URL) throws -> Bool {
        guard let surface = DirectionalStiffness(elastic.tensor).surface(subdivisions: 5) else { return false }
        let low = surface.moduli.min() ?? 0, high = max(surface.moduli.max() ?? 1, low * (1 + 1e-3) + 1e-12)
        var options = RenderOptions(width: 640, height: 640, view: .iso,
                                    coloring: .perVertex(values: surface.moduli, range: low...high,
                                                         legend: "E GPa", colormap: .thickness))
        options.supersampling = 2
        options.scaleBar = false
        options.title = "Young's modulus by direction"
        do {
            let image = try MeshRenderer.render(surface.mesh, options: options).image
            try PNGCodec.write(image, to: folder.appendingPathComponent(stiffnessSurface))
            return true
        } catch is RenderError {
            return false
        }
    }

    /// The renders (`preview-*.png`) in `folder`, sorted by name.
    public static func existingRenders(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("preview-") && $0.hasSuffix(".png") }.sorted()
    }

    /// Removes renders (`preview-*.png`) in `folder` other than `keeping`: a view not drawn
    /// this time would otherwise show an older design.
    public static func removeStaleRenders(in folder: URL, keeping: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix("preview-") && name.hasSuffix(".png") && !keeping.contains(name) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Renders each of `options.views` into the file `url(view)`.
    static func renderViews(of mesh: Mesh, coloring: SurfaceColoring, options: ImageOptions,
                            url: (ViewDirection) -> URL) throws -> [URL] {
        try options.views.map { view in
            var render = RenderOptions(width: options.size, height: options.size, view: view, coloring: coloring)
            render.supersampling = options.size > 1600 ? 1 : 2
            let image = try MeshRenderer.render(mesh, options: render).image
            try PNGCodec.write(image, to: url(view))
            return url(view)
        }
    }

    static func surfaceColoring(_ choice: ImageOptions.Coloring, mesh: Mesh, thickness: ThicknessMap?) throws -> SurfaceColoring {
        switch choice {
        case .uniform: return .uniform
        case .height: return .height
        case .thickness:
            guard let thickness else { throw PipelineError.noThicknessMap }
            return .thickness(valuesMM: thickness.sampled(at: mesh))
        }
    }

    /// S₂ per axis, local-thickness histograms and, for graded designs, the fraction per layer.
    static func plots(metrics: DesignMetrics, recipe: Recipe) -> [(String, String)] {
        var out: [(String, String)] = []
        let s2 = metrics.structure.twoPoint
        var plot = SVGPlot(title: "Two-point correlation S2(r)", xLabel: "r (mm)", yLabel: "S2")
        let phi = metrics.solidFraction
        plot.reference = (phi * phi, String(format: "φ² = %.3f (uncorrelated)", phi * phi))
        out.append((twoPointPlot, plot.lines([
            .init(name: "x", x: s2.distanceMM, y: s2.s2X, color: "#d1495b"),
            .init(name: "y", x: s2.distanceMM, y: s2.s2Y, color: "#00798c"),
            .init(name: "z", x: s2.distanceMM, y: s2.s2Z, color: "#edae49"),
        ])))
        let phases = [("solid", metrics.structure.solidThickness, "#8d6a9f"), ("pore", metrics.structure.poreThickness, "#5b8e7d")]
        var series: [SVGPlot.Series] = []
        for (name, t, color) in phases {
            guard let t, let histogram = t.histogram else { continue }
            let width = t.maximumMM / Double(histogram.count)
            series.append(.init(name: name, x: histogram.indices.map { (Double($0) + 0.5) * width },
                                y: histogram.map { $0 * 100 }, color: color))
        }
        if !series.isEmpty {
            let thick = SVGPlot(title: "Local thickness", xLabel: "thickness (mm)", yLabel: "% of phase voxels")
            out.append((thicknessPlot, thick.lines(series)))
        }
        if let layers = metrics.layerSolidFractions, let grading = recipe.grading {
            let n = layers.count
            let h = recipe.voxelSizeMM
            let graded = SVGPlot(title: "Solid fraction per layer along \(grading.axis.rawValue)",
                                 xLabel: "\(grading.axis.rawValue) (mm)", yLabel: "solid fraction")
            let x = (0..<n).map { (Double($0) + 0.5) * h }
            let target = (0..<n).map { grading.fraction(layer: $0, of: n) }
            out.append((layersPlot, graded.lines([
                .init(name: "target", x: x, y: target, color: "#d1495b", dashed: true),
                .init(name: "measured", x: x, y: layers, color: "#00798c"),
            ])))
        }
        return out
    }
}
