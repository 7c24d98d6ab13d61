import ArgumentParser
import CephaloForge
import Foundation

/// Where Cephalo runs. Without a URL (flag or CEPHALO_BASE_URL) the local describer and
/// critic are used.
struct CephaloOptions: ParsableArguments {
    @Option(name: .customLong("cephalo-url"), help: ArgumentHelp(
        "Base URL of an OpenAI-compatible server, e.g. http://localhost:1234/v1 (default: $CEPHALO_BASE_URL; "
            + "none = local describer and critic). The API key comes from $CEPHALO_API_KEY.", valueName: "url"))
    var cephaloURL: String?

    @Option(name: .long, help: ArgumentHelp("Model name (default: $CEPHALO_MODEL or \(CephaloConfig.defaultModel)).",
                                            valueName: "name"))
    var model: String?

    @Option(name: .customLong("image-tags"), help: ArgumentHelp(
        "Image tags in the text: auto (none, unless the server refuses that; what works is remembered per server), "
            + "none, phi3 (<|image_1|>), idefics2 (<image>) or llava (<image> per line).",
        valueName: "style"))
    var imageTags = "auto"

    @Option(name: .customLong("prompt-dir"), help: ArgumentHelp(
        "Folder with describe.md and critique.md (default Templates/prompts).", valueName: "dir"))
    var promptDir: String?

    @Option(name: .long, help: ArgumentHelp(
        "Seconds one model request may take, reply included; a request that runs out is not sent again.", valueName: "s"))
    var timeout = 300.0

    @Option(name: .long, help: ArgumentHelp("Retries after 429, 5xx or refused connections (Retry-After is honoured up to 60 s).",
                                            valueName: "n"))
    var retries = 2

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Most tokens in a reply.", valueName: "n"))
    var maxTokens = 1024

    @Option(name: .long, help: ArgumentHelp("Sampling temperature.", valueName: "t"))
    var temperature = 0.1

    @Option(name: .customLong("top-p"), help: ArgumentHelp("Nucleus sampling mass.", valueName: "p"))
    var topP = 0.95

    @Flag(name: .customLong("json-mode"), help: ArgumentHelp(
        "Send response_format json_object; a server that refuses it gets the plain prompt (once, then remembered)."))
    var jsonMode = false

    func validate() throws {
        guard ImageTagStyle(rawValue: imageTags) != nil else {
            throw ValidationError("--image-tags must be one of " + ImageTagStyle.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard timeout > 0, timeout <= 86_400, (0...10).contains(retries), (1...1_000_000).contains(maxTokens),
              (0...2).contains(temperature), (0...1).contains(topP) else {
            throw ValidationError("--timeout must lie in (0, 86400] s, --max-tokens in 1…1000000, --retries 0…10, "
                                  + "--temperature 0…2, --top-p 0…1")
        }
        if let promptDir, !FileManager.default.fileExists(atPath: promptDir) {
            throw ValidationError("--prompt-dir \(promptDir) does not exist")
        }
    }

    func setup() throws -> CephaloSetup {
        var setup = try CephaloSetup.fromEnvironment(url: cephaloURL, model: model)
        if var config = setup.config {
            config.timeoutS = timeout
            config.retries = retries
            config.maxTokens = maxTokens
            config.temperature = temperature
            config.topP = topP
            config.jsonMode = jsonMode
            config.imageTags = ImageTagStyle(rawValue: imageTags) ?? .auto
            setup.config = config
        }
        setup.promptFolder = promptDir.map { URL(fileURLWithPath: $0) }
        setup.onRetry = { printError("cephalo: \($0)") }
        return setup
    }
}
