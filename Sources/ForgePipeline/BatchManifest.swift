import ForgeCore
import ForgeFormats
import Foundation

/// One row of a batch manifest.
public struct ManifestRow: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case done, failed, pending }

    public var id: String
    public var index: Int
    public var status: Status
    public var seed: UInt64
    /// Parameter name → value as set by the sweep (the measured values are `measured_*`).
    public var parameters: [String: ParameterValue]
    /// The variant's design folder, relative to the manifest.
    public var folder: String
    /// Top-level files of the design folder.
    public var files: [String]
    public var error: String?
    public var solidFraction: Double?
    public var characteristicLengthMM: Double?
    public var anisotropyRatio: Double?
    public var triangles: Int?
    public var watertight: Bool?
    public var printable: Bool?
    public var seconds: Double?

    enum CodingKeys: String, CodingKey {
        case id, index, status, seed, parameters, folder, files, error, triangles, watertight, printable, seconds
        case solidFraction = "measured_solid_fraction"
        case characteristicLengthMM = "measured_characteristic_length_mm"
        case anisotropyRatio = "measured_anisotropy_ratio"
    }

    /// The fixed CSV columns (parameters go between `seed` and `folder`).
    static let leadingColumns = ["id", "index", "status", "seed"]
    static let trailingColumns = ["folder", "measured_solid_fraction", "measured_characteristic_length_mm",
                                  "measured_anisotropy_ratio", "triangles",
                                  "watertight", "printable", "seconds", "files", "error"]
}

/// manifest.json and manifest.csv of a batch folder: one row per variant, rewritten whole
/// (atomically) each time a variant finishes, so a reader never sees a truncated manifest.
public struct BatchManifest: Codable, Sendable {
    public var sweep: String
    public var shard: String?
    public var parameters: [String]
    public var variants: [ManifestRow]

    public static let jsonName = "manifest.json"
    public static let csvName = "manifest.csv"

    public func write(into folder: URL) throws {
        try JSONFile.write(self, to: folder.appendingPathComponent(Self.jsonName))
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent(Self.csvName))
    }

    public static func read(_ folder: URL) throws -> BatchManifest {
        let url = folder.appendingPathComponent(jsonName)
        do {
            return try JSONDecoder().decode(BatchManifest.self, from: Data(contentsOf: url))
        } catch {
            throw FormatError.cannotRead(path: url.path, reason: "not a batch manifest (\(error))")
        }
    }

    /// RFC 4180 CSV: a header, then one line per variant.
    public var csv: String {
        let header = ManifestRow.leadingColumns + parameters + ManifestRow.trailingColumns
        var lines = [header.joined(separator: ",")]
        for r in variants {
            func number(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "" }
            var fields = [r.id, String(r.index), r.status.rawValue, String(r.seed)]
            fields += parameters.map { r.parameters[$0]?.description ?? "" }
            fields += [r.folder, number(r.solidFraction), number(r.characteristicLengthMM), number(r.anisotropyRatio),
                       r.triangles.map(String.init) ?? "", r.watertight.map { $0 ? "true" : "false" } ?? "",
                       r.printable.map { $0 ? "true" : "false" } ?? "", number(r.seconds),
                       r.files.joined(separator: ";"), r.error ?? ""]
            lines.append(fields.map(Self.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
