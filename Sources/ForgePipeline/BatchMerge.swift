import Foundation

/// Combines the outputs of shards (or any batch folders) into one manifest, contact sheet
/// and diversity map. Variant folders stay where they are; the merged manifest points at
/// them with paths relative to the merged folder.
public enum BatchMerge {
    public static func merge(_ folders: [URL], into out: URL) throws -> (manifest: BatchManifest, notes: [String]) {
        guard !folders.isEmpty else { throw PipelineError.notADesign(path: "", reason: "no batch folders given") }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var byID: [String: ManifestRow] = [:], parameters: [String] = [], notes: [String] = []
        var sweep: String?, hash: (value: String, folder: URL)?
        for folder in folders {
            let manifest = try BatchManifest.read(folder)
            if let theirs = manifest.sweepHash {
                if let hash, hash.value != theirs {
                    throw PipelineError.notADesign(path: folder.path, reason: "it holds shards of another sweep than \(hash.folder.path) "
                                                   + "(sweep hash \(theirs), not \(hash.value)); merge shards of one sweep")
                }
                hash = hash ?? (theirs, folder)
            } else {
                notes.append("\(folder.path) has no sweep hash (an older batch); it cannot be checked to be of the same sweep")
            }
            sweep = sweep ?? manifest.sweep
            for name in manifest.parameters where !parameters.contains(name) { parameters.append(name) }
            for var row in manifest.variants {
                let design = folder.appendingPathComponent(row.folder)
                if row.status == .done, !FileManager.default.fileExists(atPath: design.appendingPathComponent(OutputLayout.metrics).path) {
                    row.status = .missing
                    notes.append("\(row.id) is listed as done in \(folder.path) but \(design.path) is gone; listed as missing")
                }
                row.folder = relativePath(from: out, to: design)
                if let existing = byID[row.id] {
                    if existing.status != .done && row.status == .done { byID[row.id] = row }
                    if existing.status == .done && row.status == .done {
                        notes.append("\(row.id) is complete in more than one folder; the first is used")
                    }
                } else {
                    byID[row.id] = row
                }
            }
        }
        let manifest = BatchManifest(sweep: sweep ?? "sweep", sweepHash: hash?.value, shard: nil, parameters: parameters,
                                     variants: byID.values.sorted { ($0.index, $0.id) < ($1.index, $1.id) })
        try manifest.write(into: out)
        notes += try BatchSummaries.write(manifest, into: out)
        return (manifest, notes)
    }

    /// A relative path from folder `base` to `target` (both made absolute and standardised).
    static func relativePath(from base: URL, to target: URL) -> String {
        let a = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let b = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(a.count, b.count) && a[common] == b[common] { common += 1 }
        let ups = Array(repeating: "..", count: a.count - common)
        let path = (ups + b[common...]).joined(separator: "/")
        return path.isEmpty ? "." : path
    }
}
