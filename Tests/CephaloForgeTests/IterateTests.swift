import CephaloForge
import Foundation
import Testing

@Suite("iterate", .serialized)
struct IterateTests {
    static let target = "spinodal foam, 30% solid, wavelength 1.5 mm, 10 mm cube"

    /// A deliberately wrong start: 50% solid and twice the wavelength asked for.
    static func wrongStart(size: Int = 64) throws -> Recipe {
        var recipe = try LocalDescriber().describe(target).recipe
        recipe.solidFraction = 0.5
        recipe.wavelengthMM = 3
        recipe.size = GridSize(cube: size)
        return recipe
    }

    static var fastOptions: DesignOptions {
        var options = DesignOptions()
        options.images = ImageOptions(views: [.iso], size: 160)
        return options
    }

    @Test("with the local critic, a wrong start converges to within 2 points and 15% in at most 5 rounds")
    func converges() throws {
        let folder = TestSupport.temporaryFolder()
        let summary = try Iteration.run(target: Self.target, start: Self.wrongStart(), into: folder, rounds: 5,
                                        options: Self.fastOptions, critic: LocalCritic())
        let last = try #require(summary.rounds.last)
        #expect(summary.rounds.count <= 5)
        #expect(summary.rounds.first!.score < last.score)
        #expect(abs(last.solidFraction - 0.3) <= 0.02, "fraction \(last.solidFraction)")
        #expect(abs(last.characteristicLengthMM / 1.5 - 1) <= 0.15, "length \(last.characteristicLengthMM)")
        #expect(last.satisfied && summary.best == last.round)
        // best links the best round; the report shows every round.
        let best = try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("best").path)
        #expect(best == Iteration.roundFolder(last.round))
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        for r in summary.rounds { #expect(html.contains("Round \(r.round)")) }
        #expect(html.contains("(best)"))
        for link in ReportTests.links(in: html) where link != "data:," {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(link).path), "missing \(link)")
        }
        #expect(Iteration.table(summary).contains("best: rounds/"))
    }

    @Test("a rerun keeps complete rounds untouched and redoes an incomplete one")
    func resumes() throws {
        let folder = TestSupport.temporaryFolder()
        let start = try Self.wrongStart(size: 48)
        // A critic that never stops the loop early, so rounds accumulate.
        struct Stubborn: Critic {
            func critique(_ request: CritiqueRequest) -> CritiqueOutcome {
                var outcome = LocalCritic().critique(request)
                outcome.critique.satisfied = false
                outcome.critique.score = Double(request.recipe.seed) + request.measures.solidFraction
                return outcome
            }
        }
        _ = try Iteration.run(target: Self.target, start: start, into: folder, rounds: 1, options: Self.fastOptions, critic: Stubborn())
        let round1 = folder.appendingPathComponent("rounds/01")
        let before = try Data(contentsOf: round1.appendingPathComponent("model.stl"))
        let beforeDate = try FileManager.default.attributesOfItem(atPath: round1.appendingPathComponent("critique.json").path)[.modificationDate] as? Date
        // An interrupted round 2: its design exists, its critique does not.
        _ = try DesignGenerator.generate(start, into: OutputLayout(folder: folder.appendingPathComponent("rounds/02")),
                                         options: Self.fastOptions)
        let summary = try Iteration.run(target: Self.target, start: start, into: folder, rounds: 2, options: Self.fastOptions,
                                        critic: Stubborn())
        #expect(summary.rounds.map(\.round) == [1, 2])
        #expect(try Data(contentsOf: round1.appendingPathComponent("model.stl")) == before)
        let afterDate = try FileManager.default.attributesOfItem(atPath: round1.appendingPathComponent("critique.json").path)[.modificationDate] as? Date
        #expect(beforeDate == afterDate)
        // Round 2 was redone from round 1's critique: its fraction moved to the target.
        let recipe2 = try RecipeFile.decode(folder.appendingPathComponent("rounds/02/recipe.json"))
        #expect(abs(recipe2.solidFraction - 0.3) < 0.02)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("rounds/02/critique.json").path))
    }
}

@Suite("iterate and critique through the command line", .serialized)
struct IterateCommandTests {
    @Test("iterate with Cephalo: each round keeps the exchange; failures fall back; the API key is never written or logged")
    func iterateWithServer() throws {
        let good = """
            Here is my critique:
            ```json
            {"score": 4, "summary": "too dense and too coarse", "issues": ["fraction high"],
             "adjustments": [{"parameter": "solid_fraction", "value": 0.3, "reason": "target"},
                             {"parameter": "wavelength_mm", "change": "-50%", "reason": "finer"},
                             {"parameter": "colour", "value": "red", "reason": "nicer"}]}
            ```
            """
        let server = try ScriptedChatServer([.completion(good), .error(500, "crashed"), .error(500, "crashed"),
                                             .error(500, "crashed"), .completion("{\"score\": 9, \"summary\": \"close\", \"adjustments\": []}")])
        var cli = CLIRunner()
        cli.environment["CEPHALO_API_KEY"] = "sk-never-show-this"
        let recipe = TestSupport.temporaryFolder().appendingPathComponent("start.yaml")
        try "family: spinodal\nsolid_fraction: 0.5\nwavelength_mm: 3\nsize: 48\nprompt: spinodal foam\n".write(to: recipe, atomically: true, encoding: .utf8)
        let out = TestSupport.temporaryFolder().appendingPathComponent("loop")
        let r = try cli.run(["iterate", "--recipe", recipe.path, "--target", IterateTests.target, "--rounds", "3",
                             "--out", out.path, "--cephalo-url", server.baseURL.absoluteString, "--retries", "2",
                             "--timeout", "5", "--render-size", "128"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("sk-never-show-this") && !r.stdout.contains("sk-never-show-this"))
        #expect(r.stderr.contains("unknown parameter 'colour'"))
        #expect(r.stderr.contains("Cephalo critique failed"))
        #expect(r.stdout.contains("round  score"))
        // Every request carried the key in its header only.
        #expect(server.received.allSatisfy { $0.headers["authorization"] == "Bearer sk-never-show-this" })
        let round1 = out.appendingPathComponent("rounds/01"), round2 = out.appendingPathComponent("rounds/02")
        let critique1 = try String(contentsOf: round1.appendingPathComponent("critique.json"), encoding: .utf8)
        #expect(critique1.contains("cephalo lamm-mit"))
        #expect(FileManager.default.fileExists(atPath: round1.appendingPathComponent("critique-request.json").path))
        #expect(FileManager.default.fileExists(atPath: round1.appendingPathComponent("critique-reply.json").path))
        let critique2 = try String(contentsOf: round2.appendingPathComponent("critique.json"), encoding: .utf8)
        #expect(critique2.contains("\"critic\" : \"local\""))
        let recipe2 = try RecipeFile.decode(round2.appendingPathComponent("recipe.json"))
        #expect(recipe2.solidFraction == 0.3 && recipe2.wavelengthMM == 1.5)
        // Nothing on disk holds the key.
        let files = FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []
        for name in files where name.hasSuffix(".json") || name.hasSuffix(".html") || name.hasSuffix(".txt") {
            let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("sk-never-show-this"), "\(name)")
        }
        // The model saw the render and the montage when GL exists, the montage otherwise.
        let sent = try #require(server.received.first).json
        let parts = try #require((sent["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(parts.count == (glAvailable ? 3 : 2))
    }

    @Test("critique DIR writes critique.json with the local critic; a bad URL is a one-line error")
    func critiqueCommand() throws {
        let cli = CLIRunner()
        let out = TestSupport.temporaryFolder().appendingPathComponent("d")
        var r = try cli.run(["generate", "spinodal foam, 45% solid, 10 mm cube", "--size", "32", "--out", out.path, "--quiet", "--no-images"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try cli.run(["critique", out.path, "--target", "spinodal foam, 30% solid, 10 mm cube"])
        #expect(r.status == 0, "\(r.stderr)")
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("critique.json"))) as! [String: Any]
        #expect(record["critic"] as? String == "local")
        let critique = record["critique"] as! [String: Any]
        #expect((critique["issues"] as! [String]).contains { $0.contains("solid fraction") })
        r = try cli.run(["critique", out.path, "--cephalo-url", "ftp://nowhere"])
        #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("not an http(s) URL"))
    }
}
