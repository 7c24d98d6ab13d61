import CephaloForge
import Foundation
import Testing

/// The loop closed on what the structure does: from deliberately wrong starts, at 64³, with
/// the local critic and no server.
@Suite("iterate toward property targets", .serialized)
struct PropertyIterationTests {
    static var options: DesignOptions {
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        return options
    }

    static func start(_ prompt: String, _ change: (inout Recipe) -> Void) throws -> Recipe {
        var recipe = try LocalDescriber().describe(prompt).recipe
        recipe.size = GridSize(cube: 64)
        change(&recipe)
        return recipe
    }

    static func run(_ prompt: String, _ start: Recipe, rounds: Int = 8) throws -> IterationSummary {
        try Iteration.run(target: prompt, start: start, into: TestSupport.temporaryFolder(), rounds: rounds,
                          options: options, critic: LocalCritic())
    }

    static func trace(_ s: IterationSummary) -> String {
        s.rounds.map { "\($0.round): φ \($0.solidFraction) → \($0.targetValues ?? [])" }.joined(separator: "; ") + " — " + s.stopReason
    }

    @Test("a spinodoid laid as layers reaches E_z/E_x = 3 ± 10% at its 40% solid")
    func stiffnessRatio() throws {
        let prompt = "spinodoid, 40% solid, three times stiffer along z than along x"
        // Wrong start: a cone on z alone makes layers across z, softer along z than across.
        let start = try Self.start(prompt) { $0.coneAnglesDeg = [0, 0, 40] }
        let summary = try Self.run(prompt, start)
        let last = try #require(summary.rounds.last)
        let ratio = try #require(last.targetValues?.first ?? nil)
        #expect(summary.rounds.count <= 8 && last.measuredMet == true, "\(Self.trace(summary))")
        #expect(abs(ratio / 3 - 1) <= 0.1, "\(Self.trace(summary))")
        #expect(abs(last.solidFraction - 0.4) <= 0.02)
        #expect((summary.rounds.first?.targetValues?.first ?? 9) ?? 9 < 1, "the start is soft along z")
        #expect(summary.best == last.round && summary.notReached == nil)
    }

    @Test("a resin foam at 60% solid reaches E/E_s = 0.05 ± 10%")
    func relativeStiffness() throws {
        let prompt = "resin foam, relative stiffness 0.05"
        let start = try Self.start(prompt) { $0.solidFraction = 0.6 }
        let summary = try Self.run(prompt, start)
        let last = try #require(summary.rounds.last)
        let relative = try #require(last.targetValues?.first ?? nil)
        #expect(summary.rounds.count >= 2 && summary.rounds.count <= 8 && last.measuredMet == true, "\(Self.trace(summary))")
        #expect(abs(relative / 0.05 - 1) <= 0.1, "\(Self.trace(summary))")
        #expect(last.solidFraction < 0.45)
    }

    @Test("a scaffold with coarse pores reaches a permeability window and stays printable")
    func permeabilityWindow() throws {
        let prompt = "scaffold, permeability between 2e-9 and 5e-9 m²"
        let start = try Self.start(prompt) { $0.wavelengthMM = 3 }
        let summary = try Self.run(prompt, start)
        let last = try #require(summary.rounds.last)
        let k = try #require(last.targetValues?.first ?? nil)
        #expect(summary.rounds.count <= 8 && last.measuredMet == true, "\(Self.trace(summary))")
        #expect(k >= 2e-9 && k <= 5e-9, "\(Self.trace(summary))")
        #expect(last.printable)
        #expect((summary.rounds.first?.targetValues?.first ?? 0) ?? 0 > 5e-9, "the start is too permeable")
    }

    @Test("contradictory targets end with the trade-off stated, before the round limit")
    func contradiction() throws {
        let prompt = "foam, relative stiffness above 0.3, tortuosity below 1.1"
        let summary = try Self.run(prompt, try Self.start(prompt) { _ in })
        #expect(summary.rounds.count < 8, "\(Self.trace(summary))")
        #expect(summary.stopReason.contains("the targets conflict"), "\(summary.stopReason)")
        let notReached = try #require(summary.notReached)
        #expect(notReached.contains { $0.hasPrefix("trade-off:") && $0.contains("cannot serve both") })
        #expect(Iteration.table(summary).contains("not reached: trade-off"))
    }

    @Test("a model critic gets the property table and the stiffness picture; its property steps are applied within bounds")
    func modelCritic() throws {
        let prompt = "spinodoid, 40% solid, three times stiffer along z"
        let reply1 = """
            {"score": 4, "summary": "too soft along z", "issues": ["E_z/E_across is far below 3"],
             "adjustments": [{"parameter": "cone_angle_x_deg", "value": 120, "reason": "wide cones across z"},
                             {"parameter": "cone_angle_z_deg", "value": 0, "reason": "columns stay along z"},
                             {"parameter": "solid_fraction", "change": "+0.05", "reason": "stiffer"}]}
            """
        let server = try ScriptedChatServer([.completion(reply1),
                                             .completion(#"{"score": 9, "summary": "good", "issues": [], "adjustments": []}"#)])
        var options = Self.options
        options.images = ImageOptions(views: [.iso], size: 160)
        var start = try LocalDescriber().describe(prompt).recipe
        start.size = GridSize(cube: 48)
        let folder = TestSupport.temporaryFolder()
        let critic = ModelCritic(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let summary = try Iteration.run(target: prompt, start: start, into: folder, rounds: 2, options: options, critic: critic)
        #expect(summary.rounds.count == 2)
        let request = try #require(server.received.first?.json)
        let content = try #require((request["messages"] as? [[String: Any]])?.last?["content"] as? [[String: Any]])
        let text = try #require(content.compactMap { $0["text"] as? String }.first)
        #expect(text.contains("What the structure does"))
        #expect(text.contains("Targets (measured, then asked):") && text.contains("E_z/E_across = 3 ± 10%"))
        #expect(text.contains("Young's modulus E_x, E_y, E_z (GPa)") && text.contains("permeability k_x, k_y, k_z"))
        #expect(text.contains("directional Young's modulus"))
        #expect(text.contains("- cone_angle_z_deg: 0 to 90"))
        // One picture, the three-panel sheet.
        let images = content.filter { $0["type"] as? String == "image_url" }
        #expect(images.count == 1)
        let url = try #require((images.first?["image_url"] as? [String: Any])?["url"] as? String)
        let png = try #require(Data(base64Encoded: String(url.drop { $0 != "," }.dropFirst())))
        let pictureURL = folder.appendingPathComponent("sent.png")
        try png.write(to: pictureURL)
        let picture = try PNGCodec.readRGB(pictureURL)
        #expect(picture.width == 960 && picture.height == 440)
        // The describer started in columns along z; round 2 took the model's steps, the
        // out-of-range cone clamped to 90°.
        #expect(start.coneAnglesDeg == [58.6, 58.6, 0])
        let recipe2 = try RecipeFile.decode(folder.appendingPathComponent("rounds/02/recipe.json"))
        #expect(recipe2.coneAnglesDeg == [90, 58.6, 0])
        #expect(abs(recipe2.solidFraction - 0.45) < 1e-9)
        let round2 = try #require(summary.rounds.last)
        #expect(round2.changesFrom == "critic")
        #expect(round2.warnings.contains { $0.contains("cone_angle_x_deg 120 is outside") && $0.contains("clamped to 90") })
    }

    @Test("--atlas starts from the batch variant nearest the property target, in the target's size and material")
    func atlasStart() throws {
        let sweep = """
            base: { prompt: "spinodoid in resin, 10 mm cube" }
            size: 32
            grid:
              cone_angles_deg: ["20, 20, 0", "45, 45, 0", "0, 0, 30", "45, 45, 45"]
              solid_fraction: [0.35]
            seeds: [1]
            """
        let atlas = TestSupport.temporaryFolder()
        var options = BatchOptions()
        options.design.images = ImageOptions(enabled: false)
        _ = try BatchRun.run(try Sweep.load(try BatchTests.sweepFile(sweep)), into: atlas, options: options)
        let prompt = "spinodoid in titanium, three times stiffer along z"
        var start = try LocalDescriber().describe(prompt).recipe
        start.size = GridSize(cube: 48)
        let pick = try AtlasStart.nearest(in: atlas, target: prompt, start: start)
        // The nearest by hand: the variant whose E_z/E_across is closest to 3 (on the gap's scale).
        let rows = try BatchManifest.read(atlas).variants
        let expected = try #require(rows.min { a, b in
            func gap(_ r: ManifestRow) -> Double {
                let e = r.properties!.youngsModulusGPa
                return abs(e[2] / ((e[0] + e[1]) / 2) / 3 - 1)
            }
            return gap(a) < gap(b)
        })
        #expect(pick.variant == expected.id && pick.compared == 4)
        #expect(pick.recipe.family == .spinodoid && pick.recipe.coneAnglesDeg[2] == 0)
        #expect(pick.recipe.size == GridSize(cube: 48) && pick.recipe.material.name == "ti64" && pick.recipe.targets == start.targets)
        // Without property targets there is nothing to aim at.
        #expect { try AtlasStart.nearest(in: atlas, target: "spinodoid", start: Recipe.defaults) } throws: { error in
            "\(error)".contains("names no property")
        }
    }
}
