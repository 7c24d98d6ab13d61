import CephaloForge
import Foundation
import Testing

/// What a misbehaving or hostile server can do to the client: nothing beyond a one-line
/// error, bounded memory and time, and no credentials anywhere but the configured origin.
@Suite("Cephalo client against hostile servers", .serialized)
struct HostileServerTests {
    func complete(_ config: CephaloConfig) -> (text: String?, error: CephaloError?) {
        var exchange: ChatExchange?
        do {
            return (try ChatClient(config: config).complete(text: "Q", images: [], exchange: &exchange), nil)
        } catch {
            return (nil, error)
        }
    }

    @Test("a reply that never ends is abandoned at the size limit, in bounded memory")
    func endlessReply() throws {
        let server = try ScriptedChatServer([ScriptedChatServer.Reply(body: String(repeating: "x", count: 65536), endless: true)])
        var config = testConfig(server)
        config.maxReplyBytes = 1 << 20
        let r = complete(config)
        guard case .replyTooLarge = r.error else { Issue.record("expected too large, got \(String(describing: r.error))"); return }
        // Through the command line, with the default 4 MiB limit: one line, and the process stays small.
        let run = try MeasuredRun.run(["describe", "foam", "--cephalo-url", server.baseURL.absoluteString, "--timeout", "20"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("over the 4194304-byte limit"))
        run.expectPeak(below: 200)
        #expect(run.seconds < 15)
    }

    @Test("a declared length over the limit is refused before the body is read; a gzip bomb is never inflated")
    func declaredAndCompressed() throws {
        let big = try ScriptedChatServer([ScriptedChatServer.Reply(body: String(repeating: "y", count: 6 << 20))])
        if case .replyTooLarge(let bytes, _) = complete(testConfig(big)).error {
            #expect(bytes == 6 << 20)
        } else {
            Issue.record("expected too large")
        }
        // 64 MiB of zeros, gzip-compressed to about 64 KB: the client offered no encoding and reads what came.
        let zeros = TestSupport.temporaryFolder().appendingPathComponent("zeros")
        FileManager.default.createFile(atPath: zeros.path, contents: Data(count: 64 << 20))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(zeros.path)' > '\(zeros.path).gz'"]
        try gzip.run()
        gzip.waitUntilExit()
        let bomb = try Data(contentsOf: URL(fileURLWithPath: zeros.path + ".gz"))
        #expect(bomb.count < 200_000)
        let server = try ScriptedChatServer([ScriptedChatServer.Reply(body: "", headers: ["Content-Encoding": "gzip"], rawBody: bomb)])
        let run = try MeasuredRun.run(["describe", "foam", "--cephalo-url", server.baseURL.absoluteString])
        #expect(run.status == 0 && run.stderr.contains("Cephalo describe failed"), "\(run.stderr)")
        run.expectPeak(below: 200)
    }

    @Test("the bearer key never follows a redirect to another host; same-origin 307s are followed")
    func redirects() throws {
        let other = try ScriptedChatServer([.completion("stolen")], address: "127.0.0.2")
        let otherURL = "http://127.0.0.2:\(other.port)/v1/chat/completions"
        let server = try ScriptedChatServer([ScriptedChatServer.Reply(status: 307, body: "", headers: ["Location": otherURL])])
        let r = complete(testConfig(server))
        guard case .redirected(_, let to, let reason) = r.error else {
            Issue.record("expected a refused redirect, got \(String(describing: r.error))")
            return
        }
        #expect(to.contains("127.0.0.2") && reason.contains("another host"))
        #expect(other.received.isEmpty)
        // The same origin, another path: followed, with the key.
        let moved = try ScriptedChatServer(rule: { request in
            request.path == "/v2/chat/completions"
                ? .completion("moved fine")
                : ScriptedChatServer.Reply(status: 308, body: "", headers: ["Location": "/v2/chat/completions"])
        })
        let followed = complete(testConfig(moved))
        #expect(followed.text == "moved fine", "\(String(describing: followed.error))")
        #expect(moved.received.count == 2 && moved.received.allSatisfy { $0.headers["authorization"] == "Bearer sk-test-secret-123" })
        // A 302 would turn the POST into a GET: refused with the address to use instead.
        let found = try ScriptedChatServer([ScriptedChatServer.Reply(status: 302, body: "", headers: ["Location": "/elsewhere"])])
        guard case .redirected = complete(testConfig(found)).error else { Issue.record("a 302 should be refused"); return }
    }

    @Test("Retry-After is honoured up to a cap; a longer wait ends the attempts at once")
    func retryAfter() throws {
        let server = try ScriptedChatServer([ScriptedChatServer.Reply(status: 429, body: #"{"error": {"message": "busy"}}"#, headers: ["Retry-After": "1"]),
                                             .completion("after waiting")])
        let started = Date()
        let r = complete(testConfig(server))
        #expect(r.text == "after waiting")
        #expect(Date().timeIntervalSince(started) >= 0.9)
        let long = try ScriptedChatServer([ScriptedChatServer.Reply(status: 503, body: #"{"error": {"message": "maintenance"}}"#,
                                                                    headers: ["Retry-After": "3600"])])
        let began = Date()
        let refused = complete(testConfig(long))
        #expect(long.received.count == 1 && Date().timeIntervalSince(began) < 5)
        #expect(refused.error?.description.contains("asked to wait 3600 s") == true)
    }

    @Test("user-info in the server URL is sent as basic authentication and never printed")
    func userInfo() throws {
        let server = try ScriptedChatServer([.completion("ok")])
        var config = CephaloConfig(baseURL: URL(string: "http://ana:s3cret-pw@127.0.0.1:\(server.port)/v1")!, model: "m")
        config.memory = nil
        #expect(complete(config).text == "ok")
        #expect(server.received.first?.headers["authorization"] == "Basic " + Data("ana:s3cret-pw".utf8).base64EncodedString())
        #expect(config.displayURL == "http://127.0.0.1:\(server.port)/v1")
        server.stop()
        let cli = CLIRunner()
        let r = try cli.run(["describe", "foam", "--cephalo-url", "http://ana:s3cret-pw@127.0.0.1:\(server.port)/v1", "--retries", "0"])
        #expect(r.status == 0 && r.stderr.contains("cannot be reached"), "\(r.stderr)")
        #expect(!r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"))
    }
}
