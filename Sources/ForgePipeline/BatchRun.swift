import ForgeCore
import ForgeFormats
import Foundation

/// How a batch runs.
public struct BatchOptions: Sendable {
    /// Variants generated at once.
    public var jobs: Int = 1
    /// Memory the batch may use (default: the machine's); jobs are reduced to fit.
    public var memoryGB: Double?
    /// Shard i of n (1-based), or the whole sweep.
    public var shard: (index: Int, count: Int)?
    public var design = DesignOptions()
    /// A name for the sweep in the manifest (its file name).
    public var sweepName = "sweep"

    public init() {}
}

/// What a batch did.
public struct BatchOutcome: Sendable {
    public var selected: Int
    public var generated: Int
    public var skipped: Int
    public var failed: [(id: String, error: String)]
    public var jobs: Int
    public var notes: [String]
}

/// Runs the variants of a sweep into DIR/variants/ID/, several at once, journaling each as
/// it finishes (the manifest is written whole at the start and the end). Complete variants are skipped after checking their files;
/// incomplete ones are made again; a failed variant is recorded and the batch goes on.
public enum BatchRun {
    public static func run(_ sweep: Sweep, into folder: URL, options: BatchOptions,
                           log: @escaping @Sendable (String) -> Void = { _ in }) throws -> BatchOutcome {
        let selected = options.shard.map { sweep.shard($0.index, of: $0.count) } ?? sweep.variants
        let variantsFolder = folder.appendingPathComponent("variants")
        do {
            try FileManager.default.createDirectory(at: variantsFolder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.outputNotWritable(path: folder.path, reason: error.localizedDescription)
        }
        let jobs = affordableJobs(options, variants: selected)
        var notes: [String] = []
        if jobs < options.jobs { notes.append("running \(jobs) at once instead of \(options.jobs): that is what the memory budget allows") }

        let state = BatchState(rows: selected.map { row(for: $0, status: .pending) })
        var pending: [SweepVariant] = []
        for variant in selected {
            if let metrics = completeDesign(variant, in: folder) {
                state.finish(variant.index, row: row(for: variant, status: .done, metrics: metrics, in: folder))
            } else {
                pending.append(variant)
            }
        }
        let skipped = selected.count - pending.count
        let manifestBase = BatchManifest(sweep: options.sweepName, sweepHash: sweep.contentHash,
                                         shard: options.shard.map { "\($0.index)/\($0.count)" },
                                         parameters: sweep.parameterNames, variants: [])
        try writeManifest(manifestBase, state: state, into: folder)
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(BatchManifest.journalName))
        if skipped > 0 { log("\(skipped) of \(selected.count) variants already complete; skipped") }

        let work = pending
        let queue = WorkQueue(count: work.count)
        let started = Date()
        let failures = FailureLog()
        let manifestFailure = FailureLog()
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, work.count))) { _ in
            while let k = queue.next() {
                let variant = work[k]
                let t0 = Date()
                var row: ManifestRow
                do {
                    let result = try DesignGenerator.generate(variant.recipe, into: OutputLayout(folder: folder.appendingPathComponent(variant.folder)),
                                                              options: options.design)
                    row = Self.row(for: variant, status: .done, metrics: result.metrics, in: folder)
                } catch {
                    row = Self.row(for: variant, status: .failed)
                    row.error = "\(error)"
                    failures.add(variant.id, "\(error)")
                }
                row.seconds = Date().timeIntervalSince(t0)
                let (done, finished) = state.finish(variant.index, row: row, countsFinished: true)
                do { try state.journal(row, into: folder) } catch { manifestFailure.add("manifest", "\(error)") }
                let elapsed = Date().timeIntervalSince(started)
                // Finished variants per second already reflect the parallelism.
                let eta = elapsed / Double(max(finished, 1)) * Double(work.count - finished)
                log(String(format: "[%d/%d] %@ %@ in %.1f s; %d done, %d failed; ETA %@", skipped + finished, selected.count,
                           variant.id, row.status == .done ? "done" : "FAILED: \(row.error ?? "")", row.seconds ?? 0,
                           done, failures.count, clock(eta)))
            }
        }
        if let problem = manifestFailure.entries.first { throw PipelineError.outputNotWritable(path: folder.path, reason: problem.1) }
        let manifest = try writeManifest(manifestBase, state: state, into: folder)
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(BatchManifest.journalName))
        notes += try BatchSummaries.write(manifest, into: folder)
        return BatchOutcome(selected: selected.count, generated: pending.count - failures.count, skipped: skipped,
                            failed: failures.entries.map { (id: $0.0, error: $0.1) }, jobs: jobs, notes: notes)
    }

    /// Jobs that fit in the memory budget (at least one).
    static func affordableJobs(_ options: BatchOptions, variants: [SweepVariant]) -> Int {
        let perVariant = variants.map { MemoryBudget.estimatedBytes(for: $0.recipe.tiledSize) }.max() ?? 1
        let budget = (options.memoryGB.map { $0 * 1_073_741_824 } ?? Double(ProcessInfo.processInfo.physicalMemory)) * 0.9
        return max(1, min(options.jobs, Int(budget / perVariant)))
    }

    /// The metrics of a variant whose design folder is complete and made from the expected
    /// recipe: metrics.json reads, recipe.json matches, every slice is a whole PNG of the
    /// right size (header and final IEND chunk), and model.stl holds the triangle count of
    /// its header and metrics.json in exactly its length, with the CRC-32 recorded.
    public static func completeDesign(_ variant: SweepVariant, in folder: URL) -> DesignMetrics? {
        let layout = OutputLayout(folder: folder.appendingPathComponent(variant.folder))
        guard let data = try? InputFile.read(layout.metricsURL, maximumBytes: 64 << 20),
              let metrics = try? JSONDecoder().decode(DesignMetrics.self, from: data),
              let recipe = try? RecipeFile.decode(layout.recipeURL), recipe == variant.recipe else { return nil }
        let size = recipe.tiledSize
        let slices = ((try? FileManager.default.contentsOfDirectory(atPath: layout.slicesURL.path)) ?? [])
            .filter { $0.hasSuffix(".png") }
        guard slices.count == size.nz else { return nil }
        for name in slices {
            guard let header = try? PNGHeader.read(layout.slicesURL.appendingPathComponent(name)),
                  header.width == size.nx, header.height == size.ny, header.endsComplete else { return nil }
        }
        if metrics.triangles > 0 {
            guard let head = try? InputFile.head(layout.modelURL, bytes: 84), head.count == 84 else { return nil }
            let count = head[80..<84].reversed().reduce(0) { $0 << 8 | Int($1) }
            let length = (try? FileManager.default.attributesOfItem(atPath: layout.modelURL.path)[.size] as? Int) ?? nil
            guard count == metrics.triangles, length == 84 + 50 * count else { return nil }
            if let recorded = metrics.modelCRC32 {
                guard let crc = try? FileChecksum.crc32(of: layout.modelURL), FileChecksum.hex(crc) == recorded else { return nil }
            }
        }
        return metrics
    }

    static func row(for variant: SweepVariant, status: ManifestRow.Status, metrics: DesignMetrics? = nil, in folder: URL? = nil) -> ManifestRow {
        var files: [String] = []
        if let folder, status == .done {
            files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(variant.folder).path)) ?? [])
                .filter { !$0.hasPrefix(".") }.sorted()
        }
        return ManifestRow(id: variant.id, index: variant.index, status: status, seed: variant.recipe.seed,
                           parameters: Dictionary(uniqueKeysWithValues: variant.parameters.map { ($0.name, $0.value) }),
                           folder: variant.folder, files: files, error: nil, solidFraction: metrics?.solidFraction,
                           characteristicLengthMM: metrics?.structure.twoPoint.characteristicLengthMM,
                           anisotropyRatio: metrics?.structure.twoPoint.anisotropyRatio,
                           intrusionMedianMM: metrics?.structure.porosimetry?.medianDiameterMM,
                           fabricAnisotropy: metrics?.structure.fabric?.degreeOfAnisotropy,
                           properties: metrics?.properties.flatMap(\.measures), triangles: metrics?.triangles,
                           watertight: metrics?.watertight, printable: metrics?.printability.printable,
                           seconds: metrics?.timingsS["total"])
    }

    @discardableResult
    static func writeManifest(_ base: BatchManifest, state: BatchState, into folder: URL) throws -> BatchManifest {
        try state.locked { rows in
            var manifest = base
            manifest.variants = rows.sorted { $0.index < $1.index }
            try manifest.write(into: folder)
            return manifest
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// The rows of a running batch, shared by its workers.
final class BatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [Int: ManifestRow]
    private var finished = 0

    init(rows: [ManifestRow]) { self.rows = Dictionary(uniqueKeysWithValues: rows.map { ($0.index, $0) }) }

    /// Records a finished row; returns the count of done rows and of rows finished this run.
    @discardableResult
    func finish(_ index: Int, row: ManifestRow, countsFinished: Bool = false) -> (Int, Int) {
        lock.withLock {
            rows[index] = row
            if countsFinished { finished += 1 }
            return (rows.values.filter { $0.status == .done }.count, finished)
        }
    }

    func locked<T>(_ body: ([ManifestRow]) throws -> T) throws -> T {
        try lock.withLock { try body(Array(rows.values)) }
    }

    /// Appends `row` to the journal, one writer at a time.
    func journal(_ row: ManifestRow, into folder: URL) throws {
        try lock.withLock { try BatchManifest.append(row, toJournalIn: folder) }
    }
}

/// Hands out 0..<count once each, to any number of workers.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    init(count: Int) { self.count = count }
    func next() -> Int? {
        lock.withLock {
            guard nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }
}

/// Errors collected from workers.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(String, String)] = []
    func add(_ id: String, _ error: String) { lock.withLock { list.append((id, error)) } }
    var entries: [(String, String)] { lock.withLock { list } }
    var count: Int { lock.withLock { list.count } }
}
