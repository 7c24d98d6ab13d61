import ArgumentParser
import CephaloForge

/// Which files `generate` writes besides recipe.json, slices/ and metrics.json.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Mesh formats, comma-separated: stl (binary, default), stl-ascii, 3mf, obj, ply, glb.", valueName: "list"))
    var format = "stl"

    @Option(name: .long, help: ArgumentHelp(
        "Volume files of the level set for analysis tools: nrrd (volume.nhdr + volume.raw), vti; with properties "
            + "on, also the flow speed under a pressure gradient along each axis (flow_speed_x.nhdr …).", valueName: "list"))
    var volume: String?

    @Flag(name: .long, help: "Also write slices16/: 16-bit PNG slices of the level set.")
    var slices16 = false

    @Option(name: .long, help: ArgumentHelp("Taubin smoothing iterations on the mesh (0 = none).", valueName: "n"))
    var smooth = 0

    @Option(name: .customLong("max-triangles"), help: ArgumentHelp(
        "Decimate the mesh to at most this many triangles (quadric edge collapse, closed and one shell per body kept); "
            + "0 keeps every triangle.", valueName: "n"))
    var maxTriangles = DesignOptions.slicerFriendlyTriangles

    @Option(name: .customLong("printer-pixel-um"), help: ArgumentHelp(
        "Printer pixel size in µm: writes printer_slices.zip (with --layer-um and --printer-xy).", valueName: "µm"))
    var printerPixelUM: Double?

    @Option(name: .customLong("layer-um"), help: ArgumentHelp("Printer layer height in µm (default 50).", valueName: "µm"))
    var layerUM = 50.0

    @Option(name: .customLong("printer-xy"), help: ArgumentHelp(
        "Printer screen resolution in pixels, e.g. 2560x1440 (default).", valueName: "WxH"))
    var printerXY = "2560x1440"

    @Flag(name: .customLong("anti-alias"), help: "Grey edges in printer slices (4 × 4 supersampling).")
    var antiAlias = false

    @Option(name: .long, help: ArgumentHelp(
        "Elastic properties: off, fast (default: solved on a grid of at most 128 per axis) or full (the design's grid).",
        valueName: "off|fast|full"))
    var properties = "fast"

    @Flag(name: .customLong("keep-other-files"), help: ArgumentHelp(
        "Keep files of an earlier design in the output folder that this run does not write "
            + "(by default the folder is replaced whole and holds exactly this run's files)."))
    var keepOtherFiles = false

    func validate() throws {
        do {
            _ = try MeshFormat.list(format)
            if let volume { _ = try VolumeFormat.list(volume) }
        } catch {
            throw ValidationError("\(error)")
        }
        guard PropertyMode(rawValue: properties.lowercased()) != nil else {
            throw ValidationError("--properties \(properties) is not a mode: write off, fast or full")
        }
        guard smooth >= 0 && smooth <= 1000 else { throw ValidationError("--smooth must lie in 0…1000") }
        guard maxTriangles == 0 || maxTriangles >= 1000 else {
            throw ValidationError("--max-triangles must be 0 (keep all) or at least 1000")
        }
        if printerPixelUM != nil, resolution == nil {
            throw ValidationError("--printer-xy \(printerXY) is not a resolution: write e.g. 2560x1440")
        }
        if let p = printerPixelUM, !(p > 0) || !(layerUM > 0) {
            throw ValidationError("--printer-pixel-um and --layer-um must be greater than 0")
        }
    }

    private var resolution: (x: Int, y: Int)? {
        let parts = printerXY.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return nil }
        return (parts[0], parts[1])
    }

    var designOptions: DesignOptions {
        var options = DesignOptions(
            meshFormats: (try? MeshFormat.list(format)) ?? [.stl],
            volumeFormats: volume.flatMap { try? VolumeFormat.list($0) } ?? [],
            sixteenBitSlices: slices16, smoothingIterations: smooth,
            printerStack: printerPixelUM.map {
                PrinterSliceStack(pixelUM: $0, layerUM: layerUM, resolution: resolution ?? (2560, 1440), antiAliased: antiAlias)
            }, maxTriangles: maxTriangles)
        options.keepOtherFiles = keepOtherFiles
        options.properties = PropertyMode(rawValue: properties.lowercased()) ?? .fast
        return options
    }
}
