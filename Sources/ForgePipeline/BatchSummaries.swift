import ForgeCore
import ForgeFormats
import ForgeRender
import ForgeStatistics
import Foundation

/// The pictures of a batch: a contact sheet of every variant, a PCA map of their two-point
/// statistics and, when their properties were computed, the property map (relative
/// stiffness against relative density); report.html shows them with a table of the variants.
public enum BatchSummaries {
    public static let contactSheet = "contact_sheet.png"
    public static let diversityImage = "diversity.png"
    public static let diversityTable = "diversity.csv"
    public static let propertyMap = "property_map.png"

    /// Writes the contact sheet and (with at least three finished variants) the diversity
    /// map of the manifest's variants into `folder`. Returns notes for the user.
    @discardableResult
    public static func write(_ manifest: BatchManifest, into folder: URL) throws -> [String] {
        let notes = try writePictures(manifest, into: folder)
        try BatchReport.write(manifest, into: folder)
        return notes
    }

    static func writePictures(_ manifest: BatchManifest, into folder: URL) throws -> [String] {
        var notes: [String] = []
        let rows = manifest.variants
        let tiles = rows.map { row -> ContactSheet.Tile in
            let design = folder.appendingPathComponent(row.folder)
            let params = manifest.parameters.map { "\(short($0)) \(row.parameters[$0]?.description ?? "-")" }.joined(separator: " ")
            var lines = [row.id + (row.status == .done ? "" : " (\(row.status.rawValue))"), params, "seed \(row.seed)"]
            if let f = row.solidFraction, let l = row.characteristicLengthMM {
                lines.append(String(format: "solid %.3f  L %.3g mm", f, l))
            }
            return ContactSheet.Tile(image: row.status == .done ? thumbnail(of: design) : nil, lines: lines)
        }
        try PNGCodec.write(ContactSheet.render(tiles, title: "\(rows.count) variants of \(manifest.sweep)"),
                           to: folder.appendingPathComponent(contactSheet))

        let done = rows.filter { $0.status == .done }
        let mapped = done.compactMap { row -> PropertyMap.Point? in
            guard let phi = row.solidFraction, let p = row.properties else { return nil }
            return PropertyMap.Point(density: phi, relativeModuli: p.relativeYoungsModulus, label: row.id)
        }
        if mapped.isEmpty {
            notes.append("no property map: no finished variant has computed properties (--properties off?)")
        } else {
            let map = PropertyMap(title: "Stiffness of \(mapped.count) variants of \(manifest.sweep)").render(mapped)
            try PNGCodec.write(map, to: folder.appendingPathComponent(propertyMap))
        }
        var features: [[Double]] = [], ids: [ManifestRow] = []
        for row in done {
            let metricsURL = folder.appendingPathComponent(row.folder).appendingPathComponent(OutputLayout.metrics)
            guard let data = try? Data(contentsOf: metricsURL),
                  let metrics = try? JSONDecoder().decode(DesignMetrics.self, from: data) else { continue }
            features.append(metrics.structure.twoPoint.s2Radial)
            ids.append(row)
        }
        let length = features.map(\.count).min() ?? 0
        guard features.count >= 3, length >= 2 else {
            notes.append("no diversity map: it needs at least three finished variants")
            return notes
        }
        let pca = try PrincipalComponents(features.map { Array($0.prefix(length)) }, count: 2)
        var csv = "id,pc1,pc2\n"
        for (row, score) in zip(ids, pca.scores) {
            csv += row.id + "," + score.map { String(format: "%.6g", $0) }.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(Data(csv.utf8), to: folder.appendingPathComponent(diversityTable))
        let explained = pca.explainedVarianceRatio.map { $0 * 100 } + [0, 0]
        let groupKey = manifest.parameters.first
        func group(of row: ManifestRow) -> String {
            guard let key = groupKey else { return "" }
            return row.parameters[key]?.description ?? ""
        }
        let groups = Array(Set(ids.map(group))).sorted()
        let plot = ScatterPlot(title: "PCA of S2(r), \(ids.count) variants",
                               xLabel: String(format: "PC1 (%.1f%% of variance)", explained[0]),
                               yLabel: String(format: "PC2 (%.1f%%)", explained[1]))
        var points: [(x: Double, y: Double, label: String, group: Int)] = []
        for (row, score) in zip(ids, pca.scores) {
            let y = score.count > 1 ? score[1] : 0
            points.append((score[0], y, String(row.id.prefix(7)), groups.firstIndex(of: group(of: row)) ?? 0))
        }
        let legend = groupKey.map { key in groups.map { "\(short(key)) \($0)" } } ?? []
        try PNGCodec.write(plot.render(points, legend: legend), to: folder.appendingPathComponent(diversityImage))
        return notes
    }

    /// preview.png, or the middle slice.
    static func thumbnail(of design: URL) -> RGBImage? {
        if let image = try? PNGCodec.readRGB(design.appendingPathComponent("preview.png")) { return image }
        let slices = design.appendingPathComponent(OutputLayout.slices)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: slices.path)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
        guard !names.isEmpty, let gray = try? PNGCodec.read(slices.appendingPathComponent(names[names.count / 2])) else { return nil }
        return RGBImage(gray: gray.pixels.map { UInt8(truncatingIfNeeded: gray.bitDepth == 16 ? $0 >> 8 : $0) },
                        width: gray.width, height: gray.height)
    }

    /// "solid_fraction" → "sf", "wavelength_mm" → "wl"…
    static func short(_ name: String) -> String {
        let known = ["solid_fraction": "sf", "wavelength_mm": "wl", "bandwidth": "bw", "extent_mm": "ext",
                     "min_feature_mm": "minf", "cone_angle_deg": "cone", "printer_resolution_mm": "res"]
        return known[name] ?? name
    }
}
