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

/// A critic that never trusts the numbers: it scores what it is told to.
struct ScriptedCritic: Critic {
    var judge: @Sendable (CritiqueRequest) -> Critique

    func critique(_ request: CritiqueRequest) -> CritiqueOutcome {
        CritiqueOutcome(critique: judge(request), critic: "scripted", warnings: [], exchange: nil)
    }
}

@Suite("iterate: what is measured outranks what a model says", .serialized)
struct IterationTrustTests {
    @Test("an oscillating critic cannot make the far-off round best")
    func oscillatingCritic() throws {
        let target = "spinodal foam, 25% solid, wavelength 1.5 mm, 10 mm cube"
        var start = try LocalDescriber().describe(target).recipe
        start.size = GridSize(cube: 48)
        // It loves 45% and pushes there, then back: the measurements say 25% is right.
        let critic = ScriptedCritic { request in
            let dense = request.recipe.solidFraction > 0.35
            return Critique(score: dense ? 9 : 4, summary: dense ? "lovely" : "too sparse", issues: [],
                            adjustments: [.init(parameter: "solid_fraction", value: .number(dense ? 0.25 : 0.45), reason: "taste")],
                            satisfied: false)
        }
        let summary = try Iteration.run(target: target, start: start, into: TestSupport.temporaryFolder(), rounds: 6,
                                        options: IterateTests.fastOptions, critic: critic)
        let best = try #require(summary.rounds.first { $0.round == summary.best })
        #expect(abs(best.solidFraction - 0.25) < 0.03, "best round \(best.round) at \(best.solidFraction)")
        #expect(summary.rounds.count < 6, "it should stop on the plateau: \(summary.stopReason)")
        #expect(summary.stopReason.contains("no round improved"))
    }

    @Test("a hallucinating critic (satisfied with a far-off design) does not end the loop; the measurements steer")
    func hallucinatingCritic() throws {
        let critic = ScriptedCritic { _ in Critique(score: 10, summary: "perfect", issues: [], adjustments: [], satisfied: true) }
        let folder = TestSupport.temporaryFolder()
        let summary = try Iteration.run(target: IterateTests.target, start: IterateTests.wrongStart(), into: folder,
                                        rounds: 5, options: IterateTests.fastOptions, critic: critic)
        #expect(summary.rounds.count >= 2)
        #expect(summary.rounds.first?.measuredMet == false)
        let best = try #require(summary.rounds.first { $0.round == summary.best })
        #expect(best.round > 1 && best.measuredMet == true, "\(summary.rounds.map { ($0.round, $0.measuredDistance ?? -1) })")
        #expect(summary.rounds.dropFirst().allSatisfy { $0.changesFrom == "measurements" })
        #expect(summary.stopReason.contains("meets the target as measured"))
        // The report shows the target, why it stopped, each round's changes and the real target fraction.
        let html = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains(IterateTests.target))
        #expect(html.contains("Stopped") && html.contains("meets the target as measured"))
        #expect(html.contains("Changed: solid_fraction 0.5 → 0.3"))
        #expect(html.contains("(proposed by the measurements)"))
        #expect(html.contains("(target 0.3000)") && !html.contains("(target 0.5000)"))
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("iteration.json"))) as? [String: Any]
        #expect((saved?["stop_reason"] as? String)?.contains("meets the target") == true)
        #expect(((saved?["target_asks"] as? [String: Any])?["solid_fraction"] as? Double) == 0.3)
    }

    static func record(_ round: Int, score: Double, satisfied: Bool = false, distance: Double, met: Bool) -> RoundRecord {
        RoundRecord(round: round, folder: Iteration.roundFolder(round), score: score, satisfied: satisfied, summary: "",
                    issues: [], critic: "test", solidFraction: 0.3, characteristicLengthMM: 1.5, printable: true,
                    measuredDistance: distance, measuredMet: met, measuredIssues: [], changes: [], changesFrom: nil, warnings: [])
    }

    @Test("ties: a round that satisfies measurements and critic is never ranked below one that does not")
    func satisfiedRoundWinsTies() {
        let scores = [3.0, 6, 8, 9, 9]
        let rounds = scores.enumerated().map { Self.record($0.offset + 1, score: $0.element, satisfied: $0.offset == 4, distance: 0.5, met: true) }
        #expect(IterationRanking.best(rounds)?.round == 5)
        #expect(IterationRanking.stopReason(rounds)?.contains("round 5 meets the target") == true)
        // Without the satisfied round, the highest score among met rounds wins, the earliest on a tie.
        #expect(IterationRanking.best(Array(rounds.prefix(4)))?.round == 4)
        #expect(IterationRanking.best([Self.record(1, score: 9, distance: 0.5, met: true), Self.record(2, score: 9, distance: 0.5, met: true)])?.round == 1)
    }

    @Test("plateaus: a flat score does not stop the loop while the measurements improve; a flat distance does")
    func plateaus() {
        // Scores 6, 6, 6 while the measured distance falls: go on.
        let moving = [Self.record(1, score: 6, distance: 9, met: false), Self.record(2, score: 6, distance: 5, met: false),
                      Self.record(3, score: 6, distance: 2, met: false)]
        for n in 1...3 { #expect(IterationRanking.stopReason(Array(moving.prefix(n))) == nil) }
        // A far-off round with a high score never beats a close one.
        #expect(IterationRanking.isBetter(Self.record(2, score: 6, distance: 2, met: false),
                                          than: Self.record(1, score: 10, distance: 9, met: false)))
        // Two rounds without improving on the best: stop. (Distances within 1% tie, and the score decides.)
        #expect(IterationRanking.isBetter(Self.record(2, score: 8, distance: 2.01, met: false),
                                          than: Self.record(1, score: 6, distance: 2, met: false)))
        let flat = [Self.record(1, score: 6, distance: 2, met: false), Self.record(2, score: 7, distance: 3, met: false),
                    Self.record(3, score: 8, distance: 2.5, met: false)]
        #expect(IterationRanking.stopReason(Array(flat.prefix(2))) == nil)
        #expect(IterationRanking.stopReason(flat)?.contains("no round improved on round 1") == true)
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
        // The model saw one picture: the render beside the montage (the montage alone without GL).
        let sent = try #require(server.received.first).json
        let parts = try #require((sent["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(parts.count == 2 && parts[1]["type"] as? String == "image_url")
        let url = try #require((parts[1]["image_url"] as? [String: Any])?["url"] as? String)
        let png = try #require(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count))))
        let sheetFile = TestSupport.temporaryFolder().appendingPathComponent("sheet.png")
        try png.write(to: sheetFile)
        let sheet = try PNGCodec.readRGB(sheetFile)
        #expect(sheet.width == CritiqueSheet.width && sheet.height == CritiqueSheet.height)
        // The stop reason and the best round are printed.
        #expect(r.stdout.contains("stopped: ") && r.stdout.contains("best: rounds/"))
    }

    @Test("a finished loop run again sends no request and rewrites nothing")
    func rerunSendsNothing() throws {
        let server = try ScriptedChatServer([.completion(#"{"score": 9, "summary": "fine", "satisfied": true, "adjustments": []}"#)])
        let cli = CLIRunner()
        let out = TestSupport.temporaryFolder().appendingPathComponent("loop")
        let arguments = ["iterate", "spinodal foam, 30% solid, wavelength 1.5 mm, 10 mm cube", "--size", "40", "--rounds", "2",
                         "--out", out.path, "--cephalo-url", server.baseURL.absoluteString, "--no-images"]
        var r = try cli.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let sent = server.received.count
        #expect(sent >= 2)  // describe, then one critique per round
        let summaryBefore = try Data(contentsOf: out.appendingPathComponent("iteration.json"))
        r = try cli.run(arguments)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.received.count == sent, "a rerun sent \(server.received.count - sent) requests")
        #expect(r.stderr.contains("resuming"))
        #expect(try Data(contentsOf: out.appendingPathComponent("iteration.json")) == summaryBefore)
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
