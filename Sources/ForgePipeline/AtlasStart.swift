import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// The start of an iteration taken from an atlas: the finished variant of a batch folder
/// whose measured properties lie nearest the target (the smallest measured distance,
/// `TargetAssessment`), its stiffness scaled to the target's material (E ∝ E_s at one
/// structure). The start keeps the target's size, extent, material, printer and targets,
/// and takes the variant's structure: family, mode, solid fraction, wavelength, bandwidth,
/// cones, axis, rotation, β and blend. The other variants become the iteration's prior
/// history, so its first steps already follow the atlas's measured trends.
public enum AtlasStart {
    public struct Pick: Sendable {
        public var recipe: Recipe
        /// The variant's id and folder, relative to the atlas.
        public var variant: String
        public var folder: String
        public var distance: Double
        /// How many variants were compared.
        public var compared: Int
        /// The other variants as measured, farthest from the target first: what the
        /// iteration's steps fit their scaling laws to before its own rounds add to them.
        public var neighbours: [CritiqueRequest.Observation] = []
    }

    public static func nearest(in atlas: URL, target: String, start: Recipe) throws -> Pick {
        let description = try LocalDescriber().describe(target)
        let targets = start.targets.isEmpty ? description.recipe.targets : start.targets
        guard !targets.isEmpty else { throw PipelineError.atlasUnusable(path: atlas.path, reason: "the target names no property to aim at; "
                                                + "give one in the prompt (\"three times stiffer along z\") or the recipe's targets") }
        let manifest = try BatchManifest.read(atlas)
        var best: Pick?, compared = 0
        var seen: [(distance: Double, observation: CritiqueRequest.Observation)] = []
        for row in manifest.variants where row.status == .done && row.properties != nil {
            let folder = atlas.appendingPathComponent(row.folder)
            guard let design = try? DesignFolder(folder) else { continue }
            var candidate = structure(of: design.recipe, into: start)
            candidate.targets = targets
            var measures = design.metrics.measures(of: design.recipe)
            measures.properties = measures.properties.map { rescaled($0, to: start.material) }
            let request = CritiqueRequest(target: target, targetDescription: description, recipe: candidate,
                                          measures: measures, images: [])
            let distance = TargetAssessment(request).distance
            seen.append((distance, .init(recipe: candidate, measures: measures)))
            compared += 1
            if distance < best?.distance ?? .infinity {
                best = Pick(recipe: candidate, variant: row.id, folder: row.folder, distance: distance, compared: 0)
            }
        }
        guard var pick = best else {
            throw PipelineError.atlasUnusable(path: atlas.path, reason: "no finished variant has computed properties "
                                              + "(run the batch with --properties fast)")
        }
        pick.compared = compared
        pick.neighbours = seen.sorted { $0.distance > $1.distance }.dropLast().map(\.observation)
        return pick
    }

    /// `base` with the structure of `variant`.
    static func structure(of variant: Recipe, into base: Recipe) -> Recipe {
        var r = base
        r.family = variant.family
        r.mode = variant.mode
        r.solidFraction = variant.solidFraction
        r.grading = nil
        r.wavelengthMM = min(max(variant.wavelengthMM, 4 * base.voxelSizeMM), base.extentMM)
        r.bandwidth = variant.bandwidth
        r.coneAnglesDeg = variant.coneAnglesDeg
        r.coneAngleDeg = variant.coneAngleDeg
        r.axis = variant.axis
        r.rotationDeg = variant.rotationDeg
        r.beta = variant.beta
        r.blend = variant.blend
        return r
    }

    /// Moduli of one structure in another material: E and G scale with E_s.
    static func rescaled(_ p: PropertyMeasures, to material: SolidMaterial) -> PropertyMeasures {
        let factor = material.youngsModulusGPa / p.solidModulusGPa
        var out = p
        out.solidModulusGPa = material.youngsModulusGPa
        out.youngsModulusGPa = p.youngsModulusGPa.map { $0 * factor }
        out.shearModulusGPa = p.shearModulusGPa.map { $0 * factor }
        return out
    }
}
