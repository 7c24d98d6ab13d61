import CephaloForge
import Foundation
import Testing

@Suite("Design pictures and report.html")
struct ReportTests {
    static func design(_ prompt: String, size: Int = 32, views: [ViewDirection] = [.iso],
                       coloring: ImageOptions.Coloring = .uniform) throws -> URL {
        var recipe = try LocalDescriber().describe(prompt).recipe
        recipe.size = GridSize(cube: size)
        let folder = TestSupport.temporaryFolder()
        var options = DesignOptions()
        options.images = ImageOptions(views: views, size: 256, coloring: coloring)
        _ = try DesignGenerator.generate(recipe, into: OutputLayout(folder: folder), options: options)
        return folder
    }

    /// Every src and href value of an HTML page.
    static func links(in html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "(?:src|href)=\"([^\"]*)\"")
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
    }

    @Test("the report links only relative paths, and every one exists")
    func linksResolve() throws {
        let folder = try Self.design("spinodal foam, 35% solid, 5 mm cube", views: [.iso, .front])
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        let links = Self.links(in: html).filter { $0 != "data:," }
        #expect(links.count >= 8)
        for link in links {
            #expect(!link.contains("://") && !link.hasPrefix("/"), "absolute link \(link)")
            let path = folder.appendingPathComponent(link.removingPercentEncoding ?? link).path
            #expect(FileManager.default.fileExists(atPath: path), "missing \(link)")
        }
        #expect(html.contains("spinodal foam, 35% solid, 5 mm cube"))
        // The pore metrics and Minkowski functionals of metrics.json are in the report.
        for row in ["Intrusion from outside", "Mean pore chord", "MIL fabric", "Minkowski: V, S, ∫H dS, χ"] {
            #expect(html.contains(row), "no row \(row)")
        }
        for name in ["montage.png", "s2.svg", "thickness.svg", "metrics.json", "model.stl"] { #expect(links.contains(name)) }
        if glAvailable {
            #expect(links.contains("preview.png") && links.contains("preview-front.png"))
            let preview = try PNGCodec.readRGB(folder.appendingPathComponent("preview.png"))
            #expect(preview.width == 256 && preview.height == 256)
        }
    }

    @Test("a graded design gets a per-layer fraction plot; a redraw replaces views and keeps the report whole")
    func gradedAndRedraw() throws {
        let folder = try Self.design("graded foam from 20% to 40% solid along z, 5 mm cube")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("layers.svg").path))
        let design = try DesignFolder(folder)
        let written = try design.redraw(options: ImageOptions(views: [.top, .side], size: 128, coloring: .thickness))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        if glAvailable {
            #expect(written.renders == ["preview.png", "preview-side.png"])
            #expect(names.contains("preview-side.png"))
        }
        #expect(!names.contains("preview-front.png"))
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for link in Self.links(in: html) where link != "data:," {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(link).path), "missing \(link)")
        }
    }

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static func runChromium(_ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--user-data-dir=" + TestSupport.temporaryFolder("chromium-profile").path,
                             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"] + arguments
        // stderr goes to a file, so neither stream can fill a pipe and stall the browser.
        let log = TestSupport.temporaryFolder("chromium-log").appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let err = try FileHandle(forWritingTo: log)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        return (String(decoding: outData, as: UTF8.self), (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    @Test("report.html opens in headless Chromium with every image loaded and no console errors",
          .enabled(if: chromium != nil, "Chromium is not installed (apt-get install chromium)"))
    func chromiumLoadsReport() throws {
        let folder = try Self.design("blob particles, 40% solid, 5 mm cube", views: [.iso, .top])
        let report = folder.appendingPathComponent("report.html")
        let html = try String(contentsOf: report, encoding: .utf8)
        let images = html.components(separatedBy: "<img ").count - 1
        #expect(images >= 4)

        // The page as it is: no console messages, no failed loads.
        let plain = try Self.runChromium(["--dump-dom", report.absoluteString])
        #expect(plain.stdout.contains("<table>"))
        let complaints = plain.stderr.split(separator: "\n").filter {
            $0.contains("CONSOLE") || $0.contains("ERR_FILE_NOT_FOUND") || $0.contains("Failed to load")
        }
        #expect(complaints.isEmpty, "\(complaints)")

        // A copy that reports, once loaded, how many images decoded.
        let probe = html.replacingOccurrences(of: "</body>", with: """
            <script>
            window.addEventListener('load', () => {
              const all = Array.from(document.images);
              const broken = all.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
              document.title = 'IMAGES ' + all.length + ' BROKEN ' + broken.length + ' ' + broken.join(' ');
            });
            </script>
            </body>
            """)
        let probeURL = folder.appendingPathComponent("probe.html")
        try Data(probe.utf8).write(to: probeURL)
        let probed = try Self.runChromium(["--dump-dom", probeURL.absoluteString])
        #expect(probed.stdout.contains("<title>IMAGES \(images) BROKEN 0 </title>"), "\(probed.stdout.prefix(600))")
    }
}

@Suite("cephalo-forge render", .serialized)
struct RenderCommandTests {
    let cli = CLIRunner()

    @Test("render redraws a design folder and renders a bare STL; bad views get a one-line error")
    func renderCommand() throws {
        let out = TestSupport.temporaryFolder().appendingPathComponent("foam")
        var r = try cli.run(["generate", "spinodal foam, 35% solid, 5 mm cube", "--size", "32", "--out", out.path,
                             "--quiet", "--views", "iso,front", "--render-size", "200"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["render", out.path, "--views", "top", "--color", "height", "--render-size", "160"])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.contains("report.html") && names.contains("montage.png"))
        #expect(!names.contains("preview-front.png"))
        if glAvailable {
            #expect(try PNGCodec.readRGB(out.appendingPathComponent("preview.png")).width == 160)
            let images = TestSupport.temporaryFolder()
            r = try cli.run(["render", out.appendingPathComponent("model.stl").path, "--out", images.path, "--views", "front,side"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: images.path)) == ["model.png", "model-side.png"])
        }
        r = try cli.run(["render", out.path, "--views", "iso,diagonal"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("unknown view 'diagonal'"))
        r = try cli.run(["render", TestSupport.temporaryFolder().path])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("not a design folder"))
    }

    @Test("without OpenGL, generate still writes the design, the montage and the report, and says why there is no render")
    func withoutGL() throws {
        var cli = self.cli
        cli.environment["__EGL_VENDOR_LIBRARY_FILENAMES"] = "/nonexistent/vendor.json"
        let out = TestSupport.temporaryFolder().appendingPathComponent("blobs")
        let r = try cli.run(["generate", "blob particles, 40% solid, 5 mm cube", "--size", "32", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: no 3D preview: offscreen OpenGL is not available"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.contains("model.stl") && names.contains("montage.png") && names.contains("report.html"))
        #expect(!names.contains("preview.png"))
    }
}
