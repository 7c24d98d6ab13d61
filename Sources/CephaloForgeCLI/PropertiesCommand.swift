import ArgumentParser
import CephaloForge
import Foundation

struct PropertiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "properties",
        abstract: "Compute (or recompute) a design folder's properties into its metrics.json.",
        discussion: """
            Reads the design's voxels from slices/, homogenises its stiffness, conductivity and \
            permeability and writes properties.elastic and properties.transport into metrics.json (and the material into recipe.json when --material \
            changes it); report.html is redrawn when the folder has one.
            """)

    @Argument(help: ArgumentHelp("A design folder written by generate.", valueName: "dir"))
    var folder: String

    @Option(name: .long, help: ArgumentHelp(
        "fast (default: a grid of at most 128 per axis) or full (the design's grid).", valueName: "fast|full"))
    var properties = "fast"

    @Option(name: .long, help: ArgumentHelp(
        "The solid's material: resin, pla, pa12, ti64, ss316l, or JSON {name, youngs_modulus_gpa, poisson_ratio}; "
            + "the recipe's by default.", valueName: "name|json"))
    var material: String?

    @Option(name: .long, help: ArgumentHelp(
        "Also write the flow speed under a pressure gradient along each axis as volumes: nrrd "
            + "(flow_speed_x.nhdr + .raw …), vti.", valueName: "list"))
    var volume: String?

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    func validate() throws {
        guard let mode = PropertyMode(rawValue: properties.lowercased()), mode != .off else {
            throw ValidationError("--properties \(properties) is not a mode here: write fast or full")
        }
        if let material {
            do { _ = try RecipeOptions.material(material) } catch { throw ValidationError("--material: \(error)") }
        }
        if let volume {
            do { _ = try VolumeFormat.list(volume) } catch { throw ValidationError("--volume: \(error)") }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("\(folder) is not a folder; pass a design folder written by generate")
        }
    }

    func run() throws {
        try reportingErrors {
            let design = try DesignFolder(URL(fileURLWithPath: folder))
            let mode = PropertyMode(rawValue: properties.lowercased()) ?? .fast
            let properties = try design.updateProperties(mode: mode, material: try material.map(RecipeOptions.material),
                                                         volumeFormats: try volume.map(VolumeFormat.list) ?? [],
                                                         progress: ProgressReporter(quiet: quiet))
            print("wrote " + design.layout.metricsURL.path)
            if let line = Summary.propertiesLine(properties) { print(line) }
            if let line = Summary.transportLine(properties) { print(line) }
        }
    }
}
