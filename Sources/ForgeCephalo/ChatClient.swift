import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request to the chat-completions endpoint and what came back, kept for the record
/// (headers, and so the API key, are not kept).
public struct ChatExchange: Sendable {
    /// The JSON body that was sent.
    public var requestBody: Data
    /// The last reply body received (nil when nothing came back).
    public var replyBody: Data?
    /// The HTTP status of the last reply (nil when nothing came back).
    public var status: Int?
    public var attempts: Int
}

/// A picture sent to the model.
public struct ChatImage: Sendable {
    public var name: String
    public var png: Data
    public init(name: String, png: Data) {
        self.name = name
        self.png = png
    }
}

/// A minimal OpenAI-compatible chat-completions client: one user message of text and PNG
/// images, retries with exponential backoff on 429, 5xx, timeouts and refused connections.
public struct ChatClient: Sendable {
    public let config: CephaloConfig
    /// Called before each retry with the reason (for progress output).
    public var onRetry: (@Sendable (String) -> Void)?

    public init(config: CephaloConfig) { self.config = config }

    /// The request body for `text` and `images`: image tags for the model family are put
    /// before the text; images follow as base64 PNG data URLs.
    public func requestBody(text: String, images: [ChatImage]) throws -> Data {
        var parts: [[String: Any]] = [["type": "text", "text": config.effectiveImageTags.tags(count: images.count) + text]]
        for image in images {
            parts.append(["type": "image_url",
                          "image_url": ["url": "data:image/png;base64," + image.png.base64EncodedString()]])
        }
        var body: [String: Any] = [
            "model": config.model,
            "messages": [["role": "user", "content": parts]],
            "max_tokens": config.maxTokens,
            "temperature": config.temperature,
            "top_p": config.topP,
            "stream": false,
        ]
        if config.jsonMode { body["response_format"] = ["type": "json_object"] }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// Sends one message and returns the reply's text. The exchange is recorded in
    /// `exchange` whether or not the call succeeds.
    public func complete(text: String, images: [ChatImage], exchange: inout ChatExchange?) throws(CephaloError) -> String {
        let body: Data
        do { body = try requestBody(text: text, images: images) } catch {
            throw .garbledReply(reason: "the request could not be encoded: \(error)")
        }
        var record = ChatExchange(requestBody: body, replyBody: nil, status: nil, attempts: 0)
        defer { exchange = record }
        var delay = config.backoffS
        var lastError: CephaloError = .emptyReply
        for attempt in 0...max(0, config.retries) {
            record.attempts = attempt + 1
            do {
                let (status, data) = try post(body)
                record.status = status
                record.replyBody = data
                return try Self.messageText(status: status, data: data, limit: config.maxReplyBytes)
            } catch {
                lastError = error
                guard error.isRetryable, attempt < config.retries else { throw error }
                onRetry?("\(error); retrying in \(String(format: "%.1f", delay)) s")
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
            }
        }
        throw lastError
    }

    /// The assistant's text from a chat-completions reply body.
    static func messageText(status: Int, data: Data, limit: Int) throws(CephaloError) -> String {
        guard data.count <= limit else { throw .replyTooLarge(bytes: data.count, limit: limit) }
        guard (200..<300).contains(status) else {
            throw .httpStatus(code: status, message: serverMessage(data))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .garbledReply(reason: "the body is not JSON: \"\(excerpt(data))\"")
        }
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first else {
            throw .garbledReply(reason: "no \"choices\"")
        }
        let message = first["message"] as? [String: Any]
        var text = message?["content"] as? String
        if text == nil, let parts = message?["content"] as? [[String: Any]] {
            text = parts.compactMap { $0["text"] as? String }.joined(separator: "\n")
        }
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyReply }
        return text
    }

    /// The error message of an OpenAI-style error body, or the start of the body.
    static func serverMessage(_ data: Data) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String ?? object["message"] as? String { return message }
        }
        return excerpt(data)
    }

    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(160), as: UTF8.self)
        return text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// One POST, waiting at most `timeoutS`.
    private func post(_ body: Data) throws(CephaloError) -> (Int, Data) {
        var request = URLRequest(url: config.endpoint, timeoutInterval: config.timeoutS)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = config.apiKey, !key.isEmpty { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = config.timeoutS
        configuration.timeoutIntervalForResource = config.timeoutS
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }
        task.resume()
        // The session's own timeout normally fires first; this bounds a stuck transfer.
        if done.wait(timeout: .now() + config.timeoutS + 5) == .timedOut {
            task.cancel()
            throw .timedOut(url: config.endpoint.absoluteString, seconds: config.timeoutS)
        }
        let (data, status, error) = box.get()
        if let error {
            let ns = error as NSError
            if ns.code == NSURLErrorTimedOut {
                throw .timedOut(url: config.endpoint.absoluteString, seconds: config.timeoutS)
            }
            throw .unreachable(url: config.endpoint.absoluteString, reason: ns.localizedDescription)
        }
        guard let status else { throw .garbledReply(reason: "no HTTP response") }
        return (status, data ?? Data())
    }
}

private final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var status: Int?
    private var error: Error?

    func set(data: Data?, status: Int?, error: Error?) {
        lock.withLock {
            self.data = data
            self.status = status
            self.error = error
        }
    }

    func get() -> (Data?, Int?, Error?) { lock.withLock { (data, status, error) } }
}
