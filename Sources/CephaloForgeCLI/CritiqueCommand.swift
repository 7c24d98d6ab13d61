import ArgumentParser
import CephaloForge
import Foundation

struct CritiqueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "critique",
        abstract: "Judge a design folder against a target; writes DIR/critique.json and prints it.",
        discussion: """
            The target defaults to the design's own prompt. Cephalo judges when a server is configured \
            (it sees preview.png and montage.png, or the middle slice, plus the metrics); otherwise, or \
            when the model's reply is unusable, the local critic compares the metrics with the target.
            """)

    @Argument(help: ArgumentHelp("A design folder written by generate.", valueName: "dir"))
    var folder: String

    @Option(name: .long, help: ArgumentHelp("What the design should be, e.g. \"spinodal foam, 30% solid\".", valueName: "text"))
    var target: String?

    @OptionGroup(title: "Cephalo") var cephaloOptions: CephaloOptions

    func run() throws {
        try reportingErrors {
            let design = try DesignFolder(URL(fileURLWithPath: folder))
            let (record, _) = try DesignCritique.critique(design, target: target, critic: cephaloOptions.setup().critic())
            for warning in record.warnings { printError("warning: \(warning)") }
            FileHandle.standardOutput.write(try JSONFile.encode(record))
        }
    }
}
