import ArgumentParser
import CephaloForge
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a design folder: recipe.json, model.stl, slices/z0000.png…, metrics.json.",
        discussion: """
            Without a prompt or --recipe the default prompt is used: "\(RecipeRequest.defaultPrompt)". \
            Output goes to --out, or Outputs/<slug of the prompt or recipe name>. \
            `generate --recipe OUT/recipe.json` reproduces a run: every file byte for byte \
            (metrics.json apart from its timings).
            """)

    @OptionGroup var recipeOptions: RecipeOptions

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "Pictures") var imageArguments: ImageArguments

    @OptionGroup(title: "Cephalo") var cephaloOptions: CephaloOptions

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    @Flag(name: .customLong("progress-json"), help: ArgumentHelp(
        "Progress as JSON lines on stderr, {\"stage\": …, \"progress\": 0…1}, for scripts (the studio reads them)."))
    var progressJSON = false

    func validate() throws { try validateOut(out) }

    func run() throws {
        try reportingErrors {
            // With a server and a picture, Cephalo sees the picture too (scaled down).
            let setup = try cephaloOptions.setup()
            let picture = setup.isLocal ? nil : recipeOptions.image.flatMap { try? ModelPictures.describePicture(at: $0) }
            let describer = try setup.describer(image: picture)
            let resolved = try RecipeResolver.resolve(recipeOptions.request, describer: describer)
            for note in resolved.notes { printError("warning: \(note)") }
            let folder = out.map { URL(fileURLWithPath: $0) }
                ?? OutputLayout.defaultFolder(slug: resolved.slug,
                                              root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            var options = outputOptions.designOptions
            options.images = imageArguments.imageOptions
            if let exchange = resolved.exchange {
                options.extraFiles["describe-request.json"] = exchange.requestBody
                if let reply = exchange.replyBody { options.extraFiles["describe-reply.json"] = reply }
                options.extraFiles["describe.json"] = try resolved.describeRecord()
            }
            let result = try DesignGenerator.generate(resolved.recipe, into: OutputLayout(folder: folder),
                                                      options: options,
                                                      progress: ProgressReporter(quiet: quiet, jsonLines: progressJSON))
            for warning in result.warnings { printError("warning: \(warning.message)") }
            print(Summary.text(for: result, sources: resolved.sources))
        }
    }
}
