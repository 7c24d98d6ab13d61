import ArgumentParser
import CephaloForge
import Foundation

/// Runs `body`; a thrown error becomes one line on stderr and exit status 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The short summary `generate` prints on stdout.
enum Summary {
    static func text(for result: DesignResult, sources: [(key: String, source: String)]) -> String {
        let m = result.metrics
        let r = result.recipe
        let fromPrompt = sources.filter { $0.source != "default" }.map(\.key)
        let defaults = sources.filter { $0.source == "default" }.map(\.key)
        var lines = [
            "wrote \(result.layout.folder.path)",
            String(format: "  %@ %@, %.3g mm, wavelength %.3g mm, seed %llu",
                   r.family.rawValue, r.size.description, r.extentMM, r.wavelengthMM, r.seed),
            String(format: "  solid fraction %.4f (target %.4f), %d triangles, %@",
                   m.solidFraction, m.targetSolidFraction, m.triangles, m.watertight ? "watertight" : "NOT watertight"),
            String(format: "  volume %.2f mm³ (voxels %.2f mm³), surface %.2f mm²", m.volumeMM3, m.voxelVolumeMM3, m.surfaceAreaMM2),
            String(format: "  %.2f s: synthesis %.2f, threshold %.2f, meshing %.2f, checks %.2f, writing %.2f",
                   m.timingsS["total"] ?? 0, m.timingsS["synthesis"] ?? 0, m.timingsS["threshold"] ?? 0,
                   m.timingsS["meshing"] ?? 0, m.timingsS["checks"] ?? 0, m.timingsS["writing"] ?? 0),
        ]
        if !fromPrompt.isEmpty { lines.append("  given: " + fromPrompt.joined(separator: ", ")) }
        if !defaults.isEmpty { lines.append("  defaults: " + defaults.joined(separator: ", ")) }
        lines.append("  files: recipe.json, model.stl, slices/ (\(result.sliceCount) PNG), metrics.json")
        return lines.joined(separator: "\n")
    }
}
