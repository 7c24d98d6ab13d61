import ArgumentParser
import CephaloForge
import Foundation

struct IterateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iterate",
        abstract: "Generate, critique and adjust, round after round, towards a target.",
        discussion: """
            Each round is a design folder DIR/rounds/NN with critique.json (and the model's request and \
            reply when Cephalo judged it). The loop stops when the critic is satisfied, when the score \
            stops improving, or after --rounds; DIR/best links the best round, DIR/iteration.json and \
            DIR/report.html show every round. Rerunning the same command resumes after the last complete round.
            """)

    @OptionGroup var recipeOptions: RecipeOptions

    @Option(name: .long, help: ArgumentHelp("What to converge to (default: the prompt).", valueName: "text"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Most rounds (1…20).", valueName: "n"))
    var rounds = 3

    @Option(name: .long, help: ArgumentHelp("Output folder (default Outputs/<slug>-iterate).", valueName: "dir"))
    var out: String?

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "Pictures") var imageArguments: ImageArguments

    @OptionGroup(title: "Cephalo") var cephaloOptions: CephaloOptions

    func validate() throws {
        guard (1...Iteration.maxRounds).contains(rounds) else { throw ValidationError("--rounds must lie in 1…20") }
        if recipeOptions.prompt == nil && target == nil {
            throw ValidationError("give a prompt, or --recipe with --target, to say what to converge to")
        }
    }

    func run() throws {
        try reportingErrors {
            let setup = try cephaloOptions.setup()
            let resolved = try RecipeResolver.resolve(recipeOptions.request, describer: setup.describer())
            for note in resolved.notes { printError("warning: \(note)") }
            let goal = target ?? recipeOptions.prompt!
            let folder = out.map { URL(fileURLWithPath: $0) }
                ?? OutputLayout.defaultFolder(slug: resolved.slug + "-iterate",
                                              root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            var options = outputOptions.designOptions
            options.images = imageArguments.imageOptions
            let summary = try Iteration.run(target: goal, start: resolved.recipe, into: folder, rounds: rounds,
                                            options: options, critic: setup.critic()) { printError($0) }
            print("wrote \(folder.path)")
            print(Iteration.table(summary))
        }
    }
}
