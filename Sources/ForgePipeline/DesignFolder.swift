import ForgeCore
import ForgeFormats
import ForgeMetrics
import ForgeMorphology
import ForgeRender
import Foundation

/// A design folder written by `generate`, opened again to redraw its pictures.
public struct DesignFolder: Sendable {
    public let layout: OutputLayout
    public let recipe: Recipe
    public let metrics: DesignMetrics

    /// Opens `folder`: its recipe.json and metrics.json must be readable.
    public init(_ folder: URL) throws {
        layout = OutputLayout(folder: folder)
        guard FileManager.default.fileExists(atPath: layout.metricsURL.path) else {
            throw PipelineError.notADesign(path: folder.path, reason: "no \(OutputLayout.metrics)")
        }
        do {
            recipe = try RecipeFile.decode(layout.recipeURL)
            metrics = try JSONDecoder().decode(DesignMetrics.self, from: Data(contentsOf: layout.metricsURL))
        } catch {
            throw PipelineError.notADesign(path: folder.path, reason: "\(error)")
        }
    }

    /// The design's mesh (model.stl), if it has one.
    public func mesh() throws -> Mesh? {
        FileManager.default.fileExists(atPath: layout.modelURL.path) ? try BinarySTLReader.read(layout.modelURL) : nil
    }

    /// The design's voxels, read back from its slices.
    public func mask() throws -> VoxelMask {
        let (size, bits) = try SliceStackReader.read(layout.slicesURL)
        return VoxelMask(size: size, bits: bits)
    }

    /// Redraws the renders, montage, plots and report.html in place.
    public func redraw(options: ImageOptions) throws -> DesignImages.Written {
        let mask = try mask()
        var thickness: ThicknessMap?
        if options.coloring == .thickness {
            _ = try StructureMetrics(of: mask, voxelSizeMM: recipe.voxelSizeMM, solidThicknessMap: &thickness)
        }
        let written = try DesignImages.write(into: layout.folder, mesh: try mesh(), mask: mask,
                                             voxelSizeMM: recipe.voxelSizeMM, thickness: thickness,
                                             metrics: metrics, recipe: recipe, options: options)
        DesignImages.removeStaleRenders(in: layout.folder, keeping: written.renders)
        try ReportPage.write(into: layout.folder, recipe: recipe, metrics: metrics, renders: written.renders)
        return written
    }

    /// Renders any mesh file (STL, or what assimp reads) into `<stem>.png` next to it, or in
    /// `folder`; further views go to `<stem>-<view>.png`. Returns the files written.
    public static func renderMeshFile(_ url: URL, into folder: URL?, options: ImageOptions) throws
        -> (files: [URL], warnings: [String]) {
        try InputFile.requireRegular(url, maximumBytes: maximumMeshFileBytes)
        // Binary STL directly; ASCII STL and other formats through assimp.
        let binary = url.pathExtension.lowercased() == "stl" ? try? BinarySTLReader.read(url) : nil
        let mesh = try binary ?? AssimpMeshIO.read(url)
        try checkCoordinates(mesh, path: url.path)
        let coloring = try DesignImages.surfaceColoring(options.coloring, mesh: mesh, thickness: nil)
        let target = folder ?? url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let files = try DesignImages.renderViews(of: mesh, coloring: coloring, options: options) {
            target.appendingPathComponent(renderName(of: url, view: $0 == options.views.first ? nil : $0.rawValue))
        }
        return (files, meshDiagnosis(mesh, name: url.lastPathComponent).map { [$0] } ?? [])
    }

    /// `part.png` for part.stl, `part-obj.png` for part.obj (so the files of one part in
    /// several formats render side by side); `-<view>` before `.png` for further views.
    public static func renderName(of url: URL, view: String?) -> String {
        let ext = url.pathExtension.lowercased()
        let stem = url.deletingPathExtension().lastPathComponent + (ext == "stl" || ext.isEmpty ? "" : "-" + ext)
        return stem + (view.map { "-" + $0 } ?? "") + ".png"
    }

    /// One line on what is wrong with a mesh as a printable solid, or nil when it is a
    /// closed, consistently oriented 2-manifold enclosing a positive volume.
    public static func meshDiagnosis(_ mesh: Mesh, name: String) -> String? {
        let integrity = MeshIntegrity(of: mesh)
        var problems: [String] = []
        if integrity.unpairedHalfEdges > 0 { problems.append("open (\(integrity.unpairedHalfEdges) edges with one triangle)") }
        if integrity.repeatedHalfEdges > 0 {
            problems.append("\(integrity.repeatedHalfEdges) edges shared by more than two triangles or wound the same way twice")
        }
        // An open mesh's boundary vertices count as non-manifold too: name them only when closed.
        if integrity.nonManifoldVertices > 0 && integrity.unpairedHalfEdges == 0 {
            problems.append("\(integrity.nonManifoldVertices) non-manifold vertices")
        }
        if integrity.degenerateTriangles > 0 { problems.append("\(integrity.degenerateTriangles) degenerate triangles") }
        if integrity.isClosedManifold && mesh.signedVolume < 0 {
            problems.append("turned inside out (its triangles face inwards: negative volume)")
        }
        guard !problems.isEmpty else { return nil }
        return "\(name) is not a closed solid: " + problems.joined(separator: ", ") + "; slicers may repair or refuse it"
    }

    /// The largest mesh file `render` reads (about 40 million STL triangles).
    public static let maximumMeshFileBytes = 2 << 30

    /// Refuses a mesh whose coordinates are not finite or so large that no view can frame
    /// them (beyond ±10⁹ of any unit).
    static func checkCoordinates(_ mesh: Mesh, path: String) throws {
        guard mesh.triangleCount > 0 else { throw PipelineError.unusableMesh(path: path, reason: "it has no triangles") }
        for (i, value) in mesh.positions.enumerated() where !value.isFinite || abs(value) > 1e9 {
            let kind = value.isFinite ? "a coordinate beyond ±1e9 (\(value))" : "a coordinate that is not a number (\(value))"
            throw PipelineError.unusableMesh(path: path, reason: "vertex \(i / 3) has \(kind)")
        }
    }
}
