import CephaloForge
import Foundation
import Testing

@Suite("Sweeps and batches", .serialized)
struct BatchTests {
    static func sweepFile(_ text: String) throws -> URL {
        let url = TestSupport.temporaryFolder().appendingPathComponent("sweep.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let small = """
        base: { prompt: "spinodal foam, 30% solid, 10 mm cube" }
        size: 32
        grid:   { solid_fraction: [0.3, 0.45] }
        random: { wavelength_mm: [1.5, 3.0] }
        samples: 2
        seeds: [1, 2]
        """

    @Test("variants: grid × samples × seeds, stable ids, values in range, Latin strata filled once")
    func expansion() throws {
        let a = try Sweep.load(Self.sweepFile(Self.small)), b = try Sweep.load(Self.sweepFile(Self.small))
        #expect(a.variants.count == 8)
        #expect(a.variants.map(\.id) == b.variants.map(\.id))
        #expect(Set(a.variants.map(\.id)).count == 8)
        #expect(a.parameterNames == ["solid_fraction", "wavelength_mm"])
        for v in a.variants {
            #expect([0.3, 0.45].contains(v.recipe.solidFraction))
            #expect((1.5...3.0).contains(v.recipe.wavelengthMM))
            #expect([1, 2].contains(v.recipe.seed) && v.recipe.size == GridSize(cube: 32))
        }
        // Changing a seed list changes the ids of the affected variants only.
        let c = try Sweep.load(Self.sweepFile(Self.small.replacingOccurrences(of: "seeds: [1, 2]", with: "seeds: [1, 3]")))
        #expect(Set(a.variants.map(\.id)).intersection(c.variants.map(\.id)).count == 4)

        var spec = SweepSpec(base: .init(prompt: "spinodal foam"), size: GridSize(cube: 64),
                             random: ["wavelength_mm": [1, 3], "solid_fraction": [0.2, 0.4]], latin: true, samples: 10)
        let latin = try Sweep(spec)
        for name in ["wavelength_mm", "solid_fraction"] {
            let range = spec.random[name]!
            let strata = latin.variants.map { v -> Int in
                let value = name == "wavelength_mm" ? v.recipe.wavelengthMM : v.recipe.solidFraction
                return Int((value - range[0]) / (range[1] - range[0]) * 10)
            }
            #expect(strata.sorted() == Array(0..<10), "\(name): \(strata)")
        }
        spec.latin = false
        #expect(try Sweep(spec).variants.map(\.id) != latin.variants.map(\.id))
    }

    @Test("shards are deterministic and cover the sweep exactly once", arguments: [1, 2, 3, 5, 8, 13])
    func shards(count: Int) throws {
        let sweep = try Sweep.load(Self.sweepFile(Self.small))
        let parts = (1...count).map { sweep.shard($0, of: count).map(\.id) }
        #expect(parts == (1...count).map { sweep.shard($0, of: count).map(\.id) })
        let all = parts.flatMap { $0 }
        #expect(all.count == sweep.variants.count)
        #expect(Set(all) == Set(sweep.variants.map(\.id)))
        #expect(parts.map(\.count).max()! - parts.map(\.count).min()! <= 1)
    }

    @Test("bad sweep files are refused before anything runs", arguments: [
        ("base: { prompt: x }\ngird: { solid_fraction: [0.3] }\n", "unknown key 'gird'"),
        ("grid: { solid_fraction: [0.3] }\n", "'base' is missing"),
        ("base: { prompt: foam, recipe: spinodal-foam }\n", "exactly one of prompt or recipe"),
        ("base: { prompt: foam }\ngrid: { colour: [red] }\n", "'colour' cannot be swept"),
        ("base: { prompt: foam }\ngrid: { solid_fraction: [0.3, 1.5] }\n", "outside"),
        ("base: { prompt: foam }\nrandom: { wavelength_mm: [2, 1] }\n", "low < high"),
        ("base: { prompt: foam }\ngrid: { solid_fraction: 0.3 }\n", "wrong type"),
        ("base: { prompt: foam }\nsize: 32\ngrid: { wavelength_mm: [0.1] }\n", "wavelength_mm"),
        ("base: { prompt: foam }\ngrid: { solid_fraction: [0.3, 0.3] }\n", "identical"),
        ("base: { prompt: foam }\nseeds: []\n", "at least one seed"),
    ])
    func refusals(text: String, message: String) throws {
        #expect { try Sweep.load(Self.sweepFile(text)) } throws: { "\($0)".contains(message) }
    }

    @Test("PCA recovers the known components of a constructed dataset")
    func pca() throws {
        // A full factorial of 20 values along u1 (±10) and 10 along u2 (±3), orthonormal
        // directions in 5-D, so the two spreads are exactly uncorrelated.
        let u1 = [1.0, 2, 0, -1, 1].map { $0 / 7.0.squareRoot() }, u2 = [0.0, 1, 1, 2, 0].map { $0 / 6.0.squareRoot() }
        #expect(abs(zip(u1, u2).map(*).reduce(0, +)) < 1e-12)
        let centre = [5.0, -2, 1, 0, 3]
        let alphas = (0..<20).map { -10 + 20 * Double($0) / 19 }, betas = (0..<10).map { -3 + 6 * Double($0) / 9 }
        var data: [[Double]] = []
        for a in alphas {
            for b in betas { data.append((0..<5).map { centre[$0] + a * u1[$0] + b * u2[$0] }) }
        }
        let result = try PrincipalComponents(data, count: 2)
        let dot1 = abs(zip(result.components[0], u1).map(*).reduce(0, +))
        let dot2 = abs(zip(result.components[1], u2).map(*).reduce(0, +))
        #expect(dot1 > 1 - 1e-9 && dot2 > 1 - 1e-9, "\(dot1) \(dot2)")
        let varA = alphas.map { $0 * $0 }.reduce(0, +) / 20, varB = betas.map { $0 * $0 }.reduce(0, +) / 10
        #expect(abs(result.explainedVarianceRatio[0] - varA / (varA + varB)) < 1e-9)
        #expect(abs(result.explainedVarianceRatio[0] + result.explainedVarianceRatio[1] - 1) < 1e-9)
        // Scores are the centred data projected on the components.
        let mean = (0..<5).map { j in data.map { $0[j] }.reduce(0, +) / Double(data.count) }
        let projected = zip(data[7], mean).map(-).enumerated().map { $0.element * result.components[0][$0.offset] }.reduce(0, +)
        #expect(abs(projected - result.scores[7][0]) < 1e-9)
        #expect(throws: StatisticsError.tooFewObservations(1)) { try PrincipalComponents([[1, 2]]) }
    }

    @Test("a batch writes every variant, a manifest in its documented schema, a contact sheet and a diversity map")
    func runsAndResumes() throws {
        let sweep = try Sweep.load(Self.sweepFile(Self.small))
        let folder = TestSupport.temporaryFolder()
        var options = BatchOptions()
        options.jobs = 2
        options.design.images = ImageOptions(enabled: false)
        let outcome = try BatchRun.run(sweep, into: folder, options: options)
        #expect(outcome.generated == 8 && outcome.failed.isEmpty && outcome.skipped == 0)
        let manifest = try BatchManifest.read(folder)
        #expect(manifest.variants.map(\.id) == sweep.variants.map(\.id))
        #expect(manifest.variants.allSatisfy { $0.status == .done && $0.files.contains("model.stl") && $0.watertight == true })
        for (row, v) in zip(manifest.variants, sweep.variants) {
            #expect(abs(row.solidFraction! - v.recipe.solidFraction) < 0.02)
            #expect(row.parameters["solid_fraction"] == .number(v.recipe.solidFraction))
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 9)
        let properties = ["relative_youngs_modulus", "youngs_modulus_gpa"].flatMap { q in ["x", "y", "z"].map { "measured_\(q)_\($0)" } }
            + ["measured_stiffness_anisotropy"]
            + ["permeability_m2", "tortuosity_factor"].flatMap { q in ["x", "y", "z"].map { "measured_\(q)_\($0)" } }
        let header: [String] = ["id", "index", "status", "seed", "solid_fraction", "wavelength_mm", "folder", "measured_solid_fraction",
                                "measured_characteristic_length_mm", "measured_anisotropy_ratio", "measured_intrusion_median_mm",
                                "measured_fabric_anisotropy"] + properties + ["triangles", "watertight", "printable", "seconds", "files", "error"]
        #expect(lines[0] == header.joined(separator: ","))
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 31 })
        #expect(manifest.variants.allSatisfy { ($0.intrusionMedianMM ?? 0) > 0 && $0.fabricAnisotropy != nil })
        // Properties: in the manifest, on the property map, in the batch report.
        #expect(manifest.variants.allSatisfy { row in
            guard let p = row.properties else { return false }
            return p.youngsModulusGPa.allSatisfy { $0 > 0 } && (p.permeabilityM2 ?? []).allSatisfy { $0 > 0 }
                && abs(p.relativeYoungsModulus[0] - p.youngsModulusGPa[0] / 2.8) < 1e-12
        })
        let map = try PNGCodec.readRGB(folder.appendingPathComponent("property_map.png"))
        #expect(map.width == 760 && map.height == 600)
        let report = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains("property_map.png") && report.contains("E_max/E_min"))
        for row in manifest.variants { #expect(report.contains(row.id)) }
        let diversity = try String(contentsOf: folder.appendingPathComponent("diversity.csv"), encoding: .utf8)
        #expect(diversity.split(separator: "\n").count == 9)
        let sheet = try PNGCodec.readRGB(folder.appendingPathComponent("contact_sheet.png"))
        #expect(sheet.width > 6 * 200)

        // Again: nothing to do. A damaged variant (its mesh cut short) is made again.
        let victim = folder.appendingPathComponent(sweep.variants[3].folder).appendingPathComponent("model.stl")
        let handle = try FileHandle(forWritingTo: victim)
        try handle.truncate(atOffset: 1000)
        try handle.close()
        let again = try BatchRun.run(sweep, into: folder, options: options)
        #expect(again.skipped == 7 && again.generated == 1)
        #expect(BatchRun.completeDesign(sweep.variants[3], in: folder) != nil)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.journal").path))

        // A slice cut short, and a mesh damaged in place at its own length, are noticed too.
        let slice = folder.appendingPathComponent(sweep.variants[5].folder).appendingPathComponent("slices/z0010.png")
        let sliceData = try Data(contentsOf: slice)
        try sliceData.prefix(sliceData.count - 20).write(to: slice)
        let stl = folder.appendingPathComponent(sweep.variants[6].folder).appendingPathComponent("model.stl")
        var mesh = try Data(contentsOf: stl)
        for i in 500..<600 { mesh[i] ^= 0x5A }
        try mesh.write(to: stl)
        #expect(BatchRun.completeDesign(sweep.variants[5], in: folder) == nil)
        #expect(BatchRun.completeDesign(sweep.variants[6], in: folder) == nil)
        let third = try BatchRun.run(sweep, into: folder, options: options)
        #expect(third.skipped == 6 && third.generated == 2)
    }

    @Test("a batch killed with SIGKILL midway and run again ends with every variant complete exactly once")
    func killAndResume() throws {
        let sweepURL = try Self.sweepFile(Self.small)
        let out = TestSupport.temporaryFolder().appendingPathComponent("batch")
        let cli = CLIRunner()
        guard let executable = CLIRunner.executable else { throw CLIRunner.CLIError.notBuilt }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["batch", sweepURL.path, "--out", out.path, "--jobs", "1", "--no-images", "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["CEPHALO_FORGE_CACHE": cli.cache.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill once two variants are complete (the third is then in progress).
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let manifest = try? BatchManifest.read(out)
            if (manifest?.variants.filter { $0.status == .done }.count ?? 0) >= 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = try BatchManifest.read(out)
        #expect(partial.variants.count == 8)
        #expect(partial.variants.contains { $0.status == .pending })
        // Finished variants were journaled, not rewritten into manifest.json each time.
        let journal = try String(contentsOf: out.appendingPathComponent("manifest.journal"), encoding: .utf8)
        #expect(journal.split(separator: "\n").count >= 2)
        let written = try JSONDecoder().decode(BatchManifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
        #expect(written.variants.filter { $0.status == .done }.count < partial.variants.filter { $0.status == .done }.count)

        let r = try cli.run(["batch", sweepURL.path, "--out", out.path, "--jobs", "2", "--no-images", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("already complete"))
        let manifest = try BatchManifest.read(out)
        #expect(manifest.variants.count == 8 && manifest.variants.allSatisfy { $0.status == .done })
        #expect(Set(manifest.variants.map(\.id)).count == 8)
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("variants").path)
        #expect(folders.sorted() == manifest.variants.map(\.id).sorted())
        let sweep = try Sweep.load(sweepURL)
        for variant in sweep.variants {
            #expect(BatchRun.completeDesign(variant, in: out) != nil, "\(variant.id) incomplete")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(variant.folder).path)
                .filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty, "\(variant.id): \(leftovers)")
        }
    }

    @Test("shards run apart and merge into one manifest; a failing variant is recorded and sets the exit status")
    func shardsAndMerge() throws {
        let sweepURL = try Self.sweepFile(Self.small)
        let root = TestSupport.temporaryFolder()
        let cli = CLIRunner()
        for i in 1...3 {
            let r = try cli.run(["batch", sweepURL.path, "--out", root.appendingPathComponent("shard-\(i)").path,
                                 "--shard", "\(i)/3", "--no-images", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merged = root.appendingPathComponent("merged")
        let r = try cli.run(["batch", "merge"] + (1...3).map { root.appendingPathComponent("shard-\($0)").path } + ["--out", merged.path])
        #expect(r.status == 0, "\(r.stderr)")
        let manifest = try BatchManifest.read(merged)
        let sweep = try Sweep.load(sweepURL)
        #expect(manifest.variants.map(\.id) == sweep.variants.map(\.id))
        for row in manifest.variants {
            #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent(row.folder).appendingPathComponent("metrics.json").path))
        }
        #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("diversity.png").path))
        #expect(manifest.sweepHash == sweep.contentHash)

        // Shards of another sweep are refused; a variant whose folder was deleted is missing, not done.
        let otherURL = try Self.sweepFile(Self.small.replacingOccurrences(of: "size: 32", with: "size: 36"))
        let other = root.appendingPathComponent("other")
        #expect(try cli.run(["batch", otherURL.path, "--out", other.path, "--shard", "1/4", "--no-images", "--quiet"]).status == 0)
        let mixed = try cli.run(["batch", "merge", root.appendingPathComponent("shard-1").path, other.path,
                                 "--out", root.appendingPathComponent("mixed").path])
        #expect(mixed.status == 1 && mixed.stderr.contains("another sweep"), "\(mixed.stderr)")
        let gone = manifest.variants[0]
        try FileManager.default.removeItem(at: merged.appendingPathComponent(gone.folder))
        let again = try cli.run(["batch", "merge"] + (1...3).map { root.appendingPathComponent("shard-\($0)").path }
                                + ["--out", root.appendingPathComponent("merged-again").path])
        #expect(again.status == 0 && again.stderr.contains("listed as missing"), "\(again.stderr)")
        let remerged = try BatchManifest.read(root.appendingPathComponent("merged-again"))
        #expect(remerged.variants.first { $0.id == gone.id }?.status == .missing)

        // A variant that cannot be written fails alone.
        let out = root.appendingPathComponent("failing")
        let blocked = out.appendingPathComponent(sweep.variants[1].folder)
        try FileManager.default.createDirectory(at: blocked.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a folder".utf8).write(to: blocked)
        let f = try cli.run(["batch", sweepURL.path, "--out", out.path, "--no-images", "--quiet"])
        #expect(f.status == 2)
        #expect(f.stderr.contains("failed: \(sweep.variants[1].id)"))
        let failing = try BatchManifest.read(out)
        #expect(failing.variants.filter { $0.status == .failed }.map(\.id) == [sweep.variants[1].id])
        #expect(failing.variants.filter { $0.status == .done }.count == 7)
    }
}
