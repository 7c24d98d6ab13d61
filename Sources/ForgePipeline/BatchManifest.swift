import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// One row of a batch manifest.
public struct ManifestRow: Codable, Sendable, Equatable {
    /// `missing`: listed as done by a shard, but its folder is gone (merge only).
    public enum Status: String, Codable, Sendable { case done, failed, pending, missing }

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
    /// The intrusion porosimetry's median sphere (mm) and the MIL fabric's degree of anisotropy.
    public var intrusionMedianMM: Double?
    public var fabricAnisotropy: Double?
    /// What the variant does: Young's and shear moduli, permeability, tortuosity.
    public var properties: PropertyMeasures?
    public var triangles: Int?
    public var watertight: Bool?
    public var printable: Bool?
    public var seconds: Double?

    enum CodingKeys: String, CodingKey {
        case id, index, status, seed, parameters, folder, files, error, triangles, watertight, printable, seconds
        case solidFraction = "measured_solid_fraction"
        case characteristicLengthMM = "measured_characteristic_length_mm"
        case anisotropyRatio = "measured_anisotropy_ratio"
        case intrusionMedianMM = "measured_intrusion_median_mm"
        case fabricAnisotropy = "measured_fabric_anisotropy"
        case properties = "measured_properties"
    }

    /// The property columns: E/E_s and E (GPa) along each axis, the stiffness anisotropy
    /// E_max/E_min, permeability (m²) and tortuosity along each axis.
    static let propertyColumns = ["relative_youngs_modulus", "youngs_modulus_gpa"].flatMap { q in ["x", "y", "z"].map { "measured_\(q)_\($0)" } }
        + ["measured_stiffness_anisotropy"]
        + ["permeability_m2", "tortuosity_factor"].flatMap { q in ["x", "y", "z"].map { "measured_\(q)_\($0)" } }

    /// The values of `propertyColumns` (nil where not computed or infinite).
    var propertyValues: [Double?] {
        guard let p = properties else { return Array(repeating: nil, count: Self.propertyColumns.count) }
        let k: [Double?] = p.permeabilityM2 ?? [nil, nil, nil]
        let tau: [Double?] = p.tortuosityFactor ?? [nil, nil, nil]
        return p.relativeYoungsModulus + p.youngsModulusGPa + [p.value(of: PropertyTarget(.stiffnessAnisotropy))] + k + tau
    }

    /// The fixed CSV columns (parameters go between `seed` and `folder`).
    static let leadingColumns = ["id", "index", "status", "seed"]
    static let trailingColumns = ["folder", "measured_solid_fraction", "measured_characteristic_length_mm",
                                  "measured_anisotropy_ratio", "measured_intrusion_median_mm",
                                  "measured_fabric_anisotropy"] + propertyColumns + ["triangles",
                                  "watertight", "printable", "seconds", "files", "error"]
}

/// manifest.json and manifest.csv of a batch folder: one row per variant, written whole
/// (atomically) when the batch starts and when it ends, so a reader never sees a truncated
/// manifest; while it runs, each finished variant appends one line to manifest.journal.
public struct BatchManifest: Codable, Sendable {
    public var sweep: String
    /// A hash of the sweep's content (the file's settings and its base recipe): shards of
    /// one sweep share it, so they can be merged and others refused.
    public var sweepHash: String?
    public var shard: String?
    public var parameters: [String]
    public var variants: [ManifestRow]

    public static let jsonName = "manifest.json"
    public static let csvName = "manifest.csv"
    public static let journalName = "manifest.journal"

    enum CodingKeys: String, CodingKey {
        case sweep, shard, parameters, variants
        case sweepHash = "sweep_hash"
    }

    public init(sweep: String, sweepHash: String? = nil, shard: String?, parameters: [String], variants: [ManifestRow]) {
        self.sweep = sweep
        self.sweepHash = sweepHash
        self.shard = shard
        self.parameters = parameters
        self.variants = variants
    }

    public func write(into folder: URL) throws {
        try JSONFile.write(self, to: folder.appendingPathComponent(Self.jsonName))
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent(Self.csvName))
    }

    /// Reads manifest.json, with the rows a journal left by an interrupted batch adds.
    public static func read(_ folder: URL) throws -> BatchManifest {
        let url = folder.appendingPathComponent(jsonName)
        var manifest: BatchManifest
        do {
            manifest = try JSONDecoder().decode(BatchManifest.self, from: InputFile.read(url, maximumBytes: 1 << 30))
        } catch {
            throw FormatError.cannotRead(path: url.path, reason: "not a batch manifest (\(error))")
        }
        let journal = folder.appendingPathComponent(journalName)
        if let data = try? InputFile.read(journal, maximumBytes: 1 << 30) {
            var rows = Dictionary(manifest.variants.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let row = try? JSONDecoder().decode(ManifestRow.self, from: Data(line)) { rows[row.id] = row }
            }
            manifest.variants = rows.values.sorted { ($0.index, $0.id) < ($1.index, $1.id) }
        }
        return manifest
    }

    /// Appends `row` as one JSON line to the journal (a constant cost per variant).
    static func append(_ row: ManifestRow, toJournalIn folder: URL) throws {
        let url = folder.appendingPathComponent(journalName)
        var line = try JSONEncoder().encode(row)
        line.append(UInt8(ascii: "\n"))
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw FormatError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
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
                       number(r.intrusionMedianMM), number(r.fabricAnisotropy)]
            fields += r.propertyValues.map { number($0.flatMap { $0.isFinite ? $0 : nil }) }
            fields += [r.triangles.map(String.init) ?? "", r.watertight.map { $0 ? "true" : "false" } ?? "",
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
