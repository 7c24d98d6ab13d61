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
        "Image placeholders in the text: phi3 (<|image_1|>), idefics2 (<image>) or none; default from the model name.",
        valueName: "style"))
    var imageTags: String?

    @Option(name: .customLong("prompt-dir"), help: ArgumentHelp(
        "Folder with describe.md and critique.md (default Templates/prompts).", valueName: "dir"))
    var promptDir: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for one model reply.", valueName: "s"))
    var timeout = 120.0

    @Option(name: .long, help: ArgumentHelp("Retries after 429, 5xx, timeouts or refused connections.", valueName: "n"))
    var retries = 2

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Most tokens in a reply.", valueName: "n"))
    var maxTokens = 1024

    @Option(name: .long, help: ArgumentHelp("Sampling temperature.", valueName: "t"))
    var temperature = 0.1

    @Option(name: .customLong("top-p"), help: ArgumentHelp("Nucleus sampling mass.", valueName: "p"))
    var topP = 0.95

    @Flag(name: .customLong("json-mode"), help: "Send response_format json_object (only for servers that support it).")
    var jsonMode = false

    func validate() throws {
        if let imageTags, ImageTagStyle(rawValue: imageTags) == nil {
            throw ValidationError("--image-tags must be phi3, idefics2 or none")
        }
        guard timeout > 0, (0...10).contains(retries), maxTokens > 0, (0...2).contains(temperature), (0...1).contains(topP) else {
            throw ValidationError("--timeout and --max-tokens must be positive, --retries 0…10, --temperature 0…2, --top-p 0…1")
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
            config.imageTags = imageTags.flatMap(ImageTagStyle.init(rawValue:))
            setup.config = config
        }
        setup.promptFolder = promptDir.map { URL(fileURLWithPath: $0) }
        setup.onRetry = { printError("cephalo: \($0)") }
        return setup
    }
}
