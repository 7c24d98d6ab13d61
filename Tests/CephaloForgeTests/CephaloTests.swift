import CephaloForge
import Foundation
import Testing

/// The prompt templates shipped in Templates/prompts, found from the package root.
let shippedTemplates: PromptTemplates = {
    var folder = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { folder.deleteLastPathComponent() }
    return try! PromptTemplates(folder: folder.appendingPathComponent("Templates/prompts"))
}()

func testConfig(_ server: ScriptedChatServer, model: String = "lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta") -> CephaloConfig {
    var config = CephaloConfig(baseURL: server.baseURL, model: model, apiKey: "sk-test-secret-123")
    config.timeoutS = 2
    config.retries = 2
    config.backoffS = 0.05
    config.memory = ServerMemory(file: TestSupport.temporaryFolder().appendingPathComponent("servers.json"))
    return config
}

let tinyPNG = ChatImage(name: "preview.png", png: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]))

@Suite("Cephalo client against a loopback chat-completions server", .serialized)
struct ChatClientTests {
    @Test("the request: endpoint, model, sampling, text without image tags by default, PNG data URLs, bearer key")
    func requestShape() throws {
        let server = try ScriptedChatServer([.completion("ok")])
        let client = ChatClient(config: testConfig(server))
        var exchange: ChatExchange?
        let text = try client.complete(text: "Describe this.", images: [tinyPNG, tinyPNG], exchange: &exchange)
        #expect(text == "ok")
        let r = try #require(server.received.first)
        #expect(r.method == "POST" && r.path == "/v1/chat/completions")
        #expect(r.headers["authorization"] == "Bearer sk-test-secret-123")
        #expect(r.headers["content-type"] == "application/json")
        let body = r.json
        #expect(body["model"] as? String == "lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta")
        #expect(body["max_tokens"] as? Int == 1024)
        #expect((body["temperature"] as? Double).map { abs($0 - 0.1) < 1e-9 } == true)
        #expect((body["top_p"] as? Double).map { abs($0 - 0.95) < 1e-9 } == true)
        #expect(body["response_format"] == nil)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.count == 1 && messages[0]["role"] as? String == "user")
        let parts = try #require(messages[0]["content"] as? [[String: Any]])
        #expect(parts.count == 3)
        #expect(parts[0]["type"] as? String == "text")
        #expect(parts[0]["text"] as? String == "Describe this.")
        for part in parts.dropFirst() {
            #expect(part["type"] as? String == "image_url")
            let url = try #require((part["image_url"] as? [String: Any])?["url"] as? String)
            #expect(url.hasPrefix("data:image/png;base64,"))
            #expect(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count))) == tinyPNG.png)
        }
        // The recorded request is the body only: the key is not in it.
        #expect(!String(decoding: exchange!.requestBody, as: UTF8.self).contains("sk-test-secret"))
    }

    @Test("explicit image tags are sent as asked, whatever the model", arguments: [
        ("HuggingFaceM4/idefics2-8b", ImageTagStyle.idefics2, "<image><image>\nQ"),
        ("lamm-mit/Cephalo-Idefics-2-vision-8b-beta", ImageTagStyle.auto, "Q"),
        ("lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta", ImageTagStyle.none, "Q"),
        ("llava-hf/llava-1.5-7b", ImageTagStyle.llava, "<image>\n<image>\nQ"),
        ("llava-hf/llava-1.5-7b", ImageTagStyle.phi3, "<|image_1|>\n<|image_2|>\nQ"),
    ])
    func placeholders(model: String, override: ImageTagStyle, expected: String) throws {
        let server = try ScriptedChatServer([.completion("ok")])
        var config = testConfig(server, model: model)
        config.imageTags = override
        config.jsonMode = true
        var exchange: ChatExchange?
        _ = try ChatClient(config: config).complete(text: "Q", images: [tinyPNG, tinyPNG], exchange: &exchange)
        let body = try #require(server.received.first).json
        let parts = try #require((body["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(parts[0]["text"] as? String == expected)
        #expect((body["response_format"] as? [String: Any])?["type"] as? String == "json_object")
    }

    @Test("a 500 and a 429 are retried with backoff, then the good reply is used")
    func retries() throws {
        let server = try ScriptedChatServer([.error(500, "boom"), .error(429, "slow down"), .completion("fine")])
        var exchange: ChatExchange?
        let text = try ChatClient(config: testConfig(server)).complete(text: "Q", images: [], exchange: &exchange)
        #expect(text == "fine")
        #expect(server.received.count == 3 && exchange?.attempts == 3)
    }

    @Test("failures give clear errors; only retryable ones are retried")
    func failures() throws {
        func outcome(_ replies: [ScriptedChatServer.Reply], configure: (inout CephaloConfig) -> Void = { _ in })
            throws -> (error: CephaloError?, requests: Int) {
            let server = try ScriptedChatServer(replies)
            var config = testConfig(server)
            configure(&config)
            var exchange: ChatExchange?
            do {
                _ = try ChatClient(config: config).complete(text: "Q", images: [], exchange: &exchange)
                return (nil, server.received.count)
            } catch {
                return (error, server.received.count)
            }
        }
        var r = try outcome([.error(500, "model crashed")])
        #expect(r.requests == 3)
        #expect(r.error == .httpStatus(code: 500, message: "model crashed", retryAfterS: nil))
        #expect(r.error!.description.contains("HTTP 500: model crashed"))
        r = try outcome([.error(429, "rate")])
        #expect(r.requests == 3 && r.error == .httpStatus(code: 429, message: "rate", retryAfterS: nil))
        r = try outcome([.error(400, "bad image")])
        #expect(r.requests == 1 && r.error == .httpStatus(code: 400, message: "bad image", retryAfterS: nil))
        r = try outcome([.error(401, "no key")])
        #expect(r.requests == 1 && r.error!.description.contains("CEPHALO_API_KEY"))
        r = try outcome([ScriptedChatServer.Reply(body: "<html>gateway</html>")])
        #expect(r.requests == 1)
        if case .garbledReply = r.error {} else { Issue.record("expected garbled, got \(String(describing: r.error))") }
        r = try outcome([.completion("   ")])
        #expect(r.error == .emptyReply)
        r = try outcome([ScriptedChatServer.Reply(body: #"{"choices": []}"#)])
        if case .garbledReply = r.error {} else { Issue.record("expected garbled, got \(String(describing: r.error))") }
        r = try outcome([.completion(String(repeating: "x", count: 5000))]) { $0.maxReplyBytes = 1000 }
        if case .replyTooLarge = r.error {} else { Issue.record("expected too large, got \(String(describing: r.error))") }
        r = try outcome([ScriptedChatServer.Reply(body: "{}", delayS: 3), .completion("late")]) { $0.timeoutS = 1; $0.retries = 0 }
        if case .timedOut = r.error {} else { Issue.record("expected a timeout, got \(String(describing: r.error))") }
        // A request that timed out is not sent again: the server may still be working on it.
        r = try outcome([ScriptedChatServer.Reply(body: "{}", delayS: 3), .completion("second try")]) { $0.timeoutS = 1; $0.retries = 2 }
        if case .timedOut = r.error {} else { Issue.record("expected a timeout, got \(String(describing: r.error))") }
        #expect(r.requests == 1)
    }

    @Test("an unreachable server is retried, then reported")
    func unreachable() throws {
        let server = try ScriptedChatServer([.completion("never")])
        let config = testConfig(server)
        server.stop()
        var exchange: ChatExchange?
        #expect {
            try ChatClient(config: config).complete(text: "Q", images: [], exchange: &exchange)
        } throws: { error in
            guard case .unreachable = error as? CephaloError else { return false }
            return "\(error)".contains("cannot be reached")
        }
        #expect(exchange?.attempts == 3 && exchange?.status == nil)
    }
}

@Suite("JSON in chatty replies")
struct JSONExtractionTests {
    @Test("fences, prose around, trailing commas, smart quotes, Python literals", arguments: [
        "{\"score\": 7, \"summary\": \"ok\"}",
        "Sure! Here is my assessment:\n```json\n{\"score\": 7, \"summary\": \"ok\",}\n```\nLet me know.",
        "I think {\"score\": 7, \"summary\": \"ok\", \"issues\": [\"a\",],} is fair.",
        "```\n{“score”: 7, “summary”: “ok”}\n```",
        "Result: {'x': 1} no wait: {\"score\": 7, \"summary\": \"ok\", \"satisfied\": False}",
    ])
    func extracts(text: String) throws {
        let object = try #require(JSONExtraction.object(in: text))
        #expect((object["score"] as? NSNumber)?.intValue == 7)
        #expect(object["summary"] as? String == "ok")
    }

    @Test("no object, or braces that never close, give nil")
    func nothing() {
        #expect(JSONExtraction.object(in: "The structure looks good, score 8.") == nil)
        #expect(JSONExtraction.object(in: "{\"score\": 7, \"summary\": ") == nil)
    }
}

@Suite("Describing and critiquing through Cephalo", .serialized)
struct CephaloLoopTests {
    @Test("describe: a chatty reply's values are merged over the local describer's and clamped")
    func describeMerges() throws {
        let reply = """
            Looking at the description, this is a bone-like scaffold. Here are the settings:
            ```json
            {"family": "Spinodal", "solid_fraction": 0.99, "wavelength_mm": 2.5, "colour": "white", "mode": 7,}
            ```
            """
        let server = try ScriptedChatServer([.completion(reply)])
        let describer = ModelDescriber(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let d = try describer.describe("an unusual microstructure, 8 mm cube")
        #expect(d.recipe.family == .spinodal)
        #expect(d.recipe.solidFraction == 0.95)
        #expect(d.recipe.wavelengthMM == 2.5)
        #expect(d.recipe.extentMM == 8)
        #expect(d.fromModel["solid_fraction"] == "0.95" && d.fromModel["family"] == "spinodal")
        #expect(d.fromPrompt["extent_mm"] != nil && d.fromPrompt["solid_fraction"] == nil)
        #expect(d.notes.contains { $0.contains("clamped to 0.95") })
        #expect(d.notes.contains { $0.contains("'colour'") })
        #expect(d.notes.contains { $0.contains("mode") })
        let text = try #require((server.received.first?.json["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])[0]["text"] as? String
        #expect(text?.contains("an unusual microstructure, 8 mm cube") == true)
        #expect(text?.contains("solid_fraction") == true)
    }

    @Test("describe: what the prompt states wins over the model's reply, and each conflict is said and recorded")
    func promptWins() throws {
        let server = try ScriptedChatServer([.completion(#"{"solid_fraction": 0.7, "family": "gyroid", "wavelength_mm": 0.9, "extent_mm": 10}"#)])
        let describer = ModelDescriber(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let d = try describer.describe("spinodal foam, 70% porosity, 10 mm cube")
        #expect(abs(d.recipe.solidFraction - 0.3) < 1e-12 && d.recipe.family == .spinodal)
        #expect(d.recipe.wavelengthMM == 0.9 && d.fromModel["wavelength_mm"] == "0.9")
        #expect(d.conflicts.map(\.key).sorted() == ["family", "solid_fraction"])
        let fraction = try #require(d.conflicts.first { $0.key == "solid_fraction" })
        #expect(fraction.kept == "0.3" && fraction.model == "0.7" && fraction.words.contains("70% porosity"))
        #expect(d.notes.contains { $0.contains("the prompt says solid_fraction = 0.3") && $0.contains("Cephalo said 0.7") })
        // "foam" only implies a wavelength, which the model may refine; extent_mm agrees: no conflict.
        #expect(!d.conflicts.contains { $0.key == "extent_mm" })
    }

    @Test("describe: values are judged at the --size given, not the default size")
    func describeJudgesTheGivenSize() throws {
        let server = try ScriptedChatServer([.completion(#"{"wavelength_mm": 0.3}"#)])
        let describer = ModelDescriber(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        // At 32 voxels over 10 mm a voxel is 0.3125 mm: 0.3 mm is below four voxels and is clamped up.
        let d = try describer.describe("foam, 10 mm cube", size: GridSize(cube: 32))
        #expect(d.recipe.size == GridSize(cube: 32))
        #expect(abs(d.recipe.wavelengthMM - 1.25) < 1e-9)
        #expect(d.notes.contains { $0.contains("clamped") })
        #expect(throws: Never.self) { try d.recipe.validate() }
    }

    @Test("describe falls back to the local describer, saying so, when the reply is unusable",
          arguments: [ScriptedChatServer.Reply.completion("I cannot help with that."),
                      .completion("{\"solid_fraction\": \"lots\"}"), .error(404, "no such model")])
    func describeFallsBack(reply: ScriptedChatServer.Reply) throws {
        let server = try ScriptedChatServer([reply])
        let describer = ModelDescriber(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let d = try describer.describe("spinodal foam, 30% solid, 10 mm cube")
        let local = try LocalDescriber().describe("spinodal foam, 30% solid, 10 mm cube")
        #expect(d.recipe == local.recipe)
        #expect(d.notes.contains { $0.contains("the local describer's recipe is used") })
    }

    static func request(measuredFraction: Double) throws -> CritiqueRequest {
        let target = try LocalDescriber().describe("spinodal foam, 30% solid, wavelength 2 mm, 10 mm cube")
        let measures = DesignMeasures(solidFraction: measuredFraction, characteristicLengthMM: 2.0, correlationLengthsMM: [0.5, 0.5, 0.5],
                                      anisotropyRatio: 1.02, layerSolidFractions: nil, solidBodies: 1, enclosedVoids: 0,
                                      solidThicknessP5MM: 0.4, poreThicknessP5MM: 0.6, watertight: true, printable: true,
                                      printabilityReasons: [])
        return CritiqueRequest(target: "spinodal foam, 30% solid, wavelength 2 mm, 10 mm cube", targetDescription: target,
                               recipe: target.recipe, measures: measures, images: [tinyPNG])
    }

    @Test("critique: the model's JSON becomes a critique; relative changes are kept")
    func modelCritique() throws {
        let reply = """
            The render shows a bicontinuous foam. {"score": "6/10", "summary": "too dense", "issues": "struts too thick",
            "adjustments": [{"parameter": "solid_fraction", "change": "-10%", "reason": "thinner struts"},
                            {"parameter": "wavelength_mm", "value": 1.8, "reason": "finer"}, {"reason": "no parameter"}]}
            """
        let server = try ScriptedChatServer([.completion(reply)])
        let critic = ModelCritic(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let outcome = critic.critique(try Self.request(measuredFraction: 0.36))
        #expect(outcome.critic == "cephalo lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta")
        #expect(outcome.critique.score == 6 && outcome.critique.summary == "too dense")
        #expect(outcome.critique.issues == ["struts too thick"])
        #expect(outcome.critique.adjustments.map(\.parameter) == ["solid_fraction", "wavelength_mm"])
        #expect(outcome.critique.adjustments[0].requested == .scale(0.9))
        #expect(outcome.warnings.contains { $0.contains("without a parameter") })
        var recipe = Recipe.defaults
        var warnings: [String] = []
        recipe.solidFraction = 0.4
        try RecipeAdjuster.apply("solid_fraction", outcome.critique.adjustments[0].requested!, to: &recipe, warnings: &warnings)
        #expect(abs(recipe.solidFraction - 0.36) < 1e-12)
        let text = try #require((server.received.first?.json["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])[0]["text"] as? String
        #expect(text?.hasPrefix("<|image_1|>") == false)
        #expect(text?.contains("\"solid_fraction\" : 0.36") == true)
        #expect(text?.contains("a shaded 3D render") == true)
        // The user's parameters are not offered to the model.
        #expect(text?.contains("- extent_mm") == false && text?.contains("- seed") == false)
        #expect(text?.contains("- wavelength_mm") == true)
    }

    @Test("critique falls back to the local critic on every failure, saying why", arguments: [
        [ScriptedChatServer.Reply.completion("Looks great to me!")],
        [.completion("{\"score\": \"excellent\", \"summary\": 3}")],
        [.error(503, "overloaded")],
        [ScriptedChatServer.Reply(body: "not json at all")],
    ])
    func critiqueFallsBack(replies: [ScriptedChatServer.Reply]) throws {
        let server = try ScriptedChatServer(replies)
        let critic = ModelCritic(client: ChatClient(config: testConfig(server)), templates: shippedTemplates)
        let outcome = critic.critique(try Self.request(measuredFraction: 0.40))
        #expect(outcome.critic == "local")
        #expect(outcome.warnings.first?.contains("Cephalo critique failed") == true)
        #expect(outcome.critique.adjustments.contains { $0.parameter == "solid_fraction" && $0.value == .number(0.2) })
        #expect(outcome.exchange != nil)
    }

    @Test("the local critic: satisfied on target; fraction and size gaps become adjustments")
    func localCritic() throws {
        let good = LocalCritic().critique(try Self.request(measuredFraction: 0.305)).critique
        #expect(good.satisfied && good.score == 10 && good.adjustments.isEmpty)
        var request = try Self.request(measuredFraction: 0.5)
        request.measures.characteristicLengthMM = 4
        request.recipe.solidFraction = 0.5
        request.recipe.wavelengthMM = 4
        let bad = LocalCritic().critique(request).critique
        #expect(!bad.satisfied && bad.score < 5)
        #expect(bad.adjustments.contains { $0.parameter == "solid_fraction" && $0.value == .number(0.3) })
        #expect(bad.adjustments.contains { $0.parameter == "wavelength_mm" && $0.value == .number(2) })
    }
}
