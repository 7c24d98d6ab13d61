import ForgeCore
import Foundation

/// The describe and critique prompts, read from a folder (Templates/prompts by default)
/// and filled by replacing `{{name}}` placeholders.
public struct PromptTemplates: Sendable {
    public let describe: String
    public let critique: String

    public static let describeFile = "describe.md"
    public static let critiqueFile = "critique.md"

    public init(folder: URL) throws(CephaloError) {
        func read(_ name: String) throws(CephaloError) -> String {
            let url = folder.appendingPathComponent(name)
            // A regular file of at most 256 KiB (not a FIFO, which would block).
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
                  values.isRegularFile == true, (values.fileSize ?? .max) <= 256 << 10,
                  let text = try? String(contentsOf: url, encoding: .utf8) else { throw .templateMissing(path: url.path) }
            return text
        }
        describe = try read(Self.describeFile)
        critique = try read(Self.critiqueFile)
    }

    public init(describe: String, critique: String) {
        self.describe = describe
        self.critique = critique
    }

    /// `template` with each `{{key}}` replaced by its value.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var text = template
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return text
    }

    /// The recipe keys a model may give when describing, one per line.
    public static var recipeSchema: String {
        [
            "- family: one of " + StructureFamily.allCases.map(\.rawValue).joined(separator: ", "),
            "- mode: network (solid struts) or sheet (thin walls along a surface)",
            "- solid_fraction: 0.05-0.95 (share of the volume that is solid)",
            "- wavelength_mm: feature size (spacing of struts or cells) in mm",
            "- extent_mm: edge length of the cube in mm",
            "- bandwidth: 0.02-2, spread of feature sizes (small = regular)",
            "- axis: x, y or z (direction of columns, lamellae or grading)",
            "- min_feature_mm: smallest strut or pore to keep, in mm",
            "- cone_angle_x_deg, cone_angle_y_deg, cone_angle_z_deg: spinodoid cones, 0 (off) or 15-90 degrees; "
                + "cones across an axis (its own off) make columns stiff along it",
            "- material: one of " + SolidMaterial.presets.map(\.name).joined(separator: ", "),
            "- targets: properties the part should have, a list of objects {\"quantity\", \"axis\", \"value\", "
                + "\"tolerance\"} or {\"quantity\", \"axis\", \"min\", \"max\"}; quantity one of "
                + PropertyTarget.Quantity.allCases.map(\.rawValue).joined(separator: ", ")
                + " (moduli in GPa, permeability in m^2, tolerance relative, axis x, y or z or none for the mean; "
                + "stiffness_ratio is E along axis over E along \"over\" or the other two)",
            "- name: a short name for the design",
        ].joined(separator: "\n")
    }

    /// The parameters a critique may adjust (`allowed`, in the adjuster's order), with
    /// their ranges for `recipe`.
    public static func parameterList(for recipe: Recipe, allowed: [String] = RecipeAdjuster.designParameters) -> String {
        RecipeAdjuster.parameters.filter(allowed.contains).map { p in
            if let r = RecipeAdjuster.bounds(p, for: recipe) {
                return String(format: "- %@: %.4g to %.4g", p, r.lowerBound, r.upperBound)
            }
            switch p {
            case "family": return "- family: " + StructureFamily.allCases.map(\.rawValue).joined(separator: ", ")
            case "mode": return "- mode: network or sheet"
            case "cone_angles_deg": return "- cone_angles_deg: three spinodoid cones \"x, y, z\", each 0 (off) or 15 to 90"
            default: return "- axis: x, y or z"
            }
        }.joined(separator: "\n")
    }
}
