import CephaloForge
import ForgeStudio
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The studio's JSON API over HTTP, against the built `cephalo-forge serve`.
@Suite("cephalo-forge serve: the JSON API", .serialized)
struct StudioAPITests {
    static var quick: [String: Any] { ["size": 32, "properties": "off", "images": false] }

    func studio(_ label: String = #function, _ arguments: [String] = []) throws -> (StudioProcess, URL) {
        let outputs = TestSupport.temporaryFolder(label).appendingPathComponent("designs")
        return (try StudioProcess(outputs: outputs, arguments: arguments), outputs)
    }

    func create(_ studio: StudioProcess, _ body: [String: Any]) throws -> String {
        let reply = try studio.postJSON("/api/designs", body)
        #expect(reply.status == 202, "\(reply.text)")
        guard let id = try reply.json()["id"] as? String else { throw StudioTestError.badReply(reply.text) }
        #expect(reply.headers["location"] == "/api/designs/\(id)")
        return id
    }

    /// The `data:` payloads of a server-sent event stream.
    func events(_ text: String) throws -> [[String: Any]] {
        try text.components(separatedBy: "\n\n").compactMap { block in
            guard let line = block.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else { return nil }
            return try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
        }
    }

    @Test func aPromptDesignStreamsItsProgressToAWatertightMeshAndItsMetrics() throws {
        let (studio, outputs) = try studio()
        // Large enough that its stages are seen as they run.
        let id = try create(studio, ["prompt": "spinodal foam, 35% solid, 10 mm cube", "seed": 5, "size": 96,
                                     "properties": "off", "images": false])
        let stream = try studio.request("GET", "/api/designs/\(id)/events", timeout: 300)
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"] == "text/event-stream")
        let statuses = try events(stream.text)
        let states = statuses.compactMap { $0["state"] as? String }
        #expect(states.last == "done", "\(states)")
        let stages = Set(statuses.compactMap { $0["stage"] as? String })
        #expect(stages.isSuperset(of: ["synthesis", "meshing"]), "stages seen: \(stages)")
        #expect(states.first == "queued" || states.first == "running")
        #expect(statuses.allSatisfy { (($0["progress"] as? Double) ?? -1) >= 0 && (($0["progress"] as? Double) ?? 2) <= 1 })

        let stl = try studio.request("GET", "/api/designs/\(id)/files/model.stl")
        #expect(stl.status == 200)
        let file = outputs.deletingLastPathComponent().appendingPathComponent("fetched.stl")
        try stl.body.write(to: file)
        let mesh = TestSupport.welded(try BinarySTLReader.read(file))
        #expect(mesh.triangleCount > 1000)
        #expect(TestSupport.edgesArePairedOpposite(mesh), "the fetched STL is not closed and consistently oriented")
        #expect(stl.body == (try Data(contentsOf: outputs.appendingPathComponent(id).appendingPathComponent("model.stl"))))

        let metrics = try studio.request("GET", "/api/designs/\(id)/files/metrics.json").json()
        let fraction = try #require(metrics["solid_fraction"] as? Double)
        let target = try #require(metrics["target_solid_fraction"] as? Double)
        #expect(abs(fraction - target) < 0.02)
        #expect(metrics["watertight"] as? Bool == true)

        let recipe = try studio.request("GET", "/api/designs/\(id)/files/recipe.json").json()
        #expect(recipe["seed"] as? Int == 5)
        #expect(recipe["family"] as? String == "spinodal")

        let files = try studio.request("GET", "/api/designs/\(id)/files").json()["files"] as? [[String: Any]] ?? []
        #expect(files.contains { $0["path"] as? String == "slices/z0095.png" })
        let list = try studio.request("GET", "/api/designs").json()["designs"] as? [[String: Any]] ?? []
        #expect(list.contains { $0["id"] as? String == id && $0["state"] as? String == "done" })
    }

    @Test func aRecipeDesignRunsWithTheRecipesOwnValues() throws {
        let (studio, _) = try studio()
        let recipe: [String: Any] = ["family": "gyroid", "solid_fraction": 0.3, "extent_mm": 6, "wavelength_mm": 3,
                                     "size": [24, 24, 24], "seed": 11]
        let id = try create(studio, ["recipe": recipe, "properties": "off", "images": false, "formats": ["stl", "3mf"]])
        let status = try studio.waitUntilEnded(id)
        #expect(status["state"] as? String == "done", "\(status)")
        let written = try studio.request("GET", "/api/designs/\(id)/files/recipe.json").json()
        #expect(written["family"] as? String == "gyroid")
        #expect(written["extent_mm"] as? Double == 6)
        let threeMF = try studio.request("GET", "/api/designs/\(id)/files/model.3mf")
        #expect(threeMF.status == 200)
        #expect(threeMF.body.prefix(2) == Data("PK".utf8))
        let zip = try studio.request("GET", "/api/designs/\(id)/archive.zip")
        #expect(zip.status == 200)
        #expect(zip.body.prefix(2) == Data("PK".utf8))
        #expect(zip.body.range(of: Data("\(id)/model.stl".utf8)) != nil)
    }

    @Test func aBadRecipeIsRefusedWithTheCLIsMessage() throws {
        let (studio, outputs) = try studio()
        let bad: [String: Any] = ["family": "spinodal", "solid_fraction": 0.3, "wavelenth_mm": 1.5]
        let reply = try studio.postJSON("/api/designs", ["recipe": bad])
        #expect(reply.status == 400)
        let message = try #require(try reply.json()["error"] as? String)
        let file = outputs.deletingLastPathComponent().appendingPathComponent("bad.json")
        try JSONSerialization.data(withJSONObject: bad).write(to: file)
        let cli = try CLIRunner().run(["generate", "--recipe", file.path, "--out", outputs.deletingLastPathComponent()
            .appendingPathComponent("never").path, "--quiet"])
        #expect(cli.status != 0)
        // The same sentence after the file's name: "bad recipe file <path>: <reason>".
        let reason = { (text: String) in text.components(separatedBy: ": ").dropFirst().joined(separator: ": ") }
        let cliLine = cli.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) } ?? ""
        #expect(!reason(message).isEmpty)
        #expect(reason(message) == reason(cliLine), "API: \(message) — CLI: \(cliLine)")
        #expect(message.contains("wavelenth_mm"))

        for (body, words) in [
            (["prompt": "foam", "recipe": ["family": "gyroid"]] as [String: Any], "one of prompt"),
            (["prompt": "foam", "size": "12x"], "not a size"),
            (["prompt": "foam", "colour": "red"], "unknown key 'colour'"),
            (["prompt": "foam", "formats": ["stl", "dwg"]], "dwg"),
            (["prompt": "foam", "seed": -1], "seed"),
            (["prompt": "foam", "size": 4096], "GiB"),
            (["template": "../../etc/passwd"], "Templates/recipes"),
        ] {
            let refused = try studio.postJSON("/api/designs", body)
            #expect(refused.status == 400, "\(body)")
            #expect((try? refused.json()["error"] as? String)??.contains(words) == true, "\(body): \(refused.text)")
        }
        let notJSON = try studio.request("POST", "/api/designs", headers: ["Content-Type": "application/json"],
                                         body: Data("{not json".utf8))
        #expect(notJSON.status == 400)
        let form = try studio.request("POST", "/api/designs", headers: ["Content-Type": "text/plain"],
                                      body: Data(#"{"prompt": "foam"}"#.utf8))
        #expect(form.status == 400, "a cross-site form post must not start a job")
        let list = try studio.request("GET", "/api/designs").json()["designs"] as? [[String: Any]] ?? []
        #expect(list.isEmpty, "refused requests queued nothing: \(list)")
    }

    @Test func pathsOutsideTheDesignFolderAreRefused() throws {
        let (studio, outputs) = try studio()
        let id = try create(studio, Self.quick.merging(["prompt": "gyroid, 30% solid, 5 mm cube"]) { a, _ in a })
        _ = try studio.waitFor(id) { $0["state"] as? String == "done" }
        // A file beside the outputs folder, and a link out of the design folder to it.
        let secret = outputs.deletingLastPathComponent().appendingPathComponent("secret.txt")
        try Data("TOP SECRET".utf8).write(to: secret)
        let folder = outputs.appendingPathComponent(id)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.txt"), withDestinationURL: secret)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("up"),
                                                   withDestinationURL: outputs.deletingLastPathComponent())
        let fifo = folder.appendingPathComponent("pipe.png")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let attempts = [
            "/api/designs/\(id)/files/../../secret.txt",
            "/api/designs/\(id)/files/slices/../../../secret.txt",
            "/api/designs/\(id)/files/%2e%2e/%2e%2e/secret.txt",
            "/api/designs/\(id)/files/..%2f..%2fsecret.txt",
            "/api/designs/\(id)/files/%2Fetc%2Fpasswd",
            "/api/designs/\(id)/files//etc/passwd",
            "/api/designs/\(id)/files/link.txt",
            "/api/designs/\(id)/files/up/secret.txt",
            "/api/designs/\(id)/files/pipe.png",
            "/api/designs/\(id)/files/.%2e/secret.txt",
            "/api/designs/..%2F..%2Fetc/files/passwd",
            "/api/designs/%2e%2e/files/secret.txt",
            "/api/designs/\(id)/files/slices\\..\\..\\secret.txt",
        ]
        for path in attempts {
            let reply = try studio.request("GET", path, timeout: 10)
            #expect([400, 404].contains(reply.status), "\(path) → \(reply.status)")
            #expect(!reply.text.contains("TOP SECRET") && !reply.text.contains("root:"), "\(path) leaked a file")
        }
        #expect(try studio.request("GET", "/api/designs/\(id)/files/slices/z0000.png").status == 200)
    }

    @Test func aPictureUploadedAsPNGSetsTheDesignsStatistics() throws {
        let (studio, outputs) = try studio()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gravel.png")
        let png = try Data(contentsOf: fixture)
        // Not a PNG, a PNG cut short, JSON sent as a picture, a picture over the limit: refused.
        for (body, type) in [(Data("GIF89a".utf8), "image/png"), (png.prefix(png.count / 2), "image/png"),
                             (png, "application/json")] {
            let reply = try studio.request("POST", "/api/pictures", headers: ["Content-Type": type], body: Data(body))
            #expect(reply.status == 400, "\(type) \(body.count) bytes → \(reply.status) \(reply.text)")
        }
        let huge = try RawHTTP.send(
            port: studio.port, method: "POST", path: "/api/pictures", body: Data([0x89]),
            rawHead: "POST /api/pictures HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                + "Content-Length: \(StudioConfiguration.maxPictureBytes + 1)\r\nConnection: close\r\n\r\n", timeout: 10)
        #expect(huge.status == 413)
        let pictures = outputs.appendingPathComponent(".studio/pictures")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: pictures.path)) ?? []).isEmpty, "nothing refused was kept")

        let uploaded = try studio.request("POST", "/api/pictures", headers: ["Content-Type": "image/png"], body: png)
        #expect(uploaded.status == 201, "\(uploaded.text)")
        let picture = try #require(try uploaded.json()["picture"] as? String)
        #expect(try studio.postJSON("/api/designs", ["prompt": "40% solid, 10 mm cube", "picture": "../../etc/passwd"]).status == 400)
        #expect(try studio.postJSON("/api/designs", ["prompt": "40% solid, 10 mm cube", "picture": "0123abcd"]).status == 400)
        let id = try create(studio, ["prompt": "40% solid, 10 mm cube", "picture": picture, "size": 48,
                                     "properties": "off", "images": false, "material": "ti64"])
        let status = try studio.waitUntilEnded(id)
        #expect(status["state"] as? String == "done", "\(status)")
        let recipe = try studio.request("GET", "/api/designs/\(id)/files/recipe.json").json()
        #expect((recipe["image"] as? [String: Any])?["path"] as? String == pictures.appendingPathComponent(picture + ".png").path)
        #expect((recipe["material"] as? [String: Any])?["name"] as? String == "ti64")
        let metrics = try studio.request("GET", "/api/designs/\(id)/files/metrics.json").json()
        #expect(metrics["image"] != nil, "metrics.json compares the design with the picture")
        #expect(abs((metrics["solid_fraction"] as? Double ?? 0) - 0.4) < 0.01)
    }

    @Test func aBodyOverTheLimitIsRefusedBeforeItIsRead() throws {
        let (studio, _) = try studio()
        let limit = StudioConfiguration.defaultMaxBodyBytes
        // Declared too large: refused from the header alone, although the body never comes.
        let declared = try RawHTTP.send(
            port: studio.port, method: "POST", path: "/api/designs", body: Data("{".utf8),
            rawHead: "POST /api/designs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(limit * 8)\r\nConnection: close\r\n\r\n", timeout: 10)
        #expect(declared.status == 413)
        // Sent in chunks with no declared length: refused once past the limit.
        let padding = String(repeating: " ", count: limit + 1024)
        let chunk = Data("{\"prompt\": \"foam\"\(padding)}".utf8)
        var chunked = Data(String(chunk.count, radix: 16).utf8) + Data("\r\n".utf8) + chunk + Data("\r\n0\r\n\r\n".utf8)
        chunked.append(Data())
        let streamed = try RawHTTP.send(
            port: studio.port, method: "POST", path: "/api/designs", body: chunked,
            rawHead: "POST /api/designs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", timeout: 20)
        #expect(streamed.status == 413)
        #expect(try studio.request("GET", "/api/designs").status == 200, "the studio still answers")
    }

    @Test func aStudioOnAnotherAddressNeedsItsToken() throws {
        // No token: it refuses to start, with a one-line reason.
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let refused = try CLIRunner().run(["serve", "--host", "0.0.0.0", "--port", "0", "--outputs", outputs.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--token"))
        #expect(refused.stderr.split(separator: "\n").count == 1)

        let token = "s3cret-token-for-the-test-0123456789"
        let studio = try StudioProcess(outputs: outputs, arguments: ["--host", "0.0.0.0", "--token", token])
        #expect(try studio.request("GET", "/api/designs").status == 401)
        #expect(try studio.request("GET", "/").status == 401)
        #expect(try studio.request("GET", "/api/designs", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try studio.request("GET", "/api/designs", headers: ["Authorization": "Bearer \(token)x"]).status == 401)
        #expect(try studio.request("GET", "/api/designs", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        // A page opened with ?token= keeps it in a cookie for the page's own requests.
        let page = try studio.request("GET", "/?token=\(token)")
        #expect(page.status == 200)
        let cookie = try #require(page.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(cookie.contains("HttpOnly") == false && cookie.hasSuffix(token))
        #expect(page.headers["set-cookie"]?.contains("HttpOnly") == true)
        #expect(try studio.request("GET", "/api/designs", headers: ["Cookie": cookie]).status == 200)
    }

    @Test func twoJobsRunAndAThirdWaits() throws {
        let (studio, outputs) = try studio(#function, ["--jobs", "2"])
        let body: [String: Any] = ["prompt": "spinodal foam, 35% solid, 10 mm cube", "size": 160, "properties": "fast", "images": false]
        let ids = try (0..<3).map { _ in try create(studio, body) }
        let states = try ids.map { try studio.status($0)["state"] as? String ?? "" }
        #expect(states.filter { $0 == "running" }.count == 2, "\(states)")
        #expect(states[2] == "queued", "\(states)")
        // Cancelling a waiting job takes it off the queue; the others are cancelled too.
        let cancelled = try studio.request("DELETE", "/api/designs/\(ids[2])/job")
        #expect(cancelled.status == 202)
        #expect(try studio.status(ids[2])["state"] as? String == "cancelled")
        for id in ids.prefix(2) {
            _ = try studio.request("DELETE", "/api/designs/\(id)/job")
            let final = try studio.waitUntilEnded(id, timeout: 60)
            #expect(["cancelled", "done"].contains(final["state"] as? String ?? ""))
        }
        #expect(try studio.request("DELETE", "/api/designs/\(ids[2])/job").status == 409)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: outputs.path))?.filter { $0.contains(".partial-") } ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func aJobCancelledMidRunLeavesNoFolder() throws {
        let (studio, outputs) = try studio()
        let id = try create(studio, ["prompt": "spinodal foam, 35% solid, 10 mm cube", "size": 192, "properties": "fast"])
        _ = try studio.waitFor(id, timeout: 60) { ($0["stage"] as? String) != nil }
        let reply = try studio.request("DELETE", "/api/designs/\(id)/job")
        #expect(reply.status == 202)
        let final = try studio.waitUntilEnded(id, timeout: 60)
        #expect(final["state"] as? String == "cancelled")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? []
        #expect(!names.contains(id), "a cancelled job left its folder under the final name")
        #expect(names.allSatisfy { !$0.contains(".partial-") }, "staging left behind: \(names)")
        #expect(try studio.request("GET", "/api/designs/\(id)/files/model.stl").status == 404)
    }

    @Test func aRestartedStudioListsFinishedDesignsAndMarksTheInterruptedOne() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        var studio = try StudioProcess(outputs: outputs)
        let finished = try create(studio, Self.quick.merging(["prompt": "gyroid, 30% solid, 5 mm cube"]) { a, _ in a })
        _ = try studio.waitFor(finished) { $0["state"] as? String == "done" }
        let interrupted = try create(studio, ["prompt": "spinodal foam, 35% solid, 10 mm cube", "size": 192, "properties": "fast"])
        _ = try studio.waitFor(interrupted, timeout: 60) { ($0["stage"] as? String) != nil }
        studio.stop(kill: SIGKILL)
        // The job's generate ends with the studio; give it a moment to go.
        Thread.sleep(forTimeInterval: 1)
        studio = try StudioProcess(outputs: outputs)
        let list = try studio.request("GET", "/api/designs").json()["designs"] as? [[String: Any]] ?? []
        let byID = Dictionary(uniqueKeysWithValues: list.compactMap { item in (item["id"] as? String).map { ($0, item) } })
        #expect(byID[finished]?["state"] as? String == "done")
        #expect(byID[interrupted]?["state"] as? String == "failed")
        #expect((byID[interrupted]?["error"] as? String)?.hasPrefix("interrupted") == true, "\(byID[interrupted] ?? [:])")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? []
        #expect(!names.contains(interrupted))
        #expect(names.allSatisfy { !$0.contains(".partial-") }, "staging left behind: \(names)")
        #expect(try studio.request("GET", "/api/designs/\(finished)/files/model.stl").status == 200)
    }

    @Test func aStudioAskedToStopEndsItsStreamsAndJobsAndExits() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let studio = try StudioProcess(outputs: outputs)
        let id = try create(studio, ["prompt": "spinodal foam, 35% solid, 10 mm cube", "size": 192, "properties": "fast"])
        let waiting = try create(studio, ["prompt": "gyroid, 30% solid, 5 mm cube", "size": 32])
        _ = try studio.waitFor(id, timeout: 60) { ($0["stage"] as? String) != nil }
        // A client following the running job while the studio stops.
        final class Box: @unchecked Sendable { var reply: RawHTTP.Reply? }
        let box = Box(), port = studio.port
        let reader = Thread { box.reply = try? RawHTTP.send(port: port, method: "GET", path: "/api/designs/\(id)/events", timeout: 120) }
        reader.start()
        Thread.sleep(forTimeInterval: 0.5)
        let asked = Date()
        studio.stop(kill: SIGTERM)
        // Not a speed check: only that it does not wait for the job or the stream to end.
        #expect(Date().timeIntervalSince(asked) < 60, "the studio did not exit when asked")
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.1) }
        let last = try events(box.reply?.text ?? "").last
        #expect(last?["state"] as? String == "failed", "\(String(describing: last))")
        #expect((last?["error"] as? String)?.hasPrefix("interrupted") == true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) ?? []
        #expect(!names.contains(id) && names.allSatisfy { !$0.contains(".partial-") }, "\(names)")
        let again = try StudioProcess(outputs: outputs)
        #expect(try again.status(id)["state"] as? String == "failed")
        #expect((try again.status(waiting)["error"] as? String)?.hasPrefix("interrupted") == true)
    }

    @Test func thePagesAndTheAPIDocumentAreServed() throws {
        let (studio, _) = try studio()
        let id = try create(studio, ["prompt": "gyroid, 30% solid, 5 mm cube", "size": 32, "properties": "off"])
        _ = try studio.waitFor(id) { $0["state"] as? String == "done" }
        let index = try studio.request("GET", "/")
        #expect(index.status == 200)
        #expect(index.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        #expect(index.text.contains("id=\"design-form\"") && index.text.contains("/designs/\(id)"))
        let page = try studio.request("GET", "/designs/\(id)")
        #expect(page.text.contains("data-mesh=\"/api/designs/\(id)/files/model.stl\""))
        #expect(page.text.contains("id=\"slice-scrubber\""))
        #expect(!page.text.contains("http://") && !page.text.contains("https://"), "pages load nothing from elsewhere")
        for asset in ["studio.js", "viewer.js", "studio.css"] {
            let reply = try studio.request("GET", "/assets/\(asset)")
            #expect(reply.status == 200)
            #expect(!reply.text.contains("https://") && !reply.text.contains("http://"), "\(asset) loads nothing from elsewhere")
        }
        let document = try studio.request("GET", "/openapi.json").json()
        let paths = try #require(document["paths"] as? [String: Any])
        for path in ["/api/designs", "/api/designs/{id}", "/api/designs/{id}/files", "/api/designs/{id}/files/{path}",
                     "/api/designs/{id}/job", "/api/designs/{id}/events", "/api/designs/{id}/archive.zip",
                     "/api/designs/{id}/rounds", "/api/describe", "/api/iterations", "/api/batches", "/api/pictures",
                     "/openapi.json"] {
            #expect(paths[path] != nil, "openapi.json lacks \(path)")
        }
        let described = try studio.postJSON("/api/describe", ["prompt": "gyroid, 30% solid, 5 mm cube"]).json()
        #expect((described["recipe"] as? [String: Any])?["family"] as? String == "gyroid")
        #expect((described["sources"] as? [[String: Any]])?.contains { ($0["source"] as? String)?.hasPrefix("prompt") == true } == true)
        #expect(try studio.request("GET", "/designs/no-such-design").status == 404)
        #expect(try studio.request("GET", "/assets/..%2Fopenapi.json").status == 404)
    }
}

/// Iterations in the studio: one round per step, the person's decision between steps,
/// the same folders as `iterate` writes.
@Suite("cephalo-forge serve: iterations", .serialized)
struct StudioIterationTests {
    @Test func anEditedAdjustmentDrivesTheNextRoundAndTheCLIResumesTheFolder() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let studio = try StudioProcess(outputs: outputs)
        let reply = try studio.postJSON("/api/iterations", [
            "prompt": "spinodal foam, 30% solid, 10 mm cube", "target": "--help: spinodal foam, 45% solid",
            "size": 32, "properties": "off", "images": false,
        ])
        #expect(reply.status == 202, "\(reply.text)")
        let id = try #require(try reply.json()["id"] as? String)
        var status = try studio.waitUntilEnded(id)
        #expect(status["state"] as? String == "done", "\(status)")
        #expect(status["kind"] as? String == "iteration")
        let view = try studio.request("GET", "/api/designs/\(id)/rounds").json()
        #expect(view["target"] as? String == "--help: spinodal foam, 45% solid", "a target that starts with a dash is a value")
        var rounds = view["rounds"] as? [[String: Any]] ?? []
        #expect(rounds.count == 1)
        let proposals = rounds.first?["proposals"] as? [[String: Any]] ?? []
        #expect(proposals.contains { $0["parameter"] as? String == "solid_fraction" }, "\(proposals)")

        // Bad decisions are refused and start nothing.
        for body in [["adjustments": [["parameter": "colour", "value": 1]]], ["adjustments": [["parameter": "solid_fraction"]]],
                     ["adjustments": "all"]] as [[String: Any]] {
            #expect(try studio.postJSON("/api/designs/\(id)/rounds", body).status == 400, "\(body)")
        }
        // An edited value, not the critic's: the next round uses it.
        let next = try studio.postJSON("/api/designs/\(id)/rounds",
                                       ["adjustments": [["parameter": "solid_fraction", "value": 0.4]]])
        #expect(next.status == 202, "\(next.text)")
        status = try studio.waitUntilEnded(id)
        #expect(status["state"] as? String == "done", "\(status)")
        rounds = try studio.request("GET", "/api/designs/\(id)/rounds").json()["rounds"] as? [[String: Any]] ?? []
        #expect(rounds.count == 2)
        #expect((rounds.last?["changes"] as? [String]) == ["solid_fraction 0.3 → 0.4"], "\(rounds.last ?? [:])")
        #expect(rounds.last?["changes_from"] as? String == "you")
        let fraction = try #require(rounds.last?["solid_fraction"] as? Double)
        #expect(abs(fraction - 0.4) < 0.02)
        let folder = outputs.appendingPathComponent(id)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("rounds/01/decision.json").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("rounds/02/critique.json").path))

        // The CLI resumes the studio's folder: rounds 1 and 2 are kept, round 3 follows the
        // critic (no decision after round 2).
        let cli = try CLIRunner().run(["iterate", "--recipe", folder.appendingPathComponent("rounds/01/recipe.json").path,
                                       "--target=--help: spinodal foam, 45% solid", "--rounds", "3", "--out", folder.path,
                                       "--properties", "off", "--no-images"])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stderr.contains("round 1: complete, kept") && cli.stderr.contains("round 2: complete, kept"), "\(cli.stderr)")
        rounds = try studio.request("GET", "/api/designs/\(id)/rounds").json()["rounds"] as? [[String: Any]] ?? []
        #expect(rounds.count == 3 || rounds.count == 2, "\(rounds.count) rounds")
        // Stop here: an empty decision ends it; no job starts.
        let stop = try studio.postJSON("/api/designs/\(id)/rounds", ["adjustments": [Any]()])
        #expect(stop.status == 200, "\(stop.text)")
        #expect(try studio.status(id)["state"] as? String == "done")
    }
}

/// Batches in the studio: a sweep run by `batch run`, its manifest as a table, each
/// variant one click away.
@Suite("cephalo-forge serve: batches", .serialized)
struct StudioBatchTests {
    static let sweep = """
        base: { prompt: "spinodal foam, 30% solid, 10 mm cube" }
        size: 24
        grid: { solid_fraction: [0.25, 0.35] }
        seeds: [1, 2]
        """

    @Test func aSweepRunsEveryVariantAndEachHasItsPage() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let studio = try StudioProcess(outputs: outputs)
        let reply = try studio.postJSON("/api/batches", ["sweep": Self.sweep, "properties": "off", "images": false, "jobs": 2])
        #expect(reply.status == 202, "\(reply.text)")
        let id = try #require(try reply.json()["id"] as? String)
        let status = try studio.waitUntilEnded(id)
        #expect(status["state"] as? String == "done", "\(status)")
        #expect(status["kind"] as? String == "batch")
        let manifest = try studio.request("GET", "/api/designs/\(id)/files/manifest.json").json()
        let variants = manifest["variants"] as? [[String: Any]] ?? []
        #expect(variants.count == 4)
        #expect(variants.allSatisfy { $0["status"] as? String == "done" })
        let fractions = Set(variants.compactMap { ($0["parameters"] as? [String: Any])?["solid_fraction"] as? Double })
        #expect(fractions == [0.25, 0.35])
        let page = try studio.request("GET", "/designs/\(id)")
        #expect(page.status == 200)
        for variant in variants.compactMap({ $0["id"] as? String }) {
            #expect(page.text.contains("/designs/\(id)/variants/\(variant)"), "the batch page links \(variant)")
            let variantPage = try studio.request("GET", "/designs/\(id)/variants/\(variant)")
            #expect(variantPage.status == 200)
            #expect(variantPage.text.contains("data-mesh=\"/api/designs/\(id)/files/variants/\(variant)/model.stl\""))
        }
        #expect([400, 404].contains(try studio.request("GET", "/designs/\(id)/variants/..%2F..%2Fetc").status))
        #expect(try studio.request("GET", "/designs/\(id)/variants/v0000").status == 404)
    }

    @Test func aBadSweepIsRefusedWithTheCLIsMessage() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let studio = try StudioProcess(outputs: outputs)
        let bad = "base: { prompt: \"foam\" }\ngrid: { solid_fractoin: [0.2, 0.3] }\n"
        let reply = try studio.postJSON("/api/batches", ["sweep": bad])
        #expect(reply.status == 400)
        let message = try #require(try reply.json()["error"] as? String)
        let file = outputs.deletingLastPathComponent().appendingPathComponent("bad.yaml")
        try Data(bad.utf8).write(to: file)
        let cli = try CLIRunner().run(["batch", file.path, "--out", outputs.deletingLastPathComponent().appendingPathComponent("b").path])
        #expect(cli.status != 0)
        let cliLine = cli.stderr.split(separator: "\n").first { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) } ?? ""
        let reason = { (text: String) in text.components(separatedBy: ": ").dropFirst().joined(separator: ": ") }
        #expect(!reason(message).isEmpty && reason(message) == reason(cliLine), "API: \(message) — CLI: \(cliLine)")
        for body in [["template": "no-such-sweep"], ["sweep": Self.sweep, "jobs": 99], ["sweep": Self.sweep, "template": "foam-sweep"],
                     ["sweep": Self.sweep, "colour": 1]] as [[String: Any]] {
            #expect(try studio.postJSON("/api/batches", body).status == 400, "\(body)")
        }
        #expect((try studio.request("GET", "/api/designs").json()["designs"] as? [Any])?.isEmpty == true)
    }
}
