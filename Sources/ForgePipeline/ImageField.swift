import ForgeCore
import ForgeFormats
import ForgeMetrics
import ForgeMorphology
import ForgeSynthesis
import Foundation

/// The field of a recipe with an image: a Gaussian field whose level cut at the recipe's
/// fraction has the image's two-point statistics in every x–y section.
enum ImageField {
    static func field(for recipe: Recipe, analysis: ImageAnalysis) throws -> ScalarGrid {
        var g = try SpectralSynthesis.field(size: recipe.size, voxelSizeMM: recipe.voxelSizeMM,
                                            correlation: analysis.correlationMap(), seed: recipe.seed)
        FieldSynthesis.apply(recipe.mode, to: &g)
        return g
    }

    /// The in-plane statistics of a structure: S₂ of up to eight evenly spaced z sections,
    /// averaged, measured like the image.
    static func sectionStatistics(of mask: VoxelMask, voxelSizeMM h: Double) throws -> ImageStatistics {
        let s = mask.size
        let zs = s.nz == 1 ? [0] : (0..<min(8, s.nz)).map { ($0 * s.nz) / min(8, s.nz) + s.nz / 16 }
        var parts: [PlanarTwoPoint] = []
        for z in zs {
            let layer = Array(mask.bits[(z * s.nx * s.ny)..<((z + 1) * s.nx * s.ny)])
            parts.append(try PlanarTwoPoint(solid: layer, width: s.nx, height: s.ny))
        }
        return ImageStatistics(PlanarTwoPoint.average(parts), pixelMM: h, width: s.nx, height: s.ny)
    }
}

/// How a generated structure compares with its image, in metrics.json.
public struct ImageMatch: Codable, Sendable, Equatable {
    public var source: String
    public var image: ImageStatistics
    /// Measured the same way on x–y sections of the structure.
    public var generated: ImageStatistics
}
