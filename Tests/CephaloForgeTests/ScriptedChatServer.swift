import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 that speaks just enough of the chat-completions
/// protocol for tests: it records each request and answers from a script, in order (the
/// last reply repeats). One thread per connection, so a slow reply does not block a retry.
final class ScriptedChatServer: @unchecked Sendable {
    struct Reply {
        var status: Int = 200
        var body: String
        var delayS: Double = 0
        /// Extra response headers (Retry-After, Location, Content-Encoding …).
        var headers: [String: String] = [:]
        /// The body as sent, when it is not `body`'s UTF-8 (a gzip bomb, say).
        var rawBody: Data?
        /// Sends the head, then chunks of `body` for ever (a reply that never ends).
        var endless = false

        /// A chat completion whose message content is `text`.
        static func completion(_ text: String) -> Reply {
            let object: [String: Any] = [
                "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test",
                "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": text]]],
            ]
            let data = try! JSONSerialization.data(withJSONObject: object)
            return Reply(body: String(decoding: data, as: UTF8.self))
        }

        static func error(_ status: Int, _ message: String) -> Reply {
            Reply(status: status, body: #"{"error": {"message": "\#(message)", "type": "test"}}"#)
        }
    }

    struct Received {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    private let listener: Int32
    let port: Int
    private let lock = NSLock()
    private var script: [Reply]
    /// Answers each request by rule instead of from the script.
    private var responder: (@Sendable (Received) -> Reply)?

    /// A server that answers by `rule`.
    convenience init(address: String = "127.0.0.1", rule: @escaping @Sendable (Received) -> Reply) throws {
        try self.init([.completion("unused")], address: address)
        lock.withLock { responder = rule }
    }
    private var served = 0
    private var log: [Received] = []

    init(_ replies: [Reply], address: String = "127.0.0.1") throws {
        script = replies
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let host = address
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw ServerError.cannotListen }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        self.host = host
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    enum ServerError: Error { case cannotListen }

    private(set) var host = "127.0.0.1"

    var baseURL: URL { URL(string: "http://\(host):\(port)/v1")! }

    var received: [Received] { lock.withLock { log } }

    private var stopped = false

    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let thread = Thread { [self] in handle(connection) }
            thread.start()
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let n = read(connection, &chunk, chunk.count)
            guard n > 0 else { return }
            buffer.append(contentsOf: chunk[0..<n])
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(buffer[headerEnd!.upperBound...])
        while body.count < length {
            let n = read(connection, &chunk, chunk.count)
            guard n > 0 else { return }
            body.append(contentsOf: chunk[0..<n])
        }
        let received = Received(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
        let (reply, rule): (Reply, (@Sendable (Received) -> Reply)?) = lock.withLock {
            log.append(received)
            let r = script[min(served, script.count - 1)]
            served += 1
            return (r, responder)
        }
        let answer = rule?(received) ?? reply
        if answer.delayS > 0 { Thread.sleep(forTimeInterval: answer.delayS) }
        let payload = answer.rawBody ?? Data(answer.body.utf8)
        var response = "HTTP/1.1 \(answer.status) Scripted\r\nContent-Type: application/json\r\nConnection: close\r\n"
        for (name, value) in answer.headers { response += "\(name): \(value)\r\n" }
        response += answer.endless ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(payload.count)\r\n\r\n"
        guard send(Data(response.utf8), to: connection) else { return }
        if answer.endless {
            var chunk = Data(String(payload.count, radix: 16).utf8)
            chunk.append(contentsOf: Array("\r\n".utf8))
            chunk.append(payload)
            chunk.append(contentsOf: Array("\r\n".utf8))
            while send(chunk, to: connection) {}
        } else {
            _ = send(payload, to: connection)
        }
    }

    /// Writes all of `data`; false once the peer is gone.
    private func send(_ data: Data, to connection: Int32) -> Bool {
        data.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(connection, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }
}
