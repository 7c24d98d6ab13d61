import CephaloForge
import Foundation
import Testing

/// Scripted servers that enforce what the real servers do with images, tags and
/// `response_format` (see the README's serving table for the sources):
/// - mistral.rs before v0.7 (Phi-3-vision): one image per request (more panic the engine, a
///   500); the text must carry `<|image_N|>` for each image ("Total images must be the same as
///   the number of image tags."); `response_format` is not understood (before v0.8.19).
/// - mistral.rs from v0.9.1: it puts its own tag before the text for each image, so tags in
///   the text are counted twice and refused ("Phi3 prompt has 2 image tags but 1 images").
/// - vLLM: adds the tags the text lacks; more tags than images is refused; its old default
///   takes one image per prompt.
/// - TGI (Idefics2): renders one `<image>` per image part; `<image>` in the text is refused.
/// - llama.cpp server and Ollama (LLaVA): place the images themselves.
/// - a server that refuses `response_format` with a 400.
enum ServerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case mistralrsOld, mistralrsNew, vllm, vllmOldDefault, tgi, llamacpp, ollama, refusesResponseFormat

    var testDescription: String { rawValue }

    var model: String {
        switch self {
        case .tgi: return "lamm-mit/Cephalo-Idefics-2-vision-8b-beta"
        case .llamacpp, .ollama: return "llava-v1.6-mistral-7b"
        default: return "lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta"
        }
    }

    static let critiqueJSON = #"{"score": 5, "summary": "close", "issues": ["a little dense"], "#
        + #""adjustments": [{"parameter": "bandwidth", "change": "+0.01", "reason": "variety"}]}"#
    static let describeJSON = #"{"family": "spinodal", "wavelength_mm": 1.4, "name": "scripted"}"#

    /// The server's answer to `request`.
    func answer(_ request: ScriptedChatServer.Received) -> ScriptedChatServer.Reply {
        let body = request.json
        let parts = ((body["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]]) ?? []
        let text = parts.compactMap { $0["text"] as? String }.joined()
        let images = parts.filter { $0["type"] as? String == "image_url" }.count
        let phiTags = Set(Self.matches(#"<\|image_\d+\|>"#, in: text)).count
        let imageTags = Self.matches("<image>", in: text).count
        let wantsJSON = body["response_format"] != nil
        let reply = text.contains("Turn the description into generator settings") ? Self.describeJSON : Self.critiqueJSON
        switch self {
        case .mistralrsOld:
            if wantsJSON {
                return .error(422, "Failed to deserialize the JSON body into the target type: response_format: unknown field")
            }
            if images > 1 { return .error(500, "Can only process one image per batch") }
            if images > 0, phiTags != images { return .error(500, "Total images must be the same as the number of image tags.") }
        case .mistralrsNew:
            let total = phiTags + images
            if images > 0, total != images { return .error(400, "Phi3 prompt has \(total) image tags but \(images) images") }
        case .vllm, .vllmOldDefault:
            if self == .vllmOldDefault, images > 1 { return .error(400, "At most 1 image(s) may be provided in one request.") }
            if phiTags > images {
                return .error(400, "Found more image placeholders (\(phiTags)) in the prompt than images (\(images))")
            }
        case .tgi:
            if imageTags > 0 {
                return .error(422, "Input validation error: the number of image tokens (\(imageTags + images)) does not match the number of images (\(images))")
            }
        case .llamacpp, .ollama:
            break
        case .refusesResponseFormat:
            if wantsJSON { return .error(400, "unknown field `response_format`") }
        }
        return .completion(reply)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }
}

@Suite("Cephalo against the real servers' rules", .serialized)
struct ServerRulesTests {
    static func config(_ server: ScriptedChatServer, _ kind: ServerKind, memory: ServerMemory) -> CephaloConfig {
        var config = testConfig(server, model: kind.model)
        config.memory = memory
        return config
    }

    static let picture = ChatImage(name: "input.png", png: try! PNGCodec.encode(RGBImage(width: 40, height: 40)))

    @Test("describe, critique and a 3-round iterate succeed with the default flags", arguments: ServerKind.allCases)
    func defaultsWork(kind: ServerKind) throws {
        let server = try ScriptedChatServer { kind.answer($0) }
        let memory = ServerMemory(file: TestSupport.temporaryFolder().appendingPathComponent("servers.json"))
        let client = ChatClient(config: Self.config(server, kind, memory: memory))
        var describer = ModelDescriber(client: client, templates: shippedTemplates)
        describer.image = Self.picture
        let described = try describer.describe("spinodal foam, 30% solid, 10 mm cube", size: GridSize(cube: 32))
        #expect(described.fromModel["wavelength_mm"] == "1.4", "\(kind): \(described.notes)")
        #expect(!described.notes.contains { $0.contains("failed") }, "\(described.notes)")

        var start = described.recipe
        start.size = GridSize(cube: 32)
        let folder = TestSupport.temporaryFolder("iterate-\(kind.rawValue)")
        let summary = try Iteration.run(target: "spinodal foam, 30% solid, wavelength 1.4 mm, 10 mm cube", start: start,
                                        into: folder, rounds: 3, options: IterateTests.fastOptions,
                                        critic: ModelCritic(client: client, templates: shippedTemplates))
        #expect(summary.rounds.count >= 2)
        for round in summary.rounds {
            #expect(round.critic.hasPrefix("cephalo"), "\(kind) round \(round.round): \(round.warnings)")
        }
        // Every critique request carried exactly one picture.
        let critiques = server.received.filter { !String(decoding: $0.body, as: UTF8.self).contains("Turn the description") }
        #expect(!critiques.isEmpty)
        for request in critiques {
            let parts = (request.json["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]] ?? []
            #expect(parts.filter { $0["type"] as? String == "image_url" }.count == 1)
        }
    }

    @Test("old mistral.rs: the refusal of untagged images teaches phi3 tags, remembered for the next run")
    func tagsAreLearntAndRemembered() throws {
        let server = try ScriptedChatServer { ServerKind.mistralrsOld.answer($0) }
        let memoryFile = TestSupport.temporaryFolder().appendingPathComponent("servers.json")
        var exchange: ChatExchange?
        let first = ChatClient(config: Self.config(server, .mistralrsOld, memory: ServerMemory(file: memoryFile)))
        _ = try first.complete(text: "Q", images: [Self.picture], exchange: &exchange)
        #expect(server.received.count == 2)
        #expect(exchange?.imageTags == .phi3)
        #expect(exchange?.notes.contains { $0.contains("refused no image tags") } == true)
        #expect(exchange?.notes.contains { $0.contains("remembered") } == true)
        // A new process reads the memory from disk and sends the tags at once.
        let second = ChatClient(config: Self.config(server, .mistralrsOld, memory: ServerMemory(file: memoryFile)))
        #expect(second.initialImageTags == .phi3)
        _ = try second.complete(text: "Q", images: [Self.picture], exchange: &exchange)
        #expect(server.received.count == 3)
        let text = ((server.received.last?.json["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])?.first?["text"] as? String
        #expect(text == "<|image_1|>\nQ")
        let saved = try String(contentsOf: memoryFile, encoding: .utf8)
        #expect(saved.contains("\"image_tags\" : \"phi3\"") && !saved.contains("sk-test"))
    }

    @Test("new mistral.rs: remembered tags that it refuses are dropped again")
    func rememberedTagsCanBeUnlearnt() throws {
        let server = try ScriptedChatServer { ServerKind.mistralrsNew.answer($0) }
        let memory = ServerMemory(file: TestSupport.temporaryFolder().appendingPathComponent("servers.json"))
        let config = Self.config(server, .mistralrsNew, memory: memory)
        memory.update(config.displayURL) { $0.imageTags = .phi3 }
        var exchange: ChatExchange?
        _ = try ChatClient(config: config).complete(text: "Q", images: [Self.picture], exchange: &exchange)
        #expect(server.received.count == 2 && exchange?.imageTags == ImageTagStyle.none)
        #expect(memory.entry(for: config.displayURL).imageTags == ImageTagStyle.none)
    }

    @Test("--json-mode: a server that refuses response_format gets the plain prompt once, and is remembered", arguments: [
        ServerKind.refusesResponseFormat, .mistralrsOld,
    ])
    func jsonModeFallsBack(kind: ServerKind) throws {
        let server = try ScriptedChatServer { kind.answer($0) }
        let memory = ServerMemory(file: TestSupport.temporaryFolder().appendingPathComponent("servers.json"))
        var config = Self.config(server, kind, memory: memory)
        config.jsonMode = true
        let critic = ModelCritic(client: ChatClient(config: config), templates: shippedTemplates)
        let outcome = critic.critique(try CephaloLoopTests.request(measuredFraction: 0.3))
        #expect(outcome.critic.hasPrefix("cephalo"), "\(outcome.warnings)")
        #expect(outcome.warnings.filter { $0.contains("refused response_format") }.count == 1)
        #expect(memory.entry(for: config.displayURL).refusesJSONMode == true)
        let sent = server.received.count
        // The next request goes without response_format straight away, and says nothing.
        let again = critic.critique(try CephaloLoopTests.request(measuredFraction: 0.3))
        #expect(server.received.count == sent + 1 && server.received.last?.json["response_format"] == nil)
        #expect(!again.warnings.contains { $0.contains("response_format") })
    }
}
