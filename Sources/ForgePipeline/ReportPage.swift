import ForgeCore
import ForgeFormats
import ForgeRender
import Foundation

/// `report.html`: one self-contained page per design folder (inline style, no script,
/// relative links only) that reads on a phone and a desktop.
public enum ReportPage {
    public static let fileName = "report.html"

    /// One round of an iteration, shown side by side with the others.
    public struct Round: Sendable {
        public var label: String
        /// Image path relative to the report.
        public var image: String?
        /// The round's own report, relative to this one.
        public var link: String?
        public var score: Double?
        public var summary: String
        public var issues: [String]
        public var isBest: Bool
        /// How the round's recipe differs from the round before.
        public var changes: [String] = []
        /// The measured distance to the target, in words.
        public var measured: String?

        public init(label: String, image: String?, link: String? = nil, score: Double?, summary: String, issues: [String],
                    isBest: Bool) {
            self.label = label
            self.image = image
            self.link = link
            self.score = score
            self.summary = summary
            self.issues = issues
            self.isBest = isBest
        }
    }

    /// What a report about an iteration adds: its target, why it stopped and why the best
    /// round is best.
    public struct IterationNotes: Sendable {
        public var target: String
        /// The target's solid fraction (when it names one), shown as the metrics' target.
        public var targetSolidFraction: Double?
        public var lines: [(String, String)]
    }

    /// Writes the report of the design in `folder` (its files as they are now, plus the
    /// report itself).
    /// `assetPrefix` is where the design's montage and plots lie relative to `folder` (for
    /// a report about a design in a subfolder, like an iteration's best round).
    public static func write(into folder: URL, recipe: Recipe, metrics: DesignMetrics, renders: [String],
                             rounds: [Round] = [], assetPrefix: String = "", heading: String? = nil,
                             iteration: IterationNotes? = nil) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") }
        let files = Array(Set(names + [fileName] + (assetPrefix.isEmpty ? [OutputLayout.metrics] : []))).sorted()
        let page = html(recipe: recipe, metrics: metrics, renders: renders, files: files, folder: folder, rounds: rounds,
                        assetPrefix: assetPrefix, heading: heading, iteration: iteration)
        try AtomicFile.write(Data(page.utf8), to: folder.appendingPathComponent(fileName))
    }

    static func html(recipe: Recipe, metrics m: DesignMetrics, renders: [String], files: [String], folder: URL,
                     rounds: [Round], assetPrefix: String = "", heading: String? = nil,
                     iteration: IterationNotes? = nil) -> String {
        let title = heading ?? recipe.name ?? recipe.prompt ?? "CephaloForge design"
        let exists = { (path: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) }
        let verdict = m.printability
        var body = "<h1>\(escape(title))</h1>\n"
        if let iteration {
            body += "<table class=\"iteration\">" + iteration.lines.map {
                "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>"
            }.joined() + "</table>\n"
        } else if let prompt = recipe.prompt {
            body += "<p class=\"prompt\">“\(escape(prompt))”</p>\n"
        }
        if let warnings = m.warnings, !warnings.isEmpty {
            body += "<div class=\"warnings\"><p>Warnings</p><ul>"
                + warnings.map { "<li><code>\(escape($0.code))</code> (\(escape($0.stage))): \(escape($0.message))</li>" }.joined()
                + "</ul></div>\n"
        }
        body += verdict.printable
            ? "<p class=\"verdict ok\">Printable</p>\n"
            : "<div class=\"verdict bad\"><p>Not printable</p><ul>" + verdict.reasons.map { "<li>\(escape($0))</li>" }.joined() + "</ul></div>\n"
        body += "<p class=\"scope\">\(escape(verdict.scope.prefix(1).uppercased() + verdict.scope.dropFirst()))</p>\n"
        if verdict.printable && !verdict.reasons.isEmpty {
            body += "<ul>" + verdict.reasons.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        }
        if !rounds.isEmpty { body += roundsSection(rounds) }
        let pictures = renders + [assetPrefix + DesignImages.montage, assetPrefix + DesignImages.imageInput].filter(exists)
        if !pictures.isEmpty {
            body += "<h2>Views</h2>\n<div class=\"grid\">"
                + pictures.map { "<figure><a href=\"\(href($0))\"><img src=\"\(href($0))\" alt=\"\(escape($0))\"></a><figcaption>\(escape($0))</figcaption></figure>" }.joined()
                + "</div>\n"
        }
        let plots = [DesignImages.twoPointPlot, DesignImages.imageTwoPointPlot, DesignImages.thicknessPlot, DesignImages.layersPlot]
            .map { assetPrefix + $0 }.filter(exists)
        if !plots.isEmpty {
            body += "<h2>Plots</h2>\n<div class=\"grid\">"
                + plots.map { "<figure><img src=\"\(href($0))\" alt=\"\(escape($0))\"></figure>" }.joined() + "</div>\n"
        }
        if let properties = m.properties {
            if !recipe.targets.isEmpty, let measured = properties.measures {
                body += "<h2>Targets</h2>\n<table>" + recipe.targets.map { t in
                    let (text, met) = measured.reading(of: t)
                    return "<tr><th>\(escape(t.label))</th><td>\(escape(text)) — \(met ? "met" : "not met")</td></tr>"
                }.joined() + "</table>\n"
            }
            body += "<h2>Stiffness</h2>\n"
            let surface = assetPrefix + DesignImages.stiffnessSurface
            if exists(surface) {
                body += "<div class=\"grid\"><figure><img src=\"\(href(surface))\" alt=\"directional Young's modulus\">"
                    + "<figcaption>Young’s modulus by direction: the surface E(n)·n, GPa</figcaption></figure></div>\n"
            }
            body += "<table>" + propertyRows(properties).map {
                "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>"
            }.joined() + "</table>\n"
            body += "<h2>Flow and diffusion</h2>\n<table>" + transportRows(properties).map {
                "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>"
            }.joined() + "</table>\n"
        }
        if iteration != nil { body += "<h2>The best round’s design</h2>\n" }
        body += "<h2>Metrics</h2>\n<table>" + metricRows(m, recipe: recipe, targetSolidFraction: iteration.map { $0.targetSolidFraction }).map {
            "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>"
        }.joined() + "</table>\n"
        let recipeText = (try? JSONFile.encode(recipe)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        body += "<h2>Recipe</h2>\n<pre>\(escape(recipeText))</pre>\n"
        body += "<h2>Files</h2>\n<ul class=\"files\">" + files.map { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
            let shown = isFolder.boolValue ? name + "/" : name
            return "<li><a href=\"\(href(shown))\">\(escape(shown))</a></li>"
        }.joined() + "</ul>\n"
        return document(title: title, body: body)
    }

    /// A whole page: `body` under the reports' shared style.
    static func document(title: String, body: String) -> String {
        """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>\(escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; color: #222; line-height: 1.4; }
            h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
            .prompt { font-style: italic; color: #555; margin-top: 0; }
            .verdict { display: inline-block; padding: 0.2rem 0.8rem; border-radius: 0.4rem; font-weight: bold; }
            .verdict p { margin: 0.2rem 0; }
            .ok { background: #e3f4e6; color: #1d6b2d; }
            .warnings { background: #fff6dc; border: 1px solid #e8c65a; border-radius: 0.4rem; padding: 0.3rem 0.8rem; margin-bottom: 0.6rem; }
            .scope { font-size: 0.85rem; color: #555; margin: 0.3rem 0; }
            .warnings p { margin: 0.2rem 0; font-weight: bold; color: #6b4e00; }
            .bad { background: #fbe4e4; color: #8a1c1c; }
            .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1rem; }
            figure { margin: 0; }
            img { max-width: 100%; height: auto; border: 1px solid #ddd; border-radius: 0.3rem; display: block; }
            figcaption { font-size: 0.85rem; color: #666; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; vertical-align: top; }
            th { width: 40%; font-weight: 600; }
            pre { background: #f6f6f8; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
            .round { border: 1px solid #ddd; border-radius: 0.4rem; padding: 0.5rem; }
            .best { border-color: #1d6b2d; box-shadow: 0 0 0 2px #1d6b2d inset; }
            .files { columns: 2; }
            .changes { font-size: 0.9rem; color: #444; }
            .iteration { margin: 0.5rem 0 1rem; }
            @media (max-width: 600px) { .files { columns: 1; } th { width: 50%; } }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    static func roundsSection(_ rounds: [Round]) -> String {
        "<h2>Rounds</h2>\n<div class=\"grid\">" + rounds.map { r in
            let label = escape(r.label) + (r.isBest ? " (best)" : "")
            var cell = "<div class=\"round\(r.isBest ? " best" : "")\"><h3>"
                + (r.link.map { "<a href=\"\(href($0))\">\(label)</a>" } ?? label) + "</h3>"
            if let image = r.image { cell += "<img src=\"\(href(image))\" alt=\"\(escape(r.label))\">" }
            if let score = r.score { cell += "<p><b>Score \(String(format: "%.1f", score)) / 10</b></p>" }
            if let measured = r.measured { cell += "<p>\(escape(measured))</p>" }
            cell += "<p>\(escape(r.summary))</p>"
            if !r.changes.isEmpty {
                cell += "<p class=\"changes\">Changed: " + r.changes.map(escape).joined(separator: "; ") + "</p>"
            }
            if !r.issues.isEmpty { cell += "<ul>" + r.issues.map { "<li>\(escape($0))</li>" }.joined() + "</ul>" }
            return cell + "</div>"
        }.joined() + "</div>\n"
    }

    /// The metrics table. `targetSolidFraction`, when given, replaces the recipe's own
    /// target (an iteration's target; nil inside it when the target names no fraction).
    static func metricRows(_ m: DesignMetrics, recipe: Recipe, targetSolidFraction: Double?? = nil) -> [(String, String)] {
        let s = m.structure
        let kind = m.image.map { "rebuilt from \(URL(fileURLWithPath: $0.source).lastPathComponent)" } ?? recipe.family.rawValue
        var rows: [(String, String)] = [
            ("Structure", "\(kind) \(recipe.mode.rawValue), \(recipe.tiledSize) voxels of \(format(m.voxelSizeMM)) mm"),
            ("Solid fraction", targetSolidFraction.map { t in
                t.map { String(format: "%.4f (target %.4f)", m.solidFraction, $0) } ?? String(format: "%.4f", m.solidFraction)
            } ?? String(format: "%.4f (target %.4f)", m.solidFraction, m.targetSolidFraction)),
            ("Characteristic length", String(format: "%.3g mm", s.twoPoint.characteristicLengthMM)),
            ("Correlation lengths x, y, z", s.twoPoint.correlationLengthsMM.map { format($0) }.joined(separator: ", ") + " mm"),
            ("Anisotropy", String(format: "%.2f", s.twoPoint.anisotropyRatio)),
            ("Bodies, enclosed voids, genus", "\(s.topology.solidComponents), \(s.topology.voidsEnclosed), \(s.topology.genus.map(String.init) ?? "-")"),
        ]
        if let match = m.image {
            let i = match.image, g = match.generated
            rows.append(("Picture: fraction, x–y lengths, aspect", String(format: "%.3f, %@ mm, %.2f at %.0f° (%d × %d px of %.3g mm)",
                i.fraction, i.correlationLengthsMM.map { format($0) }.joined(separator: " × "), i.anisotropyRatio,
                i.anisotropyAngleDeg, i.widthPixels, i.heightPixels, i.pixelMM)))
            rows.append(("Structure's x–y sections, same measures", String(format: "%.3f, %@ mm, %.2f at %.0f°",
                g.fraction, g.correlationLengthsMM.map { format($0) }.joined(separator: " × "), g.anisotropyRatio,
                g.anisotropyAngleDeg)))
        }
        if let t = s.solidThickness {
            rows.append(("Solid thickness (min, 5th pct, mean)", String(format: "%.3g, %.3g, %.3g mm", t.minimumMM, t.percentile5MM, t.meanMM)))
        }
        if let t = s.poreThickness {
            rows.append(("Pore size (min, 5th pct, mean)", String(format: "%.3g, %.3g, %.3g mm", t.minimumMM, t.percentile5MM, t.meanMM)))
        }
        if let p = s.porosimetry {
            rows.append(("Intrusion from outside: median sphere, unreached", String(format: "%.3g mm, %.1f%% of the pores",
                                                                                   p.medianDiameterMM, 100 * p.unreachedFraction)))
        }
        if let c = s.chords {
            let axes = [c.pores.x, c.pores.y] + (c.pores.z.map { [$0] } ?? [])
            rows.append(("Mean pore chord x, y, z", axes.map { format($0.meanMM) }.joined(separator: ", ") + " mm"))
        }
        if let f = s.fabric {
            rows.append(("MIL fabric: degree of anisotropy, principal MILs",
                         String(format: "%.2f; ", f.degreeOfAnisotropy)
                             + f.principalMILMM.map { $0.map { format($0) + " mm" } ?? "∞" }.joined(separator: ", ")))
        }
        if let k = m.minkowski {
            rows.append(("Minkowski: V, S, ∫H dS, χ", String(format: "%.4g mm³, %.4g mm², %.4g mm, %d",
                                                             k.volumeMM3, k.surfaceMM2, k.meanCurvatureMM, k.eulerCharacteristic)))
        }
        if m.triangles > 0 {
            rows.append(("Mesh", "\(m.triangles) triangles, \(m.watertight == true ? "watertight" : "NOT watertight"), \(m.meshShells ?? 0) shell(s)"))
            if let v = m.volumeMM3, let a = m.surfaceAreaMM2 {
                rows.append(("Volume, surface", String(format: "%.2f mm³, %.2f mm²", v, a)))
            }
            if let r = m.meshReduction, let f = r.fidelity {
                rows.append(("Reduced from the full mesh", String(
                    format: "%@ from %d triangles (budget %d%@): volume %+.2f%%, surfaces within %.3g mm (%.2g voxels), same bodies and cavities: %@",
                    r.method.replacingOccurrences(of: "_", with: " "), m.trianglesBeforeDecimation, r.triangleBudget,
                    r.withinBudget ? "" : ", NOT met", 100 * f.volumeChange, f.hausdorff, f.hausdorff / m.voxelSizeMM,
                    f.sameShells ? "yes" : "no")))
            }
        }
        rows.append(("Seed", "\(recipe.seed)"))
        return rows
    }

    /// The elastic properties as table rows.
    static func propertyRows(_ p: DesignProperties) -> [(String, String)] {
        guard let e = p.elastic else { return [("Elastic properties", p.elasticNote ?? "not computed")] }
        func gpa(_ v: Double) -> String { v >= 1 ? String(format: "%.4g GPa", v) : String(format: "%.4g MPa", v * 1000) }
        let ratios = ["xy", "xz", "yx", "yz", "zx", "zy"].map { key in
            (e.poissonRatios[key] ?? nil).map { "\(key) " + String(format: "%.3f", $0) } ?? "\(key) –"
        }
        var rows: [(String, String)] = [
            ("Material", String(format: "%@: E_s %.4g GPa, ν %.3f", e.material.name, e.material.youngsModulusGPa, e.material.poissonRatio)),
            ("Young's modulus E_x, E_y, E_z", e.youngsModulusGPa.values.map(gpa).joined(separator: ", ")),
            ("Relative stiffness E/E_s (x, y, z)", e.relativeYoungsModulus.values.map { String(format: "%.4g", $0) }.joined(separator: ", ")),
            ("Shear modulus G_yz, G_xz, G_xy", [e.shearModulusGPa.yz, e.shearModulusGPa.xz, e.shearModulusGPa.xy].map(gpa).joined(separator: ", ")),
            ("Poisson ratios ν_ij", ratios.joined(separator: ", ")),
            ("Bulk modulus (Voigt, Reuss, Hill)", [e.bulkModulusGPa.voigt, e.bulkModulusGPa.reuss, e.bulkModulusGPa.hill].map(gpa).joined(separator: ", ")),
            ("Shear modulus (Voigt, Reuss, Hill)", [e.shearModulusVRHGPa.voigt, e.shearModulusVRHGPa.reuss, e.shearModulusVRHGPa.hill].map(gpa).joined(separator: ", ")),
            ("Universal anisotropy Aᵁ", e.universalAnisotropy.map { String(format: "%.3f", $0) } ?? "– (soft in some direction)"),
            ("Solve", String(format: "%@ on %d×%d×%d, %@ iterations, residual %.1e; %@", e.mode.rawValue, e.grid[0], e.grid[1], e.grid[2],
                             e.iterations.map(String.init).joined(separator: "/"), e.residual, e.boundaryCondition)),
        ]
        for note in e.notes { rows.append(("Note", note)) }
        return rows
    }

    /// The transport properties as table rows.
    static func transportRows(_ p: DesignProperties) -> [(String, String)] {
        guard let t = p.transport else { return [("Transport properties", p.transportNote ?? "not computed")] }
        func axes(_ v: [Double], _ format: String = "%.4g") -> String {
            zip(["x", "y", "z"], v).map { "\($0) " + String(format: format, $1) }.joined(separator: ", ")
        }
        func optionalAxes(_ v: [Double?]) -> String {
            zip(["x", "y", "z"], v).map { "\($0) " + ($1.map { String(format: "%.4g", $0) } ?? "∞") }.joined(separator: ", ")
        }
        var rows: [(String, String)] = [
            ("Porosity", String(format: "%.4f", t.porosity)),
            ("Permeability, m²", axes(t.permeabilityM2.values, "%.3e")),
            ("Permeability, darcy", axes(t.permeabilityDarcy.values, "%.4g")),
            ("Tortuosity factor τ = ε D₀/D_eff", optionalAxes(t.tortuosityFactor.values)),
            ("Relative conductivity of the pores (D_eff/D₀)", axes(t.relativeConductivityPores.values)),
            ("Formation factor", optionalAxes(t.formationFactor.values)),
            ("Relative conductivity of the solid", axes(t.relativeConductivitySolid.values)),
            ("Solve", String(format: "%@ on %d×%d×%d (voxel %.3g µm); iterations: pores %@, solid %@, Stokes %@; residual %.1e; %@",
                             t.mode.rawValue, t.grid[0], t.grid[1], t.grid[2], t.voxelSizeM * 1e6,
                             t.iterations.conductivityPores.map(String.init).joined(separator: "/"),
                             t.iterations.conductivitySolid.map(String.init).joined(separator: "/"),
                             t.iterations.permeability.map(String.init).joined(separator: "/"), t.residual, t.boundaryCondition)),
        ]
        for note in t.notes { rows.append(("Note", note)) }
        return rows
    }

    static func format(_ v: Double) -> String { String(format: "%.3g", v) }

    static func escape(_ text: String) -> String { text.markupEscaped }

    /// A relative link: each path segment percent-encoded.
    static func href(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? String($0)
        }.joined(separator: "/")
    }
}
