import CephaloForge
import Foundation
import Hummingbird

/// The JSON API the pages use, for scripts and notebooks too (described in openapi.json).
struct DesignAPI: Sendable {
    let outputs: URL
    let queue: JobQueue
    let maxBodyBytes: Int

    func register(on router: Router<StudioContext>) {
        let api = router.group("api")
        api.get("designs") { _, _ in try await listDesigns() }
        api.post("designs") { request, _ in try await create(request, iteration: false) }
        api.post("describe") { request, context in try await describe(request, context: context) }
        api.post("iterations") { request, _ in try await create(request, iteration: true) }
        api.post("batches") { request, _ in try await createBatch(request) }
        api.post("pictures") { request, _ in try await upload(request) }
        api.get("designs/:id/rounds") { _, context in try await rounds(try context.parameters.require("id")) }
        api.post("designs/:id/rounds") { request, context in
            try await nextRound(try context.parameters.require("id"), request: request)
        }
        api.get("designs/:id") { _, context in try await status(try context.parameters.require("id")) }
        api.get("designs/:id/events") { _, context in try await events(try context.parameters.require("id")) }
        api.delete("designs/:id/job") { _, context in try await cancel(try context.parameters.require("id")) }
        api.get("designs/:id/files") { _, context in try await fileList(try context.parameters.require("id")) }
        api.get("designs/:id/files/**") { _, context in
            try await file(try context.parameters.require("id"), path: context.parameters.getCatchAll(), context: context)
        }
        api.get("designs/:id/archive.zip") { _, context in
            try await archive(try context.parameters.require("id"), context: context)
        }
    }

    // MARK: Designs

    private func listDesigns() async throws -> Response {
        let designs = DesignCatalog.list(outputs: outputs, jobs: await queue.all())
        return try Self.json(["designs": designs])
    }

    /// Starts a design (`generate`) or an iteration (`iterate`, its first `rounds` rounds).
    private func create(_ request: Request, iteration: Bool) async throws -> Response {
        let body = try await Self.body(of: request, limit: maxBodyBytes)
        let design = try DesignRequest(json: body, iteration: iteration)
        let jobs = queue.jobsFolder
        let scratch = jobs.appendingPathComponent(".new-\(UUID().uuidString).recipe.json")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let resolved = try design.resolve(writingRecipeTo: scratch, pictures: StudioPaths.picturesFolder(in: outputs))
        let id = try await freshID(slug: resolved.slug + (iteration ? "-iterate" : ""))
        let recipeFile = jobs.appendingPathComponent(id + ".recipe.json")
        guard rename(scratch.path, recipeFile.path) == 0 else {
            throw StudioError.conflict("could not keep the recipe of \(id): \(String(cString: strerror(errno)))")
        }
        let recipe = resolved.recipe
        let folder = outputs.appendingPathComponent(id)
        let target = design.target ?? design.prompt ?? recipe.prompt ?? design.template ?? recipe.name ?? resolved.slug
        var job = StudioJob(id: id, kind: iteration ? .iteration : .design,
                            name: design.prompt ?? design.template ?? recipe.name ?? resolved.slug, prompt: design.prompt,
                            size: recipe.tiledSize.description, estimatedBytes: MemoryBudget.estimatedBytes(for: recipe.tiledSize))
        var arguments = design.arguments(recipe: recipeFile, folder: folder)
        if iteration {
            job.target = target
            job.arguments = design.iterationArguments(recipe: recipeFile, folder: folder, target: target)
            arguments = (job.arguments ?? []) + ["--rounds", String(design.rounds)]
        }
        try await queue.submit(job, arguments: arguments)
        return try Self.accepted(id)
    }

    // MARK: Pictures

    /// Keeps an uploaded PNG (at most 8 MiB, read whole by the PNG reader before it is
    /// kept) for designs made from a picture; answers its id.
    private func upload(_ request: Request) async throws -> Response {
        let limit = StudioConfiguration.maxPictureBytes
        let data = try await Self.body(of: request, limit: limit)
        guard data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw StudioError.badRequest("the picture is not a PNG file")
        }
        let folder = StudioPaths.picturesFolder(in: outputs)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let scratch = folder.appendingPathComponent(".upload-\(id).png")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try data.write(to: scratch)
        do {
            let image = try PNGCodec.read(scratch)
            guard image.width >= 16, image.height >= 16 else {
                throw StudioError.badRequest("the picture is \(image.width) × \(image.height) pixels: at least 16 × 16 are needed")
            }
        } catch let error as StudioError {
            throw error
        } catch {
            throw StudioError.badRequest("\(error)".replacingOccurrences(of: scratch.path, with: "the picture"))
        }
        guard rename(scratch.path, folder.appendingPathComponent(id + ".png").path) == 0 else {
            throw StudioError.conflict("could not keep the picture: \(String(cString: strerror(errno)))")
        }
        return try Self.json(["picture": id], status: .created)
    }

    // MARK: Batches

    /// Starts `batch run` over a sweep; every variant lands in the batch folder's variants/.
    private func createBatch(_ request: Request) async throws -> Response {
        let body = try await Self.body(of: request, limit: maxBodyBytes)
        let batch = try BatchRequest(json: body)
        let scratch = queue.jobsFolder.appendingPathComponent(".new-\(UUID().uuidString).sweep")
        let (file, sweep, estimate) = try batch.load(writingTo: scratch)
        defer { try? FileManager.default.removeItem(at: file) }
        let name = batch.template ?? sweep.base.name ?? sweep.base.prompt ?? "sweep"
        let id = try await freshID(slug: LocalDescriber.slug(name) + "-batch")
        // Kept under its own name (the batch's pictures and report title it so), in a folder of the job's.
        let keptFolder = queue.jobsFolder.appendingPathComponent(id + ".sweep")
        let kept = keptFolder.appendingPathComponent(LocalDescriber.slug(name) + "." + file.pathExtension)
        guard (try? FileManager.default.createDirectory(at: keptFolder, withIntermediateDirectories: true)) != nil,
              rename(file.path, kept.path) == 0 else {
            throw StudioError.conflict("could not keep the sweep of \(id): \(String(cString: strerror(errno)))")
        }
        let job = StudioJob(id: id, kind: .batch, name: "\(name) (\(sweep.variants.count) variants)", prompt: sweep.base.prompt,
                            size: sweep.base.tiledSize.description, estimatedBytes: estimate)
        try await queue.submit(job, arguments: batch.arguments(sweep: kept, folder: outputs.appendingPathComponent(id)))
        return try Self.accepted(id)
    }

    // MARK: Iterations

    /// The complete rounds of an iteration, with each round's proposals for the next and the
    /// decision taken on them.
    private func rounds(_ id: String) async throws -> Response {
        let folder = try StudioPaths.confined(outputs: outputs, id: id, components: [])
        return try Self.json(IterationPage.rounds(in: folder, id: id))
    }

    /// Records the person's decision on the last round's proposals (`adjustments`: those
    /// accepted, as proposed or edited; an empty list stops the iteration) and runs the next round.
    private func nextRound(_ id: String, request: Request) async throws -> Response {
        guard StudioPaths.isDesignID(id), let job = await queue.job(id), job.isIteration,
              let base = job.arguments else {
            throw StudioError.notFound("no iteration \(id) started by this studio: start one with POST /api/iterations")
        }
        guard job.state.isFinal else {
            throw StudioError.conflict("\(id) is still \(job.state.rawValue): wait for its round to finish")
        }
        let folder = outputs.appendingPathComponent(id)
        let done = Iteration.completedRounds(in: folder)
        guard let last = done.last else { throw StudioError.conflict("\(id) has no complete round yet") }
        guard last.record.round < Iteration.maxRounds else {
            throw StudioError.conflict("\(id) has run the most rounds there are (\(Iteration.maxRounds))")
        }
        let body = try await Self.body(of: request, limit: maxBodyBytes)
        let adjustments = try IterationPage.adjustments(from: body)
        let round = folder.appendingPathComponent(Iteration.roundFolder(last.record.round))
        do { try RoundDecision(adjustments: adjustments).write(into: round) } catch {
            throw StudioError.conflict("could not record the decision on round \(last.record.round): \(error)")
        }
        guard !adjustments.isEmpty else {
            return try Self.json(["id": id, "stopped_after": String(last.record.round)], status: .ok)
        }
        var next = job
        next.state = .queued
        next.stage = nil
        next.progress = 0
        next.error = nil
        next.started = nil
        next.finished = nil
        try await queue.submit(next, arguments: base + ["--rounds", String(last.record.round + 1)])
        return try Self.json(["id": id, "round": String(last.record.round + 1)], status: .accepted)
    }

    /// The recipe a prompt resolves to and where each value came from, before anything runs.
    private func describe(_ request: Request, context: StudioContext) async throws -> Response {
        let body = try await Self.body(of: request, limit: maxBodyBytes)
        let design = try DesignRequest(json: body)
        let scratch = queue.jobsFolder.appendingPathComponent(".describe-\(UUID().uuidString).recipe.json")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let resolved = try design.resolve(writingRecipeTo: scratch, pictures: StudioPaths.picturesFolder(in: outputs))
        let recipe = try JSONSerialization.jsonObject(with: JSONFile.encode(resolved.recipe))
        let sources = resolved.sources.map { ["key": $0.key, "source": $0.source] }
        let object: [String: Any] = ["recipe": recipe, "sources": sources, "notes": resolved.notes]
        return Self.response(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                             type: "application/json; charset=utf-8")
    }

    private func status(_ id: String) async throws -> Response {
        try Self.json(try await summary(id))
    }

    func summary(_ id: String) async throws -> DesignSummary {
        guard StudioPaths.isDesignID(id) else { throw StudioError.notFound("no design \(id)") }
        if let job = await queue.job(id) { return DesignCatalog.summary(of: job, outputs: outputs) }
        guard let found = DesignCatalog.list(outputs: outputs, jobs: []).first(where: { $0.id == id }) else {
            throw StudioError.notFound("no design \(id): list them with GET /api/designs")
        }
        return found
    }

    /// Server-sent events: the design's status as JSON at every change, until it has ended.
    private func events(_ id: String) async throws -> Response {
        // Watch first, then read: a change between the two is not lost.
        let updates = await queue.watch(id)
        let first = try await summary(id)
        let outputs = outputs
        let body = ResponseBody { writer in
            func send(_ summary: DesignSummary) async throws {
                let data = try StudioJSON.encoder.encode(summary)
                try await writer.write(ByteBuffer(string: "event: status\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"))
            }
            try await send(first)
            if !first.state.isFinal, let updates {
                for await update in updates {
                    guard let job = update else {
                        try await writer.write(ByteBuffer(string: ": waiting\n\n"))
                        continue
                    }
                    try await send(DesignCatalog.summary(of: job, outputs: outputs))
                    if job.state.isFinal { break }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    private func cancel(_ id: String) async throws -> Response {
        guard StudioPaths.isDesignID(id) else { throw StudioError.notFound("no design \(id)") }
        _ = try await queue.cancel(id)
        return try Self.json(try await summary(id), status: .accepted)
    }

    // MARK: Files

    private func fileList(_ id: String) async throws -> Response {
        let folder = try StudioPaths.confined(outputs: outputs, id: id, components: [])
        let files = DesignCatalog.files(in: folder).map { FileEntry(path: $0.path, bytes: $0.bytes) }
        return try Self.json(["files": files])
    }

    private func file(_ id: String, path: [Substring], context: StudioContext) async throws -> Response {
        let url = try StudioPaths.confined(outputs: outputs, id: id, components: path)
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw StudioError.notFound("\(path.joined(separator: "/")) is not a file of design \(id)")
        }
        let body = try await FileIO().loadFile(path: url.path, context: context)
        let type = MediaType.getMediaType(forExtension: url.pathExtension)?.description ?? "application/octet-stream"
        var headers: HTTPFields = [.contentType: type, .contentLength: String(info.st_size), .cacheControl: "no-cache"]
        if !["png", "svg", "html", "json"].contains(url.pathExtension.lowercased()) {
            headers[.contentDisposition] = "attachment; filename=\"\(url.lastPathComponent)\""
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The design folder as one zip file, built in the studio's state folder and streamed
    /// from there (archives older than ten minutes are removed as new ones are made).
    private func archive(_ id: String, context: StudioContext) async throws -> Response {
        let folder = try StudioPaths.confined(outputs: outputs, id: id, components: [])
        let archives = queue.jobsFolder.deletingLastPathComponent().appendingPathComponent("archives")
        try FileManager.default.createDirectory(at: archives, withIntermediateDirectories: true)
        Self.removeOld(in: archives, olderThan: 600)
        let zip = archives.appendingPathComponent("\(id)-\(UUID().uuidString).zip")
        do {
            let writer = try ZipWriter(path: zip.path)
            for entry in DesignCatalog.files(in: folder) {
                let data = try InputFile.read(folder.appendingPathComponent(entry.path), maximumBytes: 4 << 30)
                try writer.add("\(id)/\(entry.path)", stored: [UInt8](data))
            }
            try writer.finish()
        } catch {
            try? FileManager.default.removeItem(at: zip)
            throw StudioError.conflict("could not pack design \(id): \(error)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: zip.path)[.size] as? Int) ?? 0
        let body = try await FileIO().loadFile(path: zip.path, context: context)
        return Response(status: .ok, headers: [.contentType: "application/zip", .contentLength: String(size),
                                               .contentDisposition: "attachment; filename=\"\(id).zip\""],
                        body: body)
    }

    private static func removeOld(in folder: URL, olderThan seconds: TimeInterval) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let url = folder.appendingPathComponent(name)
            if let date = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
               Date().timeIntervalSince(date) > seconds {
                try? fm.removeItem(at: url)
            }
        }
    }

    // MARK: Helpers

    private func freshID(slug: String) async throws -> String {
        let base = String(slug.prefix(48)).trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        for _ in 0..<16 {
            let id = (base.isEmpty ? "design" : base) + "-" + String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
            if StudioPaths.isDesignID(id), !(await queue.isKnown(id)),
               !FileManager.default.fileExists(atPath: outputs.appendingPathComponent(id).path) {
                return id
            }
        }
        throw StudioError.conflict("could not find a free design id for \(slug)")
    }

    static func body(of request: Request, limit: Int) async throws -> Data {
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw StudioError.tooLarge(limitBytes: limit)
        }
    }

    /// 202 for a job queued: its id, page and status, and a Location header.
    static func accepted(_ id: String) throws -> Response {
        var response = try json(["id": id, "url": "/designs/\(id)", "status": "/api/designs/\(id)"], status: .accepted)
        response.headers[.location] = "/api/designs/\(id)"
        return response
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(try StudioJSON.encoder.encode(value), type: "application/json; charset=utf-8", status: status)
    }

    static func response(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct FileEntry: Codable, Sendable {
    var path: String
    var bytes: Int
}
