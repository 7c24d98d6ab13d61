import CFileSystem
import Foundation

/// A design is built in a hidden folder beside its final one (`.NAME.partial-PID` in the
/// same parent) and put in place whole when everything succeeded: where a design already
/// stands, the two folders are exchanged in one atomic step (Linux `renameat2` with
/// `RENAME_EXCHANGE`), so a reader — or a kill at any moment — sees the complete old design
/// or the complete new one, never a mix, and no file of the old design stays beside the new
/// one. Where the file system cannot exchange, the old folder is renamed aside
/// (`.NAME.old-PID`) and the new one into place; a run that finds an old folder aside with
/// no design in place (its process gone) puts it back first. On failure the staging folder
/// is removed and the old design is untouched.
struct StagingArea {
    let final: OutputLayout
    let staged: OutputLayout

    init(for layout: OutputLayout) throws {
        try OutputTarget.check(layout.folder)
        final = layout
        let fm = FileManager.default
        let parent = layout.folder.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw PipelineError.outputNotWritable(path: parent.path, reason: Self.reason(error))
        }
        guard fm.isWritableFile(atPath: parent.path) else {
            throw PipelineError.outputNotWritable(path: parent.path, reason: "permission denied")
        }
        Self.recoverAbandoned(for: layout.folder)
        let stage = Self.sibling(of: layout.folder, kind: "partial", pid: getpid())
        try? fm.removeItem(at: stage)
        do {
            try fm.createDirectory(at: stage.appendingPathComponent(OutputLayout.slices), withIntermediateDirectories: true)
        } catch {
            throw PipelineError.outputNotWritable(path: parent.path, reason: Self.reason(error))
        }
        staged = OutputLayout(folder: stage)
    }

    /// Puts the staged design in place. With `keepingOtherFiles`, the old design's top-level
    /// items that this run did not write are linked into the new one first.
    func commit(keepingOtherFiles: Bool = false) throws {
        let fm = FileManager.default
        let target = final.folder.path, stage = staged.folder.path
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: target, isDirectory: &isFolder) else {
            guard rename(stage, target) == 0 else {
                throw PipelineError.outputNotWritable(path: target, reason: String(cString: strerror(errno)))
            }
            return
        }
        if keepingOtherFiles { Self.linkMissingItems(from: final.folder, into: staged.folder) }
        if cf_exchange_paths(stage, target) == 0 {
            try? fm.removeItem(at: staged.folder)  // now the old design
            return
        }
        let aside = Self.sibling(of: final.folder, kind: "old", pid: getpid())
        try? fm.removeItem(at: aside)
        guard rename(target, aside.path) == 0 else {
            throw PipelineError.outputNotWritable(path: target, reason: String(cString: strerror(errno)))
        }
        guard rename(stage, target) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside.path, target)
            throw PipelineError.outputNotWritable(path: target, reason: reason)
        }
        try? fm.removeItem(at: aside)
    }

    func discard() {
        try? FileManager.default.removeItem(at: staged.folder)
    }

    static func sibling(of folder: URL, kind: String, pid: Int32) -> URL {
        folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).\(kind)-\(pid)")
    }

    /// Cleans up after runs that were killed (their process is gone): staging folders are
    /// removed; an old design set aside is put back when no design stands in its place.
    static func recoverAbandoned(for folder: URL) {
        let fm = FileManager.default
        let parent = folder.deletingLastPathComponent(), name = folder.lastPathComponent
        let names = (try? fm.contentsOfDirectory(atPath: parent.path)) ?? []
        for kind in ["old", "partial"] {
            let prefix = ".\(name).\(kind)-"
            for entry in names where entry.hasPrefix(prefix) {
                guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), hasEnded(pid) else { continue }
                let url = parent.appendingPathComponent(entry)
                if kind == "old", !fm.fileExists(atPath: folder.path), rename(url.path, folder.path) == 0 { continue }
                try? fm.removeItem(at: url)
            }
        }
    }

    /// Whether process `pid` has ended: it no longer exists, or it is a zombie that its
    /// parent has not yet collected.
    static func hasEnded(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Hard-links (or copies) the top-level items of `old` that `new` lacks into `new`.
    static func linkMissingItems(from old: URL, into new: URL) {
        let fm = FileManager.default
        let present = Set((try? fm.contentsOfDirectory(atPath: new.path)) ?? [])
        for name in (try? fm.contentsOfDirectory(atPath: old.path)) ?? [] where !present.contains(name) && !name.hasPrefix(".") {
            let from = old.appendingPathComponent(name), to = new.appendingPathComponent(name)
            if (try? fm.linkItem(at: from, to: to)) == nil { try? fm.copyItem(at: from, to: to) }
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}

/// What `--out` may name: a folder that is neither the current folder nor one of its
/// parents, and that is new, empty or a design folder (one with recipe.json or
/// metrics.json) — never a folder of other files, which the new design would replace.
enum OutputTarget {
    static func check(_ folder: URL) throws {
        let path = folder.path
        guard !path.isEmpty, !folder.lastPathComponent.isEmpty, folder.lastPathComponent != "/" else {
            throw PipelineError.badOutputFolder(path: "\"\(path)\"", reason: "it is empty")
        }
        let target = folder.standardizedFileURL.resolvingSymlinksInPath().path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
            .resolvingSymlinksInPath().path
        if target == current || current.hasPrefix(target.hasSuffix("/") ? target : target + "/") || target == "/" {
            throw PipelineError.badOutputFolder(path: path, reason: "it is the current folder or one of its parents, "
                                                + "whose contents a design would replace")
        }
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: target, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw PipelineError.badOutputFolder(path: path, reason: "it is a file, not a folder")
        }
        let entries = ((try? fm.contentsOfDirectory(atPath: target)) ?? []).filter { !$0.hasPrefix(".") }
        guard entries.isEmpty || entries.contains(OutputLayout.recipe) || entries.contains(OutputLayout.metrics) else {
            throw PipelineError.badOutputFolder(path: path, reason: "it holds files that are not a CephaloForge design "
                                                + "(\(entries.sorted().prefix(3).joined(separator: ", "))), which would be replaced")
        }
    }
}

extension OutputLayout {
    /// Removes the staging folders that ended runs (their process gone) left beside this
    /// design folder, and puts back an old design they had set aside.
    public func recoverAbandonedRuns() {
        StagingArea.recoverAbandoned(for: folder)
    }
}

extension OutputLayout {
    /// `recoverAbandonedRuns()` for every design folder whose staging or set-aside folder
    /// stands in `parent` (the variants of a batch, the rounds of an iteration).
    public static func recoverAbandonedRuns(in parent: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var designs = Set<String>()
        for entry in names where entry.hasPrefix(".") {
            for kind in [".partial-", ".old-"] {
                if let range = entry.range(of: kind, options: .backwards) {
                    designs.insert(String(entry[entry.index(after: entry.startIndex)..<range.lowerBound]))
                }
            }
        }
        for name in designs where !name.isEmpty {
            StagingArea.recoverAbandoned(for: parent.appendingPathComponent(name))
        }
    }
}
