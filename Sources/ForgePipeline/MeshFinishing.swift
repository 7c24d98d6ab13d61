import ForgeCore
import ForgeFormats
import ForgeMetrics
import Foundation

/// A design's mesh after smoothing, reduction, checks and writing, with what each step took.
struct FinishedMesh: Sendable {
    /// Nil once the mesh is no longer needed (written, and no renders to make).
    var mesh: Mesh?
    let triangles: Int, vertices: Int
    let eulerCharacteristic: Int
    let marchedTriangles: Int
    let warnings: [DesignWarning]
    let reduction: MeshReduction?
    let checked: MeshCheck
    /// Seconds spent reducing, checking and writing.
    let reducingS: Double, checksS: Double, writingS: Double

    /// Smooths and reduces `draft` to the budget, checks the result and writes it in every
    /// format `options` asks for into `folder`. Touches nothing else, so it can run beside
    /// the structure metrics.
    init(_ draft: MeshBuild, name: String, box: SIMD3<Float>, options: DesignOptions, folder: URL,
         progress: ProgressReporter) throws {
        var start = Date()
        let build = draft.finished(options, box: box, progress: progress)
        // Checks made while reducing count as checks, not as reducing.
        reducingS = Date().timeIntervalSince(start) - build.checksS
        start = Date()
        progress.update("checks", 0)
        checked = build.checked ?? MeshCheck(of: build.mesh, box: box)
        checksS = build.checksS + Date().timeIntervalSince(start)
        start = Date()
        for format in options.meshFormats {
            try format.write(build.mesh, name: name, to: folder.appendingPathComponent(format.fileName))
        }
        writingS = Date().timeIntervalSince(start)
        mesh = build.mesh
        (triangles, vertices) = (build.mesh.triangleCount, build.mesh.vertexCount)
        eulerCharacteristic = build.mesh.solidEulerCharacteristic
        marchedTriangles = build.marchedTriangles
        warnings = build.warnings
        reduction = build.reduction
    }
}
