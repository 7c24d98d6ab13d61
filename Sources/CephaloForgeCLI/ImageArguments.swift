import ArgumentParser
import CephaloForge

/// The pictures a design folder gets: renders, montage, plots and report.html.
struct ImageArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Rendered views, comma-separated: iso, front, top, side or all. The first is preview.png, "
            + "the others preview-<view>.png.", valueName: "list"))
    var views = "iso"

    @Option(name: .customLong("render-size"), help: ArgumentHelp("Render size in pixels (square, 64…4096).", valueName: "px"))
    var renderSize = 800

    @Option(name: .long, help: ArgumentHelp("Surface colour: uniform, height or thickness (thin walls in red).",
                                            valueName: "scheme"))
    var color = "uniform"

    @Flag(name: .customLong("no-images"), help: "Write no renders, montage, plots or report.html.")
    var noImages = false

    func validate() throws {
        if case .failure(let error) = ViewDirection.parseList(views) { throw ValidationError(error.description) }
        guard (64...4096).contains(renderSize) else { throw ValidationError("--render-size must lie in 64…4096") }
        guard ImageOptions.Coloring(rawValue: color) != nil else {
            throw ValidationError("--color must be one of uniform, height, thickness")
        }
    }

    var imageOptions: ImageOptions {
        ImageOptions(enabled: !noImages, views: (try? ViewDirection.parseList(views).get()) ?? [.iso],
                     size: renderSize, coloring: ImageOptions.Coloring(rawValue: color) ?? .uniform)
    }
}
