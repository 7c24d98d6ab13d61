import Foundation

/// How to reach a Cephalo model behind an OpenAI-compatible chat-completions API.
public struct CephaloConfig: Sendable {
    /// The API root, e.g. http://localhost:1234/v1 (requests go to {base}/chat/completions).
    public var baseURL: URL
    public var model: String
    /// Sent as a bearer token; never written to disk or logs.
    public var apiKey: String?
    /// Seconds to wait for one reply.
    public var timeoutS: Double = 120
    /// Further attempts after a 429, a 5xx, a timeout or a refused connection.
    public var retries: Int = 2
    /// Seconds before the first retry; doubled for each further one.
    public var backoffS: Double = 1
    public var maxTokens: Int = 1024
    public var temperature: Double = 0.1
    public var topP: Double = 0.95
    /// Ask for `response_format: {"type": "json_object"}` (only for servers that support it).
    public var jsonMode: Bool = false
    /// How images are announced in the text; nil picks by model name.
    public var imageTags: ImageTagStyle?
    /// Replies larger than this are refused.
    public var maxReplyBytes: Int = 4 << 20

    public init(baseURL: URL, model: String, apiKey: String? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
    }

    /// The model used when none is named.
    public static let defaultModel = "lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta"

    /// The tag style in effect: the configured one, or the model family's.
    public var effectiveImageTags: ImageTagStyle { imageTags ?? ImageTagStyle(modelName: model) }

    /// The chat-completions endpoint.
    public var endpoint: URL {
        baseURL.appendingPathComponent("chat/completions")
    }
}

/// How a model expects images to be referred to in the text of a message.
public enum ImageTagStyle: String, Sendable, CaseIterable {
    /// Phi-3-vision: `<|image_1|>`, `<|image_2|>`, … at the start of the text.
    case phi3
    /// Idefics2: one `<image>` per image.
    case idefics2
    /// No tags (servers that place images themselves).
    case none

    /// Phi-3-vision for names containing "phi", Idefics2 for "idefics", otherwise none.
    public init(modelName: String) {
        let name = modelName.lowercased()
        if name.contains("phi") {
            self = .phi3
        } else if name.contains("idefics") {
            self = .idefics2
        } else {
            self = .none
        }
    }

    /// The tags for `count` images, one per line, ending with a newline (empty for none).
    public func tags(count: Int) -> String {
        guard count > 0 else { return "" }
        switch self {
        case .phi3: return (1...count).map { "<|image_\($0)|>" }.joined(separator: "\n") + "\n"
        case .idefics2: return String(repeating: "<image>", count: count) + "\n"
        case .none: return ""
        }
    }
}
