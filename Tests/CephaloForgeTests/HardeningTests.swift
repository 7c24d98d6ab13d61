import CephaloForge
import Foundation
import Testing

/// Hostile and careless input: every case ends in a one-line error or the right result,
/// in bounded memory and time, with no file lost.
@Suite("Hostile input", .serialized)
struct HardeningTests {
    /// A one-line error on stderr and a non-zero exit.
    static func expectOneLineError(_ r: CLIRunner.Outcome, containing text: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 0, "exit 0: \(r.stdout)", sourceLocation: sourceLocation)
        // One error line (argument errors add the usage hint below it, as everywhere).
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("Error") }
        let others = r.stderr.split(separator: "\n").filter {
            !$0.hasPrefix("error") && !$0.hasPrefix("Error") && !$0.hasPrefix("warning:") && !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See ")
        }
        #expect(lines.count == 1 && others.isEmpty && r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains("Backtrace") && !r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = TestSupport.temporaryFolder().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A PNG whose header declares `width` × `height` 8-bit grey pixels, with a tiny IDAT.
    static func declaredPNG(width: UInt32, height: UInt32) -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            let length = UInt32(body.count)
            return [UInt8(length >> 24), UInt8(length >> 16 & 255), UInt8(length >> 8 & 255), UInt8(length & 255)]
                + typed + bigEndian(crc32(typed))
        }
        func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let header = bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]  // zlib of one 0 byte
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", []))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("1: a tiny PNG declaring 100000 × 100000 pixels is refused from its header, in little memory")
    func decompressionBomb() throws {
        let bomb = TestSupport.temporaryFolder().appendingPathComponent("bomb.png")
        try Self.declaredPNG(width: 100_000, height: 100_000).write(to: bomb)
        #expect(try Data(contentsOf: bomb).count < 100)
        let run = try MeasuredRun.run(["generate", "40% solid", "--image", bomb.path, "--size", "32",
                                       "--out", TestSupport.temporaryFolder().appendingPathComponent("out").path])
        #expect(run.status == 1 && run.stderr.contains("more than the 64 megapixels"), "\(run.stderr)")
        run.expectPeak(below: 200)
    }

    @Test("5: sizes whose sample count overflows are a one-line error")
    func hugeSizes() throws {
        let cli = CLIRunner()
        Self.expectOneLineError(try cli.run(["generate", "--size", "2097152", "--out", TestSupport.temporaryFolder().path + "/a"]),
                                containing: "at most 65536 samples per axis")
        let recipe = try Self.write(#"{"size": [2147483648, 2147483648, 8]}"#, "huge.json")
        Self.expectOneLineError(try cli.run(["generate", "--recipe", recipe.path, "--out", TestSupport.temporaryFolder().path + "/b"]),
                                containing: "needs 1 to 65536 samples per axis")
    }

    @Test("6, 18: YAML or JSON nested 5000 deep, and keys given twice, are refused before decoding")
    func nestingAndDuplicates() throws {
        let cli = CLIRunner()
        let flow = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let block = (1...5000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        let compact = String(repeating: "- ", count: 5000) + "1\n"
        for (i, value) in [" " + flow + "\n", "\n" + block, " " + compact].enumerated() {
            let recipe = try Self.write("solid_fraction: 0.3\nblend:" + value, "deep\(i).yaml")
            Self.expectOneLineError(try cli.run(["describe", "--recipe", recipe.path]), containing: "deep")
            let sweep = try Self.write("base: { prompt: foam }\ngrid:" + value, "deep\(i)-sweep.yaml")
            Self.expectOneLineError(try cli.run(["batch", sweep.path, "--out", TestSupport.temporaryFolder().path]),
                                    containing: "deep")
        }
        let broken = try Self.write("base: { prompt: foam }\nextra: a: b: c\n", "broken.yaml")
        Self.expectOneLineError(try cli.run(["batch", broken.path, "--out", TestSupport.temporaryFolder().path]),
                                containing: "mapping values are not allowed")
        let deepJSON = try Self.write(#"{"blend": "# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}",
                                      "deep.json")
        Self.expectOneLineError(try cli.run(["describe", "--recipe", deepJSON.path]), containing: "deep")
        let twiceJSON = try Self.write(#"{"solid_fraction": 0.3, "seed": 1, "solid_fraction": 0.6}"#, "twice.json")
        Self.expectOneLineError(try cli.run(["describe", "--recipe", twiceJSON.path]), containing: "'solid_fraction' appears twice")
        let escaped = try Self.write(#"{"seed": 1, "se\u0065d": 2}"#, "escaped.json")
        Self.expectOneLineError(try cli.run(["describe", "--recipe", escaped.path]), containing: "'seed' appears twice")
        let twiceYAML = try Self.write("solid_fraction: 0.3\nseed: 4\nsolid_fraction: 0.6\n", "twice.yaml")
        Self.expectOneLineError(try cli.run(["describe", "--recipe", twiceYAML.path]), containing: "'solid_fraction' appears twice")
        let sweepTwice = try Self.write("base: { prompt: foam }\nseeds: [1]\nseeds: [2]\n", "twice-sweep.yaml")
        Self.expectOneLineError(try cli.run(["batch", sweepTwice.path, "--out", TestSupport.temporaryFolder().path]),
                                containing: "'seeds' appears twice")
        // Values that merely look alike are fine: a list of negative numbers, quoted dashes.
        let fine = try Self.write("rotation_deg: [-10, -20, -30]\nname: \"- - - -\"\nsolid_fraction: 0.3\n", "fine.yaml")
        #expect(try cli.run(["describe", "--recipe", fine.path]).status == 0)
    }

    @Test("7: an empty or folder image path in a recipe, and a sweep of 10¹¹ samples, are one-line errors")
    func badPathsAndCounts() throws {
        let cli = CLIRunner()
        let folder = TestSupport.temporaryFolder()
        for (name, path) in [("empty", ""), ("folder", folder.path)] {
            let recipe = try Self.write(#"{"image": {"path": "\#(path)"}, "size": 32}"#, "\(name).json")
            Self.expectOneLineError(try cli.run(["generate", "--recipe", recipe.path, "--out", folder.path + "/\(name)"]),
                                    containing: "cannot read image")
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/\(name)"))
        }
        let sweep = try Self.write("base: { prompt: foam }\nrandom: { wavelength_mm: [1, 2] }\nsamples: 100000000000\n", "many.yaml")
        Self.expectOneLineError(try cli.run(["batch", sweep.path, "--out", folder.path + "/batch"]), containing: "samples must lie")
        let values = (0..<1001).map { String(format: "%.4f", 0.2 + 0.0001 * Double($0)) }.joined(separator: ", ")
        let grid = try Self.write("base: { prompt: foam }\ngrid: { solid_fraction: [\(values)], bandwidth: [\(values)] }\n", "grid.yaml")
        Self.expectOneLineError(try cli.run(["batch", grid.path, "--out", folder.path + "/batch2"]), containing: "more than 1000000 variants")
    }

    @Test("8: render refuses meshes with non-finite or absurd coordinates")
    func badCoordinates() throws {
        let cli = CLIRunner()
        for (name, value) in [("nan", Float.nan), ("infinite", Float.infinity), ("huge", 3e38)] {
            var data = Data(count: 80)
            var count = UInt32(4).littleEndian
            data.append(Data(bytes: &count, count: 4))
            for t in 0..<4 {
                var floats: [Float] = [0, 0, 1] + [0, 0, 0, 1, 0, 0, 0, 1, 0]
                if t == 2 { floats[4] = value }
                for var f in floats { data.append(Data(bytes: &f, count: 4)) }
                data.append(contentsOf: [0, 0])
            }
            let file = TestSupport.temporaryFolder().appendingPathComponent("\(name).stl")
            try data.write(to: file)
            Self.expectOneLineError(try cli.run(["render", file.path]), containing: "vertex")
        }
    }

    @Test("9: a long thin grid finishes, and its local thickness is the definition's")
    func longThinGrid() throws {
        let cli = CLIRunner()
        let recipe = try Self.write(#"{"size": [8, 8, 3000], "wavelength_mm": 2.5, "extent_mm": 10}"#, "thin.json")
        let out = TestSupport.temporaryFolder().appendingPathComponent("thin")
        let r = try cli.run(["generate", "--recipe", recipe.path, "--out", out.path, "--no-images", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        // Pores tens of voxels long, as that design has: the field matches the definition.
        let size = GridSize(nx: 8, ny: 8, nz: 120)
        var bits = [UInt8](repeating: 1, count: size.count)
        for z in 0..<size.nz where z % 57 < 2 {
            for y in 0..<8 { for x in 0..<8 where (x + y + z) % 5 == 0 { bits[x + 8 * (y + 8 * z)] = 0 } }
        }
        let pores = VoxelMask(size: size, bits: bits)
        #expect(LocalThickness.field(of: pores, outsideIsBoundary: false) == MetricsTests.thicknessByDefinition(of: pores, boundary: false))
    }

    @Test("10: a FIFO given as a picture, a recipe or a mesh is refused at once")
    func fifos() throws {
        let folder = TestSupport.temporaryFolder()
        let cli = CLIRunner()
        for name in ["picture.png", "recipe.json", "sweep.yaml", "part.stl"] {
            let fifo = folder.appendingPathComponent(name)
            #expect(mkfifo(fifo.path, 0o644) == 0)
        }
        Self.expectOneLineError(try cli.run(["generate", "--image", folder.path + "/picture.png", "--out", folder.path + "/a"]),
                                containing: "FIFO")
        Self.expectOneLineError(try cli.run(["generate", "--recipe", folder.path + "/recipe.json", "--out", folder.path + "/b"]),
                                containing: "FIFO")
        Self.expectOneLineError(try cli.run(["batch", folder.path + "/sweep.yaml", "--out", folder.path + "/c"]), containing: "FIFO")
        Self.expectOneLineError(try cli.run(["render", folder.path + "/part.stl"]), containing: "FIFO")
    }

    @Test("11: --out may not be empty, the current folder, a parent of it, or a folder of other files")
    func outputFolders() throws {
        var cli = CLIRunner()
        let work = TestSupport.temporaryFolder().appendingPathComponent("work/inner")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "mine".write(to: work.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        cli.workingDirectory = work
        Self.expectOneLineError(try cli.run(["generate", "--size", "32", "--out", ""]), containing: "--out is empty")
        Self.expectOneLineError(try cli.run(["generate", "--size", "32", "--out", "."]), containing: "current folder")
        Self.expectOneLineError(try cli.run(["generate", "--size", "32", "--out", ".."]), containing: "current folder")
        let documents = work.deletingLastPathComponent().appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try "thesis".write(to: documents.appendingPathComponent("thesis.tex"), atomically: true, encoding: .utf8)
        Self.expectOneLineError(try cli.run(["generate", "--size", "32", "--out", documents.path]), containing: "not a CephaloForge design")
        #expect(try String(contentsOf: work.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        #expect(try String(contentsOf: documents.appendingPathComponent("thesis.tex"), encoding: .utf8) == "thesis")
    }

    @Test("12, 13: a design folder is replaced whole; a kill at any moment leaves the old design or the new one")
    func wholeFolderSwaps() throws {
        let cli = CLIRunner()
        let out = TestSupport.temporaryFolder().appendingPathComponent("design")
        var r = try cli.run(["generate", "foam", "--size", "40", "--seed", "1", "--out", out.path, "--format", "stl,3mf",
                             "--no-images", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.3mf").path))
        // A run that does not write model.3mf leaves none of the old one behind…
        r = try cli.run(["generate", "foam", "--size", "40", "--seed", "2", "--out", out.path, "--no-images", "--quiet"])
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("model.3mf").path))
        // …unless asked to keep other files.
        try "kept".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        r = try cli.run(["generate", "foam", "--size", "40", "--seed", "2", "--out", out.path, "--no-images", "--quiet",
                         "--keep-other-files"])
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "kept")

        // Kill runs at moments spread over a whole run, the end (the swap) included.
        let started = Date()
        r = try cli.run(["generate", "foam", "--size", "40", "--seed", "3", "--out", out.path, "--no-images", "--quiet"])
        let duration = Date().timeIntervalSince(started)
        for k in 1...12 {
            let seed = 10 + k
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = ["generate", "foam", "--size", "40", "--seed", "\(seed)", "--out", out.path, "--no-images", "--quiet"]
            process.environment = ProcessInfo.processInfo.environment.merging(["CEPHALO_FORGE_CACHE": cli.cache.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * Double(k) / 10)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // The folder is one complete design: its recipe, metrics, mesh and slices agree.
            let recipe = try RecipeFile.decode(out.appendingPathComponent("recipe.json"))
            let metrics = try JSONDecoder().decode(DesignMetrics.self, from: Data(contentsOf: out.appendingPathComponent("metrics.json")))
            let slices = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("slices").path)
            #expect(slices.count == 40)
            let stl = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("model.stl").path)[.size] as? Int
            #expect(stl == 84 + 50 * metrics.triangles, "kill \(k): the mesh is not the metrics' (seed \(recipe.seed))")
            let text = try PNGCodec.textChunks(out.appendingPathComponent("slices/z0000.png"))["recipe"] ?? ""
            #expect(text.contains("\"seed\" : \(recipe.seed)"), "kill \(k): slices from another run than recipe.json")
        }
        // The next run clears what the killed ones left beside the folder.
        r = try cli.run(["generate", "foam", "--size", "40", "--out", out.path, "--no-images", "--quiet"])
        #expect(r.status == 0)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(siblings.filter { $0.hasPrefix(".design.") }.isEmpty, "\(siblings)")
    }

    @Test("19: small messages: island shares, elongated pictures, 1e308 mm, failed runs leave no folder")
    func smallMessages() throws {
        let cli = CLIRunner()
        let folder = TestSupport.temporaryFolder()
        Self.expectOneLineError(try cli.run(["generate", "foam, 1e308 mm cube", "--out", folder.path + "/a"]),
                                containing: "extent_mm")
        var wide = RGBImage(width: 20_000, height: 32)
        for x in stride(from: 0, to: 20_000, by: 7) { wide.fill(x: x, y: 0, width: 3, height: 32, color: SIMD3(0, 0, 0)) }
        let picture = folder.appendingPathComponent("wide.png")
        try PNGCodec.write(wide, to: picture)
        Self.expectOneLineError(try cli.run(["generate", "--image", picture.path, "--out", folder.path + "/b"]),
                                containing: "crop it")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/b"))
        let r = try cli.run(["generate", "blob, 0.1% solid", "--size", "32", "--out", folder.path + "/c", "--no-images", "--quiet"])
        if let line = r.stderr.split(separator: "\n").first(where: { $0.contains("islands (") }),
           let share = line.split(separator: "(").last?.split(separator: "%").first.flatMap({ Double($0) }) {
            #expect(share <= 100, "\(line)")
        }
    }
}
