import ArgumentParser
import CephaloForge
import Foundation

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run the variants of a sweep file, or merge shard outputs.",
        subcommands: [BatchRunCommand.self, BatchMergeCommand.self],
        defaultSubcommand: BatchRunCommand.self)
}

struct BatchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate every variant of a sweep into DIR/variants/ID/ with a manifest, contact sheet and diversity map.",
        discussion: """
            The same command after an interruption skips complete variants (their files are checked) \
            and makes the others again. The exit status is 2 when some variants failed. \
            --shard i/N runs every N-th variant starting at the i-th, so N jobs cover the sweep once; \
            `batch merge` combines their folders.
            """)

    @Argument(help: ArgumentHelp("A sweep file (YAML or JSON).", valueName: "sweep"))
    var sweep: String

    @Option(name: .long, help: ArgumentHelp("Batch folder (default Outputs/<sweep name>).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Variants generated at once.", valueName: "n"))
    var jobs = 1

    @Option(name: .customLong("memory-gb"), help: ArgumentHelp("Memory the batch may use (default: all of it).", valueName: "GiB"))
    var memoryGB: Double?

    @Option(name: .long, help: ArgumentHelp("Run shard i of N (1-based), e.g. 2/8.", valueName: "i/N"))
    var shard: String?

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup(title: "Pictures") var imageArguments: ImageArguments

    @Flag(name: .long, help: "No per-variant progress lines on stderr.")
    var quiet = false

    func validate() throws {
        try validateOut(out)
        guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must lie in 1…256") }
        if let memoryGB, !(memoryGB > 0) { throw ValidationError("--memory-gb must be greater than 0") }
        if let shard, Self.parseShard(shard) == nil {
            throw ValidationError("--shard \(shard) is not i/N with 1 ≤ i ≤ N, e.g. 2/8")
        }
    }

    static func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        return (parts[0], parts[1])
    }

    func run() throws {
        var failed = false
        try reportingErrors {
            let url = URL(fileURLWithPath: sweep)
            let plan = try Sweep.load(url)
            let name = url.deletingPathExtension().lastPathComponent
            let folder = out.map { URL(fileURLWithPath: $0) }
                ?? OutputLayout.defaultFolder(slug: name, root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            var options = BatchOptions()
            options.jobs = jobs
            options.memoryGB = memoryGB
            options.shard = shard.flatMap(Self.parseShard).map { (index: $0.0, count: $0.1) }
            options.design = outputOptions.designOptions
            options.design.images = imageArguments.imageOptions
            options.sweepName = url.lastPathComponent
            let quiet = self.quiet
            let outcome = try BatchRun.run(plan, into: folder, options: options) { if !quiet { printError($0) } }
            for note in outcome.notes { printError("note: \(note)") }
            print("wrote \(folder.path)")
            print("  \(outcome.selected) variants\(shard.map { " (shard \($0) of \(plan.variants.count))" } ?? ""): "
                + "\(outcome.generated) generated, \(outcome.skipped) already complete, \(outcome.failed.count) failed; \(outcome.jobs) at once")
            let has = { (name: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
            print("  manifest.csv, manifest.json, contact_sheet.png"
                + (has(BatchSummaries.diversityImage) ? ", diversity.png, diversity.csv" : "")
                + (has(BatchSummaries.propertyMap) ? ", property_map.png" : "") + ", report.html")
            for failure in outcome.failed { printError("failed: \(failure.id): \(failure.error)") }
            failed = !outcome.failed.isEmpty
        }
        if failed { throw ExitCode(2) }
    }
}

struct BatchMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine batch folders (shards) into one manifest, contact sheet and diversity map.")

    @Argument(help: ArgumentHelp("Batch folders to merge.", valueName: "dir"))
    var folders: [String]

    @Option(name: .long, help: ArgumentHelp("Merged folder.", valueName: "dir"))
    var out: String

    func validate() throws {
        try validateOut(out)
        guard !folders.isEmpty else { throw ValidationError("name at least one batch folder to merge") }
    }

    func run() throws {
        try reportingErrors {
            let (manifest, notes) = try BatchMerge.merge(folders.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out))
            for note in notes { printError("note: \(note)") }
            let done = manifest.variants.filter { $0.status == .done }.count
            print("wrote \(out): \(manifest.variants.count) variants (\(done) done) from \(folders.count) folders")
        }
    }
}
