import ArgumentParser
import CephaloForge
import Foundation

/// Options shared by every command that resolves a recipe.
struct RecipeOptions: ParsableArguments {
    @Argument(help: "Description of the microstructure, e.g. \"trabecular bone scaffold, 30% solid, 10 mm cube\".")
    var prompt: String?

    @Option(name: .long, help: ArgumentHelp(
        "A recipe file (.json, .yaml) or the name of a template in Templates/recipes.",
        valueName: "file-or-name"))
    var recipe: String?

    @Option(name: .long, help: ArgumentHelp(
        "Samples per axis: 128 (cube), 512x512 (2D) or 128x128x64; overrides the recipe.", valueName: "n"))
    var size: String?

    @Option(name: .long, help: "Random seed; overrides the recipe.")
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp(
        "Copies of the periodic cell along x, y, z welded into one part, e.g. 2x2x1; overrides the recipe.",
        valueName: "NxMxK"))
    var tile: String?

    @Option(name: .long, help: ArgumentHelp(
        "A PNG picture of the wanted structure: its two-point statistics set the field (in x–y, extended to z).",
        valueName: "png"))
    var image: String?

    @Flag(name: .long, help: "With --image: the dark phase is solid.")
    var invert = false

    @Option(name: .customLong("image-pixel-mm"), help: ArgumentHelp(
        "With --image: the size of one pixel in mm (default: the image spans the volume's x extent).", valueName: "mm"))
    var imagePixelMM: Double?

    @Option(name: .long, help: ArgumentHelp(
        "The solid's material: resin (default), pla, pa12, ti64, ss316l, or JSON "
            + "{\"name\": …, \"youngs_modulus_gpa\": …, \"poisson_ratio\": …}; overrides the recipe.",
        valueName: "name|json"))
    var material: String?

    func validate() throws {
        if image == nil && (invert || imagePixelMM != nil) {
            throw ValidationError("--invert and --image-pixel-mm need --image")
        }
        if let imagePixelMM, !(imagePixelMM > 0) { throw ValidationError("--image-pixel-mm must be greater than 0") }
        if let size, GridSize(parsing: size) == nil {
            throw ValidationError("--size \(size) is not a size: write 128, 512x512 or 128x128x64")
        }
        if let tile, Self.counts(tile) == nil {
            throw ValidationError("--tile \(tile) is not a tile count: write 2x2x1")
        }
        if let material {
            do {
                _ = try Self.material(material)
            } catch {
                throw ValidationError("--material: \(error)")
            }
        }
        if prompt != nil && recipe != nil {
            throw ValidationError("give a prompt or --recipe, not both")
        }
    }

    var request: RecipeRequest {
        RecipeRequest(prompt: prompt, recipeReference: recipe, size: size.flatMap(GridSize.init(parsing:)), seed: seed,
                      tile: tile.flatMap(Self.counts),
                      image: image.map { ImageReference(path: $0, pixelMM: imagePixelMM, invert: invert) },
                      material: material.flatMap { try? Self.material($0) })
    }

    /// A preset name or a JSON mapping, validated.
    static func material(_ text: String) throws -> SolidMaterial {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let json = trimmed.hasPrefix("{") ? trimmed : "\"" + trimmed.replacingOccurrences(of: "\"", with: "") + "\""
        let material = try JSONDecoder().decode(SolidMaterial.self, from: Data(json.utf8))
        try material.validate()
        return material
    }

    static func counts(_ text: String) -> [Int]? {
        let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ $0 >= 1 }) else { return nil }
        return parts
    }
}
