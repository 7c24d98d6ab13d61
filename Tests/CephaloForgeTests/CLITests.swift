import CephaloForge
import Foundation
import Testing

@Suite("cephalo-forge command line", .serialized)
struct CLITests {
    let cli = CLIRunner()

    static func files(in folder: URL) -> [String] {
        let e = FileManager.default.enumerator(atPath: folder.path)
        return ((e?.allObjects as? [String]) ?? []).filter { !$0.hasPrefix(".") && !$0.contains("/.") }.sorted()
    }

    @Test func generateWritesTheDesignFolder() throws {
        let out = TestSupport.temporaryFolder().appendingPathComponent("bone")
        let r = try cli.run(["generate", "trabecular bone scaffold, 30% solid, 10 mm cube",
                             "--size", "32", "--seed", "7", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("watertight"))
        #expect(r.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("warning:") }, "\(r.stderr)")
        let slices = (0..<32).map { "slices/" + SliceStackWriter.fileName(z: $0) }
        let pictures = ["montage.png", "report.html", "s2.svg", "thickness.svg"] + (glAvailable ? ["preview.png", "youngs_modulus_surface.png"] : [])
        #expect(Self.files(in: out) == (["metrics.json", "model.stl", "recipe.json", "slices"] + slices + pictures).sorted())

        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(contentsOf: out.appendingPathComponent("recipe.json")))
        #expect(recipe.seed == 7 && recipe.size == GridSize(cube: 32) && recipe.solidFraction == 0.3)

        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        #expect(metrics["watertight"] as? Bool == true)
        #expect(abs((metrics["solid_fraction"] as! Double) - 0.3) < 0.002)
        #expect((metrics["triangles"] as! Int) > 1000)
        let timings = metrics["timings_s"] as! [String: Double]
        #expect(Set(timings.keys).isSuperset(of: ["synthesis", "threshold", "meshing", "writing"]))

        let text = try PNGCodec.textChunks(out.appendingPathComponent("slices/z0000.png"))["recipe"]
        #expect(try text.map { try JSONDecoder().decode(Recipe.self, from: Data($0.utf8)) } == recipe)
        let mesh = try BinarySTLReader.read(out.appendingPathComponent("model.stl"))
        #expect(MeshIntegrity(of: mesh).isClosedManifold)
    }

    @Test func recipeReproducesEveryFileByteForByte() throws {
        let root = TestSupport.temporaryFolder()
        let first = root.appendingPathComponent("a"), second = root.appendingPathComponent("b")
        let a = try cli.run(["generate", "blob particles, 40% solid, 5 mm cube", "--size", "24", "--seed", "3",
                             "--out", first.path, "--quiet"])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try cli.run(["generate", "--recipe", first.appendingPathComponent("recipe.json").path,
                             "--out", second.path, "--quiet"])
        #expect(b.status == 0, "\(b.stderr)")
        let names = Self.files(in: first).filter { !$0.hasSuffix("slices") }
        #expect(names == Self.files(in: second).filter { !$0.hasSuffix("slices") })
        for name in names where name != "metrics.json" {
            let x = try Data(contentsOf: first.appendingPathComponent(name))
            let y = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(x == y, "\(name) differs")
        }
        func withoutTimings(_ url: URL) throws -> NSDictionary {
            var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            object["timings_s"] = nil
            return object as NSDictionary
        }
        #expect(try withoutTimings(first.appendingPathComponent("metrics.json"))
                == withoutTimings(second.appendingPathComponent("metrics.json")))
        let c = try cli.run(["generate", "blob particles, 40% solid, 5 mm cube", "--size", "24", "--seed", "4",
                             "--out", root.appendingPathComponent("c").path, "--quiet"])
        #expect(c.status == 0)
        #expect(try Data(contentsOf: root.appendingPathComponent("c/model.stl")) != Data(contentsOf: first.appendingPathComponent("model.stl")))
    }

    @Test func planarFieldsWriteOneImageAndAnOptionalPlate() throws {
        let folder = TestSupport.temporaryFolder()
        let recipe = folder.appendingPathComponent("plate.yaml")
        try "family: spinodal\nsize: 96x64\nwavelength_mm: 2\nplate_thickness_mm: 1\n".write(to: recipe, atomically: true, encoding: .utf8)
        let r = try cli.run(["generate", "--recipe", recipe.path, "--out", folder.appendingPathComponent("p").path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = folder.appendingPathComponent("p")
        let pictures = ["montage.png", "report.html", "s2.svg", "thickness.svg"] + (glAvailable ? ["preview.png"] : [])
        #expect(Self.files(in: out) == (["metrics.json", "model.stl", "recipe.json", "slices", "slices/z0000.png"] + pictures).sorted())
        let image = try PNGCodec.read(out.appendingPathComponent("slices/z0000.png"))
        #expect(image.width == 96 && image.height == 64)
        let mesh = try BinarySTLReader.read(out.appendingPathComponent("model.stl"))
        #expect(MeshIntegrity(of: mesh).isClosedManifold)
        #expect(abs(Double(mesh.bounds.max.z) - 1.0) < 0.11)

        let flat = try cli.run(["generate", "spinodal, 2d, 40% solid", "--size", "64x64", "--out",
                                folder.appendingPathComponent("flat").path, "--quiet", "--no-images"])
        #expect(flat.status == 0, "\(flat.stderr)")
        #expect(Self.files(in: folder.appendingPathComponent("flat")) == ["metrics.json", "recipe.json", "slices", "slices/z0000.png"])
    }

    @Test func printReadyOptionsWriteTheirFiles() throws {
        let out = TestSupport.temporaryFolder().appendingPathComponent("print")
        let r = try cli.run(["generate", "gyroid, 30% solid, cell size 5 mm", "--size", "32", "--tile", "2x1x1",
                             "--format", "stl,3mf,ply", "--volume", "nrrd,vti", "--max-triangles", "20000",
                             "--printer-pixel-um", "100", "--printer-xy", "300x200", "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = Set(Self.files(in: out))
        #expect(files.isSuperset(of: ["model.stl", "model.3mf", "model.ply", "volume.nhdr", "volume.raw", "volume.vti",
                                      "printer_slices.zip"]))
        let flow = ["x", "y", "z"].map { "flow_speed_\($0).nhdr, flow_speed_\($0).raw, flow_speed_\($0).vti, " }.joined()
        #expect(r.stdout.contains("files: recipe.json, model.stl, model.3mf, model.ply, slices/ (32 PNG), metrics.json, "
            + "volume.nhdr, volume.raw, volume.vti, " + flow + "printer_slices.zip"), "\(r.stdout)")
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        #expect((metrics["triangles"] as! Int) <= 20000)
        #expect(metrics["watertight"] as? Bool == true && metrics["mesh_shells"] as? Int == 1)
        #expect(metrics["voxels"] as? Int == 2 * 32 * 32 * 32)
        // The reduced mesh's checks are reported as checks, not hidden in the reduction's time
        // (checking thousands of triangles takes far longer than a tenth of a millisecond).
        let timings = metrics["timings_s"] as! [String: Double]
        #expect(timings["checks"]! > 1e-4, "\(timings)")
        let mesh = try BinarySTLReader.read(out.appendingPathComponent("model.stl"))
        #expect(abs(Double(mesh.bounds.max.x) - 20) < 1e-4 && mesh.bounds.min == SIMD3(0, 0, 0))

        let bad = try cli.run(["generate", "--size", "32", "--format", "stl,fbx", "--out", out.path + "-bad", "--quiet"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown format 'fbx'"), "\(bad.stderr)")
        let tooBig = try cli.run(["generate", "--size", "32", "--printer-pixel-um", "10", "--printer-xy", "100x100",
                                  "--out", out.path + "-big", "--quiet"])
        #expect(tooBig.status != 0 && tooBig.stderr.contains("does not fit"), "\(tooBig.stderr)")
        #expect(Self.files(in: URL(fileURLWithPath: out.path + "-big")).isEmpty)
    }

    @Test func defaultOutputFolderIsTheSlug() throws {
        var runner = cli
        runner.workingDirectory = TestSupport.temporaryFolder()
        let r = try runner.run(["generate", "Fine Spinodal, 40% solid", "--size", "32", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let folder = runner.workingDirectory.appendingPathComponent("Outputs/fine-spinodal-40-solid")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.stl").path))
    }

    @Test func describePrintsTheRecipe() throws {
        let r = try cli.run(["describe", "sponge, 70% porosity, 8 mm cube"])
        #expect(r.status == 0)
        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(r.stdout.utf8))
        #expect(abs(recipe.solidFraction - 0.3) < 1e-9 && recipe.extentMM == 8)
        #expect(r.stderr.contains("solid_fraction: prompt"))
        #expect(r.stderr.contains("seed: default"))
    }

    @Test func templatesResolveByName() throws {
        var runner = cli
        runner.workingDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let r = try runner.run(["describe", "--recipe", "spinodal-foam", "--size", "48"])
        #expect(r.status == 0, "\(r.stderr)")
        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(r.stdout.utf8))
        #expect(recipe.name == "spinodal-foam" && recipe.size == GridSize(cube: 48))
    }

    /// Bad input: a one-line error, a non-zero exit and no file under a final name.
    @Test(arguments: [
        ("unknown key", #"{"solid_fracton": 0.3}"#, [String](), "did you mean 'solid_fraction'"),
        ("fraction", #"{"solid_fraction": 1.5}"#, [], "solid_fraction"),
        ("size", #"{"size": 4}"#, [], "size"),
        ("extent", #"{"extent_mm": 0}"#, [], "extent_mm"),
        ("memory", #"{}"#, ["--size", "8192"], "GiB"),
        ("size flag", #"{}"#, ["--size", "banana"], "--size"),
        ("unreadable", "", [], "cannot read"),
        ("yaml", "family: [", [], "bad recipe file"),
        ("yaml key", "family: gyroid\nsolid_fracton: 0.3\n", [], "did you mean 'solid_fraction'"),
        ("yaml value", "family: gyroid\nsolid_fraction: lots\n", [], "'solid_fraction' has the wrong type"),
    ])
    func badInputFailsCleanly(label: String, recipe: String, extra: [String], message: String) throws {
        let folder = TestSupport.temporaryFolder()
        let recipeURL = folder.appendingPathComponent(label.hasPrefix("yaml") ? "r.yaml" : "r.json")
        if !recipe.isEmpty { try recipe.write(to: recipeURL, atomically: true, encoding: .utf8) }
        let out = folder.appendingPathComponent("out")
        let r = try cli.run(["generate", "--recipe", recipeURL.path, "--out", out.path, "--quiet"] + extra)
        #expect(r.status != 0, "\(label)")
        #expect(r.stderr.contains(message), "\(label): \(r.stderr)")
        let errorLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("Error") }
        #expect(errorLines.count == 1, "\(label): \(r.stderr)")
        #expect(Self.files(in: out).isEmpty, "\(label)")
    }

    @Test func unwritableOutputFolderFails() throws {
        let folder = TestSupport.temporaryFolder()
        let blocker = folder.appendingPathComponent("file")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        let r = try cli.run(["generate", "--size", "32", "--out", blocker.appendingPathComponent("sub").path, "--quiet"])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("error: cannot write"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func failedRunKeepsEarlierFiles() throws {
        let out = TestSupport.temporaryFolder().appendingPathComponent("keep")
        #expect(try cli.run(["generate", "--size", "32", "--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("model.stl"))
        let bad = try cli.run(["generate", "--size", "32", "--seed", "2", "--out", out.path, "--quiet",
                               "--recipe", "/nonexistent/recipe.json"])
        #expect(bad.status != 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("model.stl")) == before)
    }

    @Test func helpExplainsTheCommands() throws {
        let r = try cli.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("generate") && r.stdout.contains("describe"))
        let g = try cli.run(["generate", "--help"])
        #expect(g.stdout.contains("--recipe") && g.stdout.contains("--size") && g.stdout.contains("--quiet"))
    }
}
