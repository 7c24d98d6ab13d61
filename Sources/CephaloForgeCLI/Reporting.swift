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
        // One line, whatever a library put in its message.
        let lines = "\(error)".split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        printError("error: " + lines.joined(separator: " "))
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
        let t = m.timingsS
        var lines = [
            "wrote \(result.layout.folder.path)",
            String(format: "  %@ %@ %@, %.3g mm, wavelength %.3g mm, seed %llu",
                   r.family.rawValue, r.mode.rawValue, r.size.description, r.extentMM, r.wavelengthMM, r.seed),
            String(format: "  solid fraction %.4f (target %.4f)", m.solidFraction, m.targetSolidFraction),
        ]
        if let volume = m.volumeMM3, let area = m.surfaceAreaMM2 {
            lines.append(String(format: "  %d triangles, %@; volume %.2f mm³ (voxels %.2f mm³), surface %.2f mm²",
                                m.triangles, m.watertight == true ? "watertight" : "NOT watertight",
                                volume, m.voxelVolumeMM3, area))
        }
        let topology = m.structure.topology
        lines.append(String(format: "  %@, %@, genus %@, characteristic length %.3g mm, anisotropy %.2f",
                            counted(topology.solidComponents, "body", "bodies"),
                            counted(topology.voidsEnclosed, "enclosed void", "enclosed voids"), topology.genus.map(String.init) ?? "-",
                            m.structure.twoPoint.characteristicLengthMM, m.structure.twoPoint.anisotropyRatio))
        let c = m.cleanup
        if c.islandsRemoved + c.enclosedVoidsFilled + c.thinSolidVoxelsRemoved + c.thinPoreVoxelsFilled > 0 {
            lines.append("  cleanup: \(c.islandsRemoved) islands removed, \(c.enclosedVoidsFilled) enclosed voids filled, "
                + "\(c.thinSolidVoxelsRemoved) thin solid and \(c.thinPoreVoxelsFilled) thin pore voxels changed")
        }
        if let line = propertiesLine(m.properties) { lines.append(line) }
        if let line = transportLine(m.properties) { lines.append(line) }
        if !r.targets.isEmpty, let measured = m.properties?.measures {
            lines.append("  targets: " + r.targets.map { t in
                let (text, met) = measured.reading(of: t)
                return "\(t.label): \(text) " + (met ? "(met)" : "(not met)")
            }.joined(separator: "; "))
        }
        lines.append((m.printability.printable ? "  printable" : "  not printable: " + m.printability.reasons.joined(separator: "; "))
            + " (" + m.printability.scope + ")")
        lines.append(String(format: "  %.2f s: synthesis %.2f, threshold %.2f, cleanup %.2f, metrics %.2f, properties %.2f, meshing %.2f, checks %.2f, writing %.2f, images %.2f",
                            t["total"] ?? 0, t["synthesis"] ?? 0, t["threshold"] ?? 0, t["cleanup"] ?? 0,
                            t["metrics"] ?? 0, t["properties"] ?? 0, t["meshing"] ?? 0, t["checks"] ?? 0, t["writing"] ?? 0, t["images"] ?? 0))
        if let recipe = sources.first?.source, recipe.hasPrefix("recipe "), sources.allSatisfy({ $0.source == recipe }) {
            lines.append("  from \(recipe)")
        } else {
            if !fromPrompt.isEmpty { lines.append("  given: " + fromPrompt.joined(separator: ", ")) }
            if !defaults.isEmpty { lines.append("  defaults: " + defaults.joined(separator: ", ")) }
        }
        let mesh = result.meshFiles.map { $0 + ", " }.joined()
        let pictures = (result.dataFiles + result.imageFiles).map { ", " + $0 }.joined()
        lines.append("  files: recipe.json, \(mesh)slices/ (\(result.sliceCount) PNG), metrics.json\(pictures)")
        return lines.joined(separator: "\n")
    }
}

extension Summary {
    /// "stiffness E_x … E_y … E_z … MPa (E/E_s …) in resin", or the reason there is none.
    static func propertiesLine(_ properties: DesignProperties?) -> String? {
        guard let properties else { return nil }
        guard let e = properties.elastic else { return properties.elasticNote.map { "  stiffness: " + $0 } }
        let gpa = e.youngsModulusGPa.values
        let unit = gpa.max() ?? 0 >= 1 ? "GPa" : "MPa"
        let scale = unit == "GPa" ? 1.0 : 1000.0
        let relative = e.relativeYoungsModulus.values.map { String(format: "%.3g", $0) }.joined(separator: ", ")
        var line = String(format: "  stiffness in %@: E_x %.4g, E_y %.4g, E_z %.4g %@ (E/E_s %@; %@ grid %dx%dx%d)",
                          e.material.name, gpa[0] * scale, gpa[1] * scale, gpa[2] * scale, unit, relative,
                          e.mode.rawValue, e.grid[0], e.grid[1], e.grid[2])
        if !e.notes.isEmpty { line += "; " + e.notes.joined(separator: "; ") }
        return line
    }
}

extension Summary {
    /// "flow: permeability k_x … m², tortuosity factor τ_x …", or the reason there is none.
    static func transportLine(_ properties: DesignProperties?) -> String? {
        guard let properties else { return nil }
        guard let t = properties.transport else { return properties.transportNote.map { "  flow and diffusion: " + $0 } }
        let k = t.permeabilityM2.values.map { String(format: "%.3g", $0) }.joined(separator: ", ")
        let tau = t.tortuosityFactor.values.map { $0.map { String(format: "%.3g", $0) } ?? "∞" }.joined(separator: ", ")
        let solid = t.relativeConductivitySolid.values.map { String(format: "%.3g", $0) }.joined(separator: ", ")
        var line = "  flow through the pores: permeability (x, y, z) \(k) m², tortuosity factor \(tau); "
            + "solid conducts \(solid) of its own"
        let notes = t.notes.filter { !$0.hasPrefix("the design is not a unit cell") }
        if !notes.isEmpty { line += "; " + notes.joined(separator: "; ") }
        return line
    }
}

/// Refuses an `--out` that names nothing.
func validateOut(_ out: String?) throws {
    if let out, out.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--out is empty: name the folder to write into")
    }
}
