import Foundation

/// One request to the chat-completions endpoint and what came back, kept for the record
/// (headers, and so the API key, are not kept).
public struct ChatExchange: Sendable {
    /// The JSON body that was sent last.
    public var requestBody: Data
    /// The last reply body received (nil when nothing came back).
    public var replyBody: Data?
    /// The HTTP status of the last reply (nil when nothing came back).
    public var status: Int?
    public var attempts: Int
    /// The image tags the last request carried.
    public var imageTags: ImageTagStyle = .none
    /// What the client changed to be understood (other image tags, no `response_format`).
    public var notes: [String] = []
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

/// An OpenAI-compatible chat-completions client: one user message of text and PNG images.
///
/// - Retries after 429, 5xx and refused connections, waiting as `Retry-After` asks (up to
///   `maxRetryAfterS`) or with exponential backoff; a request that timed out is not sent
///   again, since the server may still be working on it.
/// - With `imageTags` `auto`, a refusal that names image tags is answered by one retry with
///   the other convention (the model family's tags, or none), and what worked is remembered
///   for the server. With `jsonMode`, a 400 or 422 is answered by one retry without
///   `response_format`, and the server is remembered as refusing it.
/// - Redirects are followed only to the same scheme, host and port (307 and 308, which keep
///   the POST); credentials never go anywhere else.
public struct ChatClient: Sendable {
    public let config: CephaloConfig
    /// Called before each retry with the reason (for progress output).
    public var onRetry: (@Sendable (String) -> Void)?

    public init(config: CephaloConfig) { self.config = config }

    /// The request body for `text` and `images` with `tags` before the text; images follow
    /// as base64 PNG data URLs.
    public func requestBody(text: String, images: [ChatImage], tags: ImageTagStyle, jsonMode: Bool) throws -> Data {
        var parts: [[String: Any]] = [["type": "text", "text": tags.tags(count: images.count) + text]]
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
        if jsonMode { body["response_format"] = ["type": "json_object"] }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// The tags the first request carries: the configured style, or for `auto` what the
    /// server was remembered to accept (none when nothing is remembered).
    public var initialImageTags: ImageTagStyle {
        guard config.imageTags == .auto else { return config.imageTags }
        return config.memory?.entry(for: config.displayURL).imageTags ?? .none
    }

    /// Sends one message and returns the reply's text. The exchange is recorded in
    /// `exchange` whether or not the call succeeds.
    public func complete(text: String, images: [ChatImage], exchange: inout ChatExchange?) throws(CephaloError) -> String {
        let server = config.displayURL
        var tags = initialImageTags
        var jsonMode = config.jsonMode && config.memory?.entry(for: server).refusesJSONMode != true
        var switchedTags = false, droppedJSON = false
        var retriesLeft = max(0, config.retries)
        var delay = config.backoffS
        var record = ChatExchange(requestBody: Data(), replyBody: nil, status: nil, attempts: 0)
        defer { exchange = record }
        while true {
            let body: Data
            do { body = try requestBody(text: text, images: images, tags: tags, jsonMode: jsonMode) } catch {
                throw .garbledReply(reason: "the request could not be encoded: \(error)")
            }
            record.requestBody = body
            record.imageTags = tags
            record.attempts += 1
            do throws(CephaloError) {
                let reply = try post(body)
                record.status = reply.status
                record.replyBody = reply.body
                guard (200..<300).contains(reply.status) else {
                    throw CephaloError.httpStatus(code: reply.status, message: Self.serverMessage(reply.body),
                                                  retryAfterS: reply.retryAfterS)
                }
                let answer = try Self.messageText(data: reply.body)
                if switchedTags, config.imageTags == .auto {
                    config.memory?.update(server) { $0.imageTags = tags }
                    record.notes.append("\(server) accepted \(Self.describe(tags)); remembered for later runs")
                }
                return answer
            } catch {
                if case let .httpStatus(code, message, retryAfter) = error {
                    if config.imageTags == .auto, !images.isEmpty, !switchedTags, ImageTagStyle.isTagRefusal(message) {
                        let alternate = tags == .none ? (ImageTagStyle.family(ofModel: config.model) ?? .llava) : .none
                        record.notes.append("the server refused \(Self.describe(tags)) (HTTP \(code): \(message)); "
                                            + "sent again with \(Self.describe(alternate))")
                        tags = alternate
                        switchedTags = true
                        continue
                    }
                    if jsonMode, !droppedJSON, code == 400 || code == 422 {
                        record.notes.append("the server refused response_format (HTTP \(code): \(message)); "
                                            + "--json-mode is dropped for \(server), the prompt alone asks for JSON")
                        config.memory?.update(server) { $0.refusesJSONMode = true }
                        jsonMode = false
                        droppedJSON = true
                        continue
                    }
                    if let retryAfter, retryAfter > config.maxRetryAfterS, error.isRetryable {
                        throw .httpStatus(code: code, message: message + String(format: " (it asked to wait %.0f s, more than the %.0f s waited for)",
                                                                                  retryAfter, config.maxRetryAfterS), retryAfterS: nil)
                    }
                    if error.isRetryable, retriesLeft > 0 {
                        let wait = retryAfter ?? delay
                        onRetry?("\(error); retrying in \(String(format: "%.1f", wait)) s")
                        Thread.sleep(forTimeInterval: wait)
                        delay *= 2
                        retriesLeft -= 1
                        continue
                    }
                    throw error
                }
                guard error.isRetryable, retriesLeft > 0 else { throw error }
                onRetry?("\(error); retrying in \(String(format: "%.1f", delay)) s")
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
                retriesLeft -= 1
            }
        }
    }

    static func describe(_ tags: ImageTagStyle) -> String {
        tags == .none || tags == .auto ? "no image tags" : "\(tags.rawValue) image tags"
    }

    /// The assistant's text from a chat-completions reply body.
    static func messageText(data: Data) throws(CephaloError) -> String {
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
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return clipped(message) }
            if let message = object["error"] as? String ?? object["message"] as? String ?? object["detail"] as? String {
                return clipped(message)
            }
        }
        return excerpt(data)
    }

    static func clipped(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 240 ? String(line.prefix(240)) + "…" : line
    }

    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(160), as: UTF8.self)
        return text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// The most redirects followed for one request.
    static let maxRedirects = 3

    /// One POST within the timeout, following same-origin 307/308 redirects.
    private func post(_ body: Data) throws(CephaloError) -> HTTPReply {
        var url = config.endpoint
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let key = config.apiKey, !key.isEmpty {
            headers.append(("Authorization", "Bearer \(key)"))
        } else if let (user, password) = config.userInfo {
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
        for _ in 0...Self.maxRedirects {
            let reply = try HTTPTransport.post(url, headers: headers, body: body, limit: config.maxReplyBytes,
                                               timeoutS: config.timeoutS)
            guard (300..<400).contains(reply.status), let location = reply.location else { return reply }
            guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                throw .redirected(from: CephaloConfig.displayString(url), to: location, reason: "the address cannot be read")
            }
            guard Self.sameOrigin(next, url) else {
                throw .redirected(from: CephaloConfig.displayString(url), to: CephaloConfig.displayString(next),
                                  reason: "another host, port or scheme; the API key is only sent to the configured server, "
                                      + "so set --cephalo-url to that address if you trust it")
            }
            guard reply.status == 307 || reply.status == 308 else {
                throw .redirected(from: CephaloConfig.displayString(url), to: CephaloConfig.displayString(next),
                                  reason: "HTTP \(reply.status) would turn the POST into a GET; set --cephalo-url to that address")
            }
            url = CephaloConfig.withoutUserInfo(next)
        }
        throw .redirected(from: CephaloConfig.displayString(config.endpoint), to: CephaloConfig.displayString(url),
                          reason: "more than \(Self.maxRedirects) redirects")
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ u: URL) -> Int? { u.port ?? (u.scheme?.lowercased() == "https" ? 443 : u.scheme?.lowercased() == "http" ? 80 : nil) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && port(a) == port(b)
    }
}
