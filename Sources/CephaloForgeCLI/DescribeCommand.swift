import ArgumentParser
import CephaloForge
import Foundation

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print the recipe JSON a prompt (or recipe) resolves to, without generating.",
        discussion: """
            The recipe goes to stdout; where each value came from goes to stderr. With --cephalo-url (or \
            CEPHALO_BASE_URL) the prompt goes to Cephalo; keys it does not give come from the local describer.
            """)

    @OptionGroup var recipeOptions: RecipeOptions

    @OptionGroup(title: "Cephalo") var cephaloOptions: CephaloOptions

    func run() throws {
        try reportingErrors {
            let setup = try cephaloOptions.setup()
            let picture = setup.isLocal ? nil : recipeOptions.image.flatMap { try? ModelPictures.describePicture(at: $0) }
            let describer = try setup.describer(image: picture)
            let resolved = try RecipeResolver.resolve(recipeOptions.request, describer: describer)
            for note in resolved.notes { printError("warning: \(note)") }
            let data = try JSONFile.encode(resolved.recipe)
            FileHandle.standardOutput.write(data)
            for (key, source) in resolved.sources { printError("  \(key): \(source)") }
        }
    }
}
