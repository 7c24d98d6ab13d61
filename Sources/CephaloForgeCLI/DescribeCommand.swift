import ArgumentParser
import CephaloForge
import Foundation

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print the recipe JSON a prompt (or recipe) resolves to, without generating.",
        discussion: "The recipe goes to stdout; where each value came from goes to stderr.")

    @OptionGroup var recipeOptions: RecipeOptions

    func run() throws {
        try reportingErrors {
            let resolved = try RecipeResolver.resolve(recipeOptions.request)
            let data = try JSONFile.encode(resolved.recipe)
            FileHandle.standardOutput.write(data)
            for (key, source) in resolved.sources { printError("  \(key): \(source)") }
        }
    }
}
