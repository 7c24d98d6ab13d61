import Foundation

/// How to reach a Cephalo model behind an OpenAI-compatible chat-completions API.
public struct CephaloConfig: Sendable {
    /// The API root, e.g. http://localhost:1234/v1 (requests go to {base}/chat/completions).
    public var baseURL: URL
    public var model: String
    /// Sent as a bearer token; never written to disk or logs.
    public var apiKey: String?
    /// Seconds one request may take, from connecting to the last byte of the reply. A heavy
    /// vision request on a busy GPU can take minutes; a request that runs out of time is
    /// not sent again, since the server may still be working on it.
    public var timeoutS: Double = 300
    /// Further attempts after a 429, a 5xx or a refused connection.
    public var retries: Int = 2
    /// The longest `Retry-After` that is waited for; a longer one ends the attempts.
    public var maxRetryAfterS: Double = 60
    /// Seconds before the first retry; doubled for each further one.
    public var backoffS: Double = 1
    public var maxTokens: Int = 1024
    public var temperature: Double = 0.1
    public var topP: Double = 0.95
    /// Ask for `response_format: {"type": "json_object"}`; a server that refuses the field
    /// gets the plain request once, and is remembered as refusing it.
    public var jsonMode: Bool = false
    /// How images are announced in the text (`auto`: as the server has been seen to want).
    public var imageTags: ImageTagStyle = .auto
    /// What is remembered about servers between runs (nil: nothing is remembered).
    public var memory: ServerMemory? = ServerMemory.shared
    /// Replies larger than this are refused.
    public var maxReplyBytes: Int = 4 << 20

    public init(baseURL: URL, model: String, apiKey: String? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
    }

    /// The model used when none is named.
    public static let defaultModel = "lamm-mit/Cephalo-Phi-3-vision-128k-4b-beta"

    /// The chat-completions endpoint, without user-info.
    public var endpoint: URL {
        Self.withoutUserInfo(baseURL).appendingPathComponent("chat/completions")
    }

    /// The base URL as it may be printed or remembered: without a user name or password.
    public var displayURL: String { Self.displayString(baseURL) }

    /// `user:password@` from the base URL, when it has one (sent as HTTP basic
    /// authentication when no API key is set).
    public var userInfo: (user: String, password: String)? {
        guard let components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false),
              let user = components.user, !user.isEmpty else { return nil }
        return (user, components.password ?? "")
    }

    static func withoutUserInfo(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
              components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.url ?? url
    }

    /// `url` without user-info, for messages and records.
    public static func displayString(_ url: URL) -> String { withoutUserInfo(url).absoluteString }
}
