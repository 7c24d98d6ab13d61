import CephaloForge
import Foundation

/// The studio's jobs: at most `maxJobs` run at once, and together within the machine's
/// memory by their estimates; the rest wait in order. Every change of state is written to
/// `.studio/jobs/<id>.json`, so a restarted studio lists every job and marks those it
/// was running as interrupted.
actor JobQueue {
    let outputs: URL
    let executable: URL
    let maxJobs: Int
    let memoryBytes: Double
    private var jobs: [String: StudioJob] = [:]
    private var waiting: [(id: String, arguments: [String])] = []
    private var running: [String: JobProcess] = [:]
    private var watchers: [String: [UUID: AsyncStream<StudioJob?>.Continuation]] = [:]
    private var heartbeat: Task<Void, Never>?
    private var stopping = false

    static let interruptedMessage = "interrupted: the studio stopped before this job finished; start it again"

    init(outputs: URL, executable: URL, maxJobs: Int,
         memoryBytes: Double = Double(ProcessInfo.processInfo.physicalMemory) * 0.9) {
        self.outputs = outputs
        self.executable = executable
        self.maxJobs = maxJobs
        self.memoryBytes = memoryBytes
        jobs = Self.recovered(outputs: outputs)
    }

    nonisolated var jobsFolder: URL { StudioPaths.jobsFolder(in: outputs) }

    func job(_ id: String) -> StudioJob? { jobs[id] }

    func all() -> [StudioJob] { Array(jobs.values) }

    func isKnown(_ id: String) -> Bool { jobs[id] != nil }

    /// Every later change of job `id`, ending after its final state or when the studio
    /// stops, with nil every 15 s while nothing changes (so a stream can tell its client has
    /// gone); nil for a job that has ended or that this studio does not know.
    func watch(_ id: String) -> AsyncStream<StudioJob?>? {
        guard let job = jobs[id], !job.state.isFinal, !stopping else { return nil }
        let (stream, continuation) = AsyncStream<StudioJob?>.makeStream(bufferingPolicy: .bufferingNewest(64))
        if heartbeat == nil {
            heartbeat = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    guard let queue = self else { return }
                    await queue.beat()
                }
            }
        }
        let key = UUID()
        watchers[id, default: [:]][key] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unwatch(id, key) }
        }
        return stream
    }

    private func beat() {
        for list in watchers.values { for continuation in list.values { continuation.yield(nil) } }
    }

    /// Stops for good: nothing more starts; running jobs are ended (SIGTERM, up to 10 s) and
    /// recorded as interrupted, their staging folders removed; waiting jobs stay in their
    /// records, which a restarted studio marks interrupted; every event stream ends.
    func shutdown() async {
        stopping = true
        heartbeat?.cancel()
        waiting.removeAll()
        for (id, process) in running {
            if var job = jobs[id] {
                job.state = .failed
                job.error = Self.interruptedMessage
                job.finished = Date()
                changed(job)
                save(job)
            }
            process.cancel()
        }
        for list in watchers.values { for continuation in list.values { continuation.finish() } }
        watchers.removeAll()
        for _ in 0..<100 where !running.isEmpty {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func unwatch(_ id: String, _ key: UUID) {
        watchers[id]?[key] = nil
        if watchers[id]?.isEmpty == true { watchers[id] = nil }
    }

    private func changed(_ job: StudioJob) {
        jobs[job.id] = job
        guard let list = watchers[job.id] else { return }
        for continuation in list.values {
            continuation.yield(job)
            if job.state.isFinal { continuation.finish() }
        }
    }

    /// Queues `job` (a new one, or the next step of an iteration whose last step has ended);
    /// it starts at once when there is room.
    func submit(_ job: StudioJob, arguments: [String]) throws {
        if let earlier = jobs[job.id], !earlier.state.isFinal {
            throw StudioError.conflict("\(job.id) is still \(earlier.state.rawValue): wait for it or cancel it first")
        }
        jobs[job.id] = job
        save(job)
        waiting.append((job.id, arguments))
        startWaiting()
    }

    /// Cancels a waiting or running job; a finished one stays as it is.
    func cancel(_ id: String) throws -> StudioJob {
        guard var job = jobs[id] else { throw StudioError.notFound("no job \(id): list them with GET /api/designs") }
        switch job.state {
        case .queued:
            waiting.removeAll { $0.id == id }
            job.state = .cancelled
            job.finished = Date()
            changed(job)
            save(job)
        case .running:
            running[id]?.cancel()
        case .done, .failed, .cancelled:
            throw StudioError.conflict("job \(id) has already ended (\(job.state.rawValue))")
        }
        return job
    }

    private func startWaiting() {
        while !stopping, let next = waiting.first, running.count < maxJobs {
            guard var job = jobs[next.id] else { waiting.removeFirst(); continue }
            let inUse = running.keys.compactMap { jobs[$0]?.estimatedBytes }.reduce(0, +)
            guard running.isEmpty || inUse + job.estimatedBytes <= memoryBytes else { return }
            waiting.removeFirst()
            let id = job.id
            do {
                let process = try JobProcess(
                    executable: executable, arguments: next.arguments,
                    workingFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                    progress: { [weak self] stage, fraction in
                        Task { await self?.progress(id, stage: stage, fraction: fraction) }
                    },
                    ended: { [weak self] status, cancelled, error in
                        Task { await self?.ended(id, status: status, cancelled: cancelled, error: error) }
                    })
                running[id] = process
                job.state = .running
                job.started = Date()
                job.pid = process.processID
            } catch {
                job.state = .failed
                job.error = "could not start generate: \(error.localizedDescription)"
                job.finished = Date()
            }
            changed(job)
            save(job)
        }
    }

    private func progress(_ id: String, stage: String, fraction: Double) {
        guard var job = jobs[id], job.state == .running else { return }
        let newStage = job.stage != stage
        job.stage = stage
        job.progress = fraction
        changed(job)
        if newStage { save(job) }
    }

    private func ended(_ id: String, status: Int32, cancelled: Bool, error: String?) {
        running[id] = nil
        guard var job = jobs[id] else { return }
        let folder = outputs.appendingPathComponent(id)
        Self.recoverAbandonedRuns(of: job, folder: folder)
        guard !stopping else { return }  // recorded as interrupted already
        job.finished = Date()
        job.pid = nil
        if cancelled {
            job.state = .cancelled
        } else if status == 0 || (job.isBatch && status == 2),
                  FileManager.default.fileExists(atPath: Self.completionFile(of: job, folder: folder).path) {
            job.state = .done
            job.progress = 1
            if status == 2 { job.error = error ?? "some variants failed: see the manifest" }
        } else {
            job.state = .failed
            job.error = error ?? "generate ended with status \(status)"
        }
        changed(job)
        save(job)
        startWaiting()
    }

    private func save(_ job: StudioJob) {
        guard let data = try? StudioJSON.encoder.encode(job) else { return }
        try? data.write(to: jobsFolder.appendingPathComponent(job.id + ".json"), options: .atomic)
    }

    /// The jobs of earlier runs; those that were waiting or running are marked interrupted
    /// (or done, where the design was put in place just before the studio stopped), and
    /// their staging folders removed.
    private static func recovered(outputs: URL) -> [String: StudioJob] {
        let folder = StudioPaths.jobsFolder(in: outputs)
        var jobs: [String: StudioJob] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".json") && !name.hasSuffix(".recipe.json") {
            let url = folder.appendingPathComponent(name)
            guard let data = try? InputFile.read(url, maximumBytes: 1 << 20),
                  var job = try? StudioJSON.decoder.decode(StudioJob.self, from: data),
                  StudioPaths.isDesignID(job.id), name == job.id + ".json" else { continue }
            if !job.state.isFinal {
                let folder = outputs.appendingPathComponent(job.id)
                if let pid = job.pid { Self.endOrphan(pid, folder: folder) }
                job.pid = nil
                recoverAbandonedRuns(of: job, folder: folder)
                if job.kind == nil || job.kind == .design, FileManager.default.fileExists(atPath: completionFile(of: job, folder: folder).path) {
                    job.state = .done
                    job.progress = 1
                } else {
                    job.state = .failed
                    job.error = interruptedMessage
                }
                job.finished = job.finished ?? Date()
                if let encoded = try? StudioJSON.encoder.encode(job) { try? encoded.write(to: url, options: .atomic) }
            }
            jobs[job.id] = job
        }
        return jobs
    }
}

extension JobQueue {
    /// The file whose presence says a job's step succeeded: a design's metrics.json, an
    /// iteration's iteration.json.
    static func completionFile(of job: StudioJob, folder: URL) -> URL {
        switch job.kind ?? .design {
        case .design: return OutputLayout(folder: folder).metricsURL
        case .iteration: return folder.appendingPathComponent(Iteration.summaryFile)
        case .batch: return folder.appendingPathComponent(BatchPage.manifest)
        }
    }

    /// Removes the staging folders an ended job left: beside the design folder, and beside
    /// each round of an iteration or variant of a batch.
    static func recoverAbandonedRuns(of job: StudioJob, folder: URL) {
        OutputLayout(folder: folder).recoverAbandonedRuns()
        if job.isIteration { OutputLayout.recoverAbandonedRuns(in: folder.appendingPathComponent("rounds")) }
        if job.isBatch { OutputLayout.recoverAbandonedRuns(in: folder.appendingPathComponent("variants")) }
    }

    /// Ends the `generate` of an earlier studio that is still running (it normally ends with
    /// its studio), so its staging folder can be removed: SIGTERM, then up to 5 s for it to go.
    /// Only a process whose command line names the job's folder is touched.
    static func endOrphan(_ pid: Int32, folder: URL) {
        guard pid > 1, let line = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
              String(decoding: line, as: UTF8.self).contains(folder.path) else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 where kill(pid, 0) == 0 {
            usleep(100_000)
        }
    }
}

/// JSON as the studio writes and reads it: snake_case keys, ISO 8601 dates.
enum StudioJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
