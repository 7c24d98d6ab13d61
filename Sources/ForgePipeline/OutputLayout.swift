import Foundation

/// The design folder contract: file names users and scripts rely on.
public struct OutputLayout: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public static let recipe = "recipe.json"
    public static let metrics = "metrics.json"
    public static let model = "model.stl"
    public static let slices = "slices"
    public static let slices16 = "slices16"
    public static let printerSlices = "printer_slices.zip"
    /// The tEXt keyword under which every slice PNG carries the recipe JSON.
    public static let sliceTextKey = "recipe"

    public var recipeURL: URL { folder.appendingPathComponent(Self.recipe) }
    public var metricsURL: URL { folder.appendingPathComponent(Self.metrics) }
    public var modelURL: URL { folder.appendingPathComponent(Self.model) }
    public var slicesURL: URL { folder.appendingPathComponent(Self.slices) }
    public var slices16URL: URL { folder.appendingPathComponent(Self.slices16) }
    public var printerSlicesURL: URL { folder.appendingPathComponent(Self.printerSlices) }

    /// The default folder for a design: `Outputs/<slug>` under `root`.
    public static func defaultFolder(slug: String, root: URL) -> URL {
        root.appendingPathComponent("Outputs").appendingPathComponent(slug)
    }
}
