import Foundation

/// The design folder contract: file names users and scripts rely on.
public struct OutputLayout: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public static let recipe = "recipe.json"
    public static let metrics = "metrics.json"
    public static let model = "model.stl"
    public static let slices = "slices"
    public static let slices16 = "slices16"
    public static let printerSlices = "printer_slices.zip"
    /// The tEXt keyword under which every slice PNG carries the recipe JSON.
    public static let sliceTextKey = "recipe"

    public var recipeURL: URL { folder.appendingPathComponent(Self.recipe) }
    public var metricsURL: URL { folder.appendingPathComponent(Self.metrics) }
    public var modelURL: URL { folder.appendingPathComponent(Self.model) }
    public var slicesURL: URL { folder.appendingPathComponent(Self.slices) }
    public var slices16URL: URL { folder.appendingPathComponent(Self.slices16) }
    public var printerSlicesURL: URL { folder.appendingPathComponent(Self.printerSlices) }

    /// The default folder for a design: `Outputs/<slug>` under `root`.
    public static func defaultFolder(slug: String, root: URL) -> URL {
        root.appendingPathComponent("Outputs").appendingPathComponent(slug)
    }
}

/// A hidden staging folder inside the design folder. Everything is written there first and
/// moved to its final name only when the whole design succeeded; on failure the staging
/// folder is removed and the files of an earlier run are left as they were.
struct StagingArea {
    let final: OutputLayout
    let staged: OutputLayout

    init(for layout: OutputLayout) throws {
        final = layout
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: layout.folder, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.outputNotWritable(path: layout.folder.path, reason: Self.reason(error))
        }
        guard fm.isWritableFile(atPath: layout.folder.path) else {
            throw PipelineError.outputNotWritable(path: layout.folder.path, reason: "permission denied")
        }
        Self.removeAbandonedStages(in: layout.folder)
        let stage = layout.folder.appendingPathComponent(".partial-\(getpid())")
        try? fm.removeItem(at: stage)
        do {
            try fm.createDirectory(at: stage.appendingPathComponent(OutputLayout.slices),
                                   withIntermediateDirectories: true)
        } catch {
            throw PipelineError.outputNotWritable(path: layout.folder.path, reason: Self.reason(error))
        }
        staged = OutputLayout(folder: stage)
    }

    /// Moves every staged item to its final name, replacing what was there.
    func commit() throws {
        let fm = FileManager.default
        // Metrics last: its presence marks a complete design.
        let staged = ((try? fm.contentsOfDirectory(atPath: self.staged.folder.path)) ?? []).sorted()
        let items = staged.filter { $0 != OutputLayout.metrics } + [OutputLayout.metrics]
        for name in items {
            let from = self.staged.folder.appendingPathComponent(name)
            let to = final.folder.appendingPathComponent(name)
            guard fm.fileExists(atPath: from.path) else { continue }
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: to.path, isDirectory: &isFolder), isFolder.boolValue {
                let old = final.folder.appendingPathComponent(".old-\(name)-\(getpid())")
                guard rename(to.path, old.path) == 0, rename(from.path, to.path) == 0 else {
                    throw PipelineError.outputNotWritable(path: to.path, reason: String(cString: strerror(errno)))
                }
                try? fm.removeItem(at: old)
            } else if rename(from.path, to.path) != 0 {
                throw PipelineError.outputNotWritable(path: to.path, reason: String(cString: strerror(errno)))
            }
        }
        try? fm.removeItem(at: self.staged.folder)
    }

    func discard() {
        try? FileManager.default.removeItem(at: staged.folder)
    }

    /// Removes staging folders left by runs that were killed (their process is gone).
    private static func removeAbandonedStages(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".partial-") || name.hasPrefix(".old-") {
            guard let pid = Int32(name.split(separator: "-").last ?? ""), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
