import ForgeCephalo
import ForgeFormats
import Foundation

/// Which describer and critic a run uses: Cephalo behind an OpenAI-compatible server when a
/// base URL is configured, the local ones otherwise.
public struct CephaloSetup: Sendable {
    /// nil: everything local.
    public var config: CephaloConfig?
    /// Folder with describe.md and critique.md (Templates/prompts when nil).
    public var promptFolder: URL?
    /// Called before each retry of a model call.
    public var onRetry: (@Sendable (String) -> Void)?

    public init(config: CephaloConfig? = nil, promptFolder: URL? = nil) {
        self.config = config
        self.promptFolder = promptFolder
    }

    /// Reads `CEPHALO_BASE_URL`, `CEPHALO_MODEL` and `CEPHALO_API_KEY`; `url` and `model`
    /// (from flags) take precedence. No URL anywhere means local.
    public static func fromEnvironment(url: String? = nil, model: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CephaloSetup {
        guard let text = url ?? environment["CEPHALO_BASE_URL"], !text.isEmpty else { return CephaloSetup() }
        guard let base = URL(string: text), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
            throw PipelineError.badCephaloURL(text)
        }
        let name = model ?? environment["CEPHALO_MODEL"] ?? CephaloConfig.defaultModel
        return CephaloSetup(config: CephaloConfig(baseURL: base, model: name, apiKey: environment["CEPHALO_API_KEY"]))
    }

    public var isLocal: Bool { config == nil }

    func templates() throws -> PromptTemplates {
        guard let folder = promptFolder ?? TemplateFolders.promptFolder() else {
            throw CephaloError.templateMissing(path: "Templates/prompts/critique.md")
        }
        return try PromptTemplates(folder: folder)
    }

    func client() -> ChatClient? {
        guard let config else { return nil }
        var client = ChatClient(config: config)
        client.onRetry = onRetry
        return client
    }

    public func describer(image: ChatImage? = nil) throws -> any Describer {
        guard let client = client() else { return LocalDescriber() }
        return ModelDescriber(client: client, templates: try templates(), image: image)
    }

    public func critic() throws -> any Critic {
        guard let client = client() else { return LocalCritic() }
        return ModelCritic(client: client, templates: try templates())
    }
}

/// Writes a model exchange beside a design: `<stem>-request.json` (the body that was sent;
/// headers, and so the API key, are not kept) and `<stem>-reply.json` (or `.txt` when the
/// reply was not JSON).
public enum ExchangeRecord {
    public static func write(_ exchange: ChatExchange, into folder: URL, stem: String) throws {
        try AtomicFile.write(exchange.requestBody, to: folder.appendingPathComponent("\(stem)-request.json"))
        if let reply = exchange.replyBody {
            let isJSON = (try? JSONSerialization.jsonObject(with: reply)) != nil
            try AtomicFile.write(reply, to: folder.appendingPathComponent("\(stem)-reply.\(isJSON ? "json" : "txt")"))
        }
    }
}
