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
            DIR/report.html show every round. With property targets (\"three times stiffer along z\", \
            \"permeability above 1e-9 m²\", or the recipe's targets) the loop stops when every target is met, \
            or says which it could not reach and why. A round folder with decision.json (a person's accepted, edited or \
            rejected adjustments, as the studio writes) makes the next round apply those instead of the critic's; \
            --atlas starts from the nearest design of a batch. Rerunning the same command resumes after the last complete round \
            (round 1's recipe is reused: the prompt is not described again). Rounds are ranked by their \
            measured distance to the target first, the critic's score second. A critique may not change \
            extent_mm, printer_resolution_mm or seed unless --allow-adjust names them.
            """)

    @OptionGroup var recipeOptions: RecipeOptions

    @Option(name: .long, help: ArgumentHelp("What to converge to (default: the prompt).", valueName: "text"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Most rounds (1…20).", valueName: "n"))
    var rounds = 3

    @Option(name: .long, help: ArgumentHelp("Output folder (default Outputs/<slug>-iterate).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp(
        "A batch folder with computed properties (an atlas): start from its variant nearest the property targets.",
        valueName: "dir"))
    var atlas: String?

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "Pictures") var imageArguments: ImageArguments

    @Option(name: .customLong("allow-adjust"), help: ArgumentHelp(
        "Comma-separated user parameters a critique may change: "
            + RecipeAdjuster.userParameters.joined(separator: ", ") + " (default: none).", valueName: "list"))
    var allowAdjust: String?

    @OptionGroup(title: "Cephalo") var cephaloOptions: CephaloOptions

    @Flag(name: .customLong("progress-json"), help: ArgumentHelp(
        "Progress of each round's stages as JSON lines on stderr, {\"stage\": …, \"progress\": 0…1}."))
    var progressJSON = false

    var allowed: Set<String> {
        Set((allowAdjust ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    func validate() throws {
        try validateOut(out)
        guard (1...Iteration.maxRounds).contains(rounds) else { throw ValidationError("--rounds must lie in 1…20") }
        for name in allowed where !RecipeAdjuster.userParameters.contains(name) {
            throw ValidationError("--allow-adjust: '\(name)' is not one of " + RecipeAdjuster.userParameters.joined(separator: ", ")
                                  + " (design parameters may always be adjusted)")
        }
        if recipeOptions.prompt == nil && target == nil {
            throw ValidationError("give a prompt, or --recipe with --target, to say what to converge to")
        }
    }

    func run() throws {
        try reportingErrors {
            let setup = try cephaloOptions.setup()
            let goal = target ?? recipeOptions.prompt!
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            // The folder is known before anything is described, so a rerun can resume from it.
            var folder = out.map { URL(fileURLWithPath: $0) }
            if folder == nil, let prompt = recipeOptions.prompt {
                folder = OutputLayout.defaultFolder(slug: LocalDescriber.slug(prompt) + "-iterate", root: root)
            }
            let start: Recipe
            var prior: [CritiqueRequest.Observation] = []
            if let folder, let recorded = Iteration.recordedStart(in: folder) {
                start = recorded
                printError("resuming \(folder.path) from its round 1 recipe")
            } else {
                let resolved = try RecipeResolver.resolve(recipeOptions.request, describer: setup.describer())
                for note in resolved.notes { printError("warning: \(note)") }
                if let atlas {
                    let pick = try AtlasStart.nearest(in: URL(fileURLWithPath: atlas), target: goal, start: resolved.recipe)
                    printError(String(format: "starting from atlas variant %@ (%@), the nearest of %d (measured distance %.2f)",
                                      pick.variant, pick.folder, pick.compared, pick.distance))
                    start = pick.recipe
                    prior = pick.neighbours
                } else {
                    start = resolved.recipe
                }
                if folder == nil { folder = OutputLayout.defaultFolder(slug: resolved.slug + "-iterate", root: root) }
            }
            guard let folder else { return }
            var options = outputOptions.designOptions
            options.images = imageArguments.imageOptions
            let summary = try Iteration.run(target: goal, start: start, into: folder, rounds: rounds,
                                            options: options, critic: setup.critic(), allowAdjust: allowed,
                                            prior: prior,
                                            progress: ProgressReporter(quiet: !progressJSON, jsonLines: progressJSON)) { printError($0) }
            print("wrote \(folder.path)")
            print(Iteration.table(summary))
        }
    }
}
