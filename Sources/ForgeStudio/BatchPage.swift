import CephaloForge
import Foundation

/// A batch as the batch page shows it: the manifest as a table (a row per variant, a
/// column per swept parameter and measurement), the contact sheet and the maps.
enum BatchPage {
    static let manifest = "manifest.json"
    static let pictures = ["contact_sheet.png", "diversity.png", "property_map.png"]

    struct Table {
        var columns: [String]
        var rows: [(id: String, status: String, cells: [String], sortKeys: [String])]
    }

    /// The manifest's variants: id, status and seed, the swept parameters, then every other
    /// number, flag or word a row carries (measurements, properties one level down).
    static func table(in folder: URL) -> Table? {
        guard let data = try? InputFile.read(folder.appendingPathComponent(manifest), maximumBytes: 64 << 20),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let variants = object["variants"] as? [[String: Any]] else { return nil }
        let parameters = (object["parameters"] as? [String]) ?? []
        let skipped: Set<String> = ["id", "index", "status", "seed", "parameters", "folder", "files", "error"]
        var measured: [String] = []
        var flattened: [[String: Any]] = []
        for variant in variants {
            var flat: [String: Any] = [:]
            for (key, value) in variant where !skipped.contains(key) {
                if let nested = value as? [String: Any] {
                    for (inner, v) in nested where v is NSNumber || v is String { flat[key + "." + inner] = v }
                } else if value is NSNumber || value is String {
                    flat[key] = value
                }
            }
            for key in flat.keys where !measured.contains(key) { measured.append(key) }
            flattened.append(flat)
        }
        measured.sort()
        let columns = ["variant", "status", "seed"] + parameters + measured
        var rows: [(id: String, status: String, cells: [String], sortKeys: [String])] = []
        for (variant, flat) in zip(variants, flattened) {
            let id = (variant["id"] as? String) ?? "?"
            let status = (variant["status"] as? String) ?? "?"
            let values = (variant["parameters"] as? [String: Any]) ?? [:]
            var raw: [Any?] = [id, status, variant["seed"]]
            raw += parameters.map { values[$0] }
            raw += measured.map { flat[$0] }
            let cells = raw.map(text)
            let keys = raw.map(sortKey)
            rows.append((id, status, cells, keys))
        }
        return Table(columns: columns, rows: rows)
    }

    private static func text(_ value: Any?) -> String {
        switch value {
        case let number as NSNumber:
            if JSONValue.isFlag(number) { return number.boolValue ? "yes" : "no" }
            return String(format: "%.4g", number.doubleValue)
        case let text as String: return text
        default: return ""
        }
    }

    /// What the table sorts by: numbers as numbers (the page compares them as such).
    private static func sortKey(_ value: Any?) -> String {
        if let number = value as? NSNumber, !JSONValue.isFlag(number) { return String(number.doubleValue) }
        return text(value)
    }
}
