import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP POST and what came back.
struct HTTPReply: Sendable {
    var status: Int
    var body: Data
    /// `Retry-After` in seconds, when the server gave one (delta-seconds form).
    var retryAfterS: Double?
    /// `Location`, for redirects.
    var location: String?
}

/// The one place that talks HTTP (AsyncHTTPClient over SwiftNIO). A request is bounded on
/// every side: one deadline covers connecting, sending and the whole reply body; the body is
/// read as it arrives and abandoned as soon as it passes `limit` bytes; redirects are never
/// followed here (the caller decides, so credentials stay with the configured origin); no
/// compressed encoding is offered, so what arrives is what is counted. The work runs on
/// NIO's event loops and the calling thread waits for it (never a Swift concurrency
/// thread, which a blocking wait could starve).
enum HTTPTransport {
    /// One client for the process: its event loops and connection pool are shared.
    private static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                timeout: .init(connect: .seconds(5)),
                                                decompression: .disabled))

    /// POSTs `body` to `url` with `headers`, waiting at most `timeoutS` for everything.
    static func post(_ url: URL, headers: [(String, String)], body: Data, limit: Int,
                     timeoutS: Double) throws(CephaloError) -> HTTPReply {
        let shown = CephaloConfig.displayString(url)
        let request: HTTPClient.Request
        do {
            var fields = HTTPHeaders()
            for (name, value) in headers { fields.add(name: name, value: value) }
            request = try HTTPClient.Request(url: url, method: .POST, headers: fields, body: .bytes(body))
        } catch {
            throw .unreachable(url: shown, reason: describe(error))
        }
        let collector = BoundedCollector(limit: limit)
        let timeout = TimeAmount.nanoseconds(Int64(min(max(timeoutS, 0.001), 1e6) * 1e9))
        let task = client.execute(request: request, delegate: collector, deadline: .now() + timeout)
        // The deadline above may only cover the wait for the reply's head: this one also
        // ends a body that keeps arriving.
        let timer = task.futureResult.eventLoop.scheduleTask(in: timeout) { task.fail(reason: DeadlineExceeded()) }
        defer { timer.cancel() }
        do {
            return try task.futureResult.wait()
        } catch let error as CephaloError {
            throw error
        } catch is DeadlineExceeded {
            throw .timedOut(url: shown, seconds: timeoutS)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .timedOut(url: shown, seconds: timeoutS)
        } catch {
            throw .unreachable(url: shown, reason: describe(error))
        }
    }

    /// `Retry-After` as seconds: the delta-seconds form, or an HTTP date from now.
    static func retryAfterSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}

private struct DeadlineExceeded: Error {}

/// Collects a reply, failing as soon as its body passes `limit` bytes (or its declared
/// length does). Called on one event loop at a time.
private final class BoundedCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = HTTPReply

    private let limit: Int
    private var head: HTTPResponseHead?
    private var body = Data()

    init(limit: Int) { self.limit = limit }

    func didReceiveHead(task: HTTPClient.Task<HTTPReply>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
            return task.eventLoop.makeFailedFuture(CephaloError.replyTooLarge(bytes: declared, limit: limit))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPReply>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard body.count + buffer.readableBytes <= limit else {
            return task.eventLoop.makeFailedFuture(CephaloError.replyTooLarge(bytes: body.count + buffer.readableBytes, limit: limit))
        }
        body.append(contentsOf: buffer.readableBytesView)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<HTTPReply>) throws -> HTTPReply {
        guard let head else { throw CephaloError.garbledReply(reason: "no HTTP response") }
        return HTTPReply(status: Int(head.status.code), body: body,
                         retryAfterS: head.headers.first(name: "retry-after").flatMap(HTTPTransport.retryAfterSeconds),
                         location: head.headers.first(name: "location"))
    }
}
