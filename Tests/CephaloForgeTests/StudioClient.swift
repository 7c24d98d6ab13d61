import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `cephalo-forge serve` started for a test, on a port the system chose, and stopped
/// (SIGTERM, or SIGKILL when asked) when the test is done with it.
final class StudioProcess {
    let process = Process()
    let outputs: URL
    private(set) var port = 0
    private let output = Pipe()
    private let errors = Pipe()

    /// Starts the studio over `outputs`; throws when it does not report its address within
    /// `timeout` seconds, with what it wrote on stderr.
    init(outputs: URL, arguments: [String] = [], timeout: TimeInterval = 30) throws {
        guard let executable = CLIRunner.executable else { throw CLIRunner.CLIError.notBuilt }
        self.outputs = outputs
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--outputs", outputs.path] + arguments
        process.currentDirectoryURL = outputs.deletingLastPathComponent()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var seen = Data()
        let handle = output.fileHandleForReading
        while Date() < deadline, process.isRunning {
            guard Self.readable(handle.fileDescriptor, milliseconds: 200) else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
            let text = String(decoding: seen, as: UTF8.self)
            if let range = text.range(of: #"http://[^ ]+:(\d+)"#, options: .regularExpression),
               let port = Int(text[range].split(separator: ":").last ?? "") {
                self.port = port
                return
            }
        }
        stop()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        throw StudioTestError.didNotStart(stderr)
    }

    func stop(kill signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    deinit { stop() }

    static func readable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil,
                 timeout: TimeInterval = 60) throws -> RawHTTP.Reply {
        try RawHTTP.send(port: port, method: method, path: path, headers: headers, body: body, timeout: timeout)
    }

    func postJSON(_ path: String, _ object: Any, headers: [String: String] = [:]) throws -> RawHTTP.Reply {
        let body = try JSONSerialization.data(withJSONObject: object)
        return try request("POST", path, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body)
    }

    /// The design's status object.
    func status(_ id: String) throws -> [String: Any] {
        try request("GET", "/api/designs/\(id)").json()
    }

    /// Polls the design until its job has ended (done, failed or cancelled).
    func waitUntilEnded(_ id: String, timeout: TimeInterval = 300) throws -> [String: Any] {
        try waitFor(id, timeout: timeout) { ["done", "failed", "cancelled"].contains($0["state"] as? String ?? "") }
    }

    /// Polls the design until `done` says stop, or throws after `timeout` seconds.
    func waitFor(_ id: String, timeout: TimeInterval = 300, until done: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let status = try status(id)
            if done(status) { return status }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw StudioTestError.timedOut(id)
    }
}

enum StudioTestError: Error, CustomStringConvertible {
    case didNotStart(String)
    case timedOut(String)
    case badReply(String)

    var description: String {
        switch self {
        case let .didNotStart(stderr): return "the studio did not start: \(stderr)"
        case let .timedOut(id): return "design \(id) did not reach the awaited state in time"
        case let .badReply(reason): return "bad HTTP reply: \(reason)"
        }
    }
}

/// HTTP/1.1 over a plain socket, the request sent exactly as written (paths are not
/// normalised, so traversal attempts reach the server as a client could send them).
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw StudioTestError.badReply("not a JSON object: \(text.prefix(200))")
            }
            return object
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func send(port: Int, method: String, path: String, headers: [String: String] = [:], body: Data? = nil,
                     rawHead: String? = nil, timeout: TimeInterval = 60) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StudioTestError.badReply("no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw StudioTestError.badReply("cannot connect to port \(port)") }
        var head = rawHead ?? "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if rawHead == nil {
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let body, headers.keys.allSatisfy({ $0.lowercased() != "content-length" && $0.lowercased() != "transfer-encoding" }) {
                head += "Content-Length: \(body.count)\r\n"
            }
            head += "\r\n"
        }
        var request = Data(head.utf8)
        if let body { request.append(body) }
        _ = request.withUnsafeBytes { raw -> Int in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { break }  // the server may answer and close before reading it all
                sent += n
            }
            return sent
        }
        var reply = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            guard StudioProcess.readable(fd, milliseconds: 200) else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            reply.append(contentsOf: buffer[0..<n])
        }
        return try parse(reply)
    }

    static func parse(_ data: Data) throws -> Reply {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw StudioTestError.badReply("no header end in \(data.count) bytes")
        }
        let lines = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw StudioTestError.badReply(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunked(body) }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunked(_ data: Data) -> Data {
        var out = Data()
        var index = data.startIndex
        while index < data.endIndex, let lineEnd = data[index...].range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = min(start + size, data.endIndex)
            out.append(data[start..<end])
            index = min(end + 2, data.endIndex)
        }
        return out
    }
}
