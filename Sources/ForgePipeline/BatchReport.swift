import ForgeCephalo
import ForgeCore
import ForgeFormats
import Foundation

/// DIR/report.html of a batch: the property map, the contact sheet and the diversity map,
/// then one row per variant (its parameters and what it measures), each linking its own report.
enum BatchReport {
    static func write(_ manifest: BatchManifest, into folder: URL) throws {
        let exists = { (name: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
        var body = "<h1>\(ReportPage.escape("\(manifest.variants.count) variants of \(manifest.sweep)"))</h1>\n"
        let done = manifest.variants.filter { $0.status == .done }.count
        body += "<p class=\"scope\">\(done) finished; manifest.csv and manifest.json hold every number below.</p>\n"
        let figures: [(String, String)] = [
            (BatchSummaries.propertyMap, "Relative stiffness E/E_s against relative density on log–log axes: a disc at each "
                + "variant’s stiffest axis, a ring at its softest, coloured by E_max/E_min; lines E/E_s = φ and φ²."),
            (BatchSummaries.contactSheet, "Every variant"),
            (BatchSummaries.diversityImage, "Principal components of the two-point statistics"),
        ].filter { exists($0.0) }
        if !figures.isEmpty {
            body += "<div class=\"grid\">" + figures.map { name, caption in
                "<figure><a href=\"\(ReportPage.href(name))\"><img src=\"\(ReportPage.href(name))\" alt=\"\(name)\"></a>"
                    + "<figcaption>\(ReportPage.escape(caption))</figcaption></figure>"
            }.joined() + "</div>\n"
        }
        func number(_ v: Double?) -> String { v.map { $0.isFinite ? PropertyTarget.number($0) : "∞" } ?? "–" }
        let headers = ["variant"] + manifest.parameters + ["solid", "E_x/E_s", "E_y/E_s", "E_z/E_s", "E_max/E_min", "k_z m²", "printable"]
        body += "<h2>Variants</h2>\n<table class=\"variants\"><tr>" + headers.map { "<th>\(ReportPage.escape($0))</th>" }.joined() + "</tr>"
        for row in manifest.variants {
            let p = row.properties
            let report = row.folder + "/" + ReportPage.fileName
            let name = exists(report) ? "<a href=\"\(ReportPage.href(report))\">\(ReportPage.escape(row.id))</a>" : ReportPage.escape(row.id)
            var cells = [name] + manifest.parameters.map { ReportPage.escape(row.parameters[$0]?.description ?? "") }
            cells += [number(row.solidFraction)] + (0..<3).map { number(p?.relativeYoungsModulus[$0]) }
            cells += [number(p?.value(of: PropertyTarget(.stiffnessAnisotropy))), number(p?.permeabilityM2?[2])]
            cells.append(row.status == .done ? (row.printable == true ? "yes" : "no") : row.status.rawValue)
            body += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        body += "</table>\n"
        try AtomicFile.write(Data(ReportPage.document(title: manifest.sweep, body: body).utf8),
                             to: folder.appendingPathComponent(ReportPage.fileName))
    }
}
