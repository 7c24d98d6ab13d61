import Foundation

/// One design job of the studio: what was asked, and where it stands. Kept as
/// `.studio/jobs/<id>.json` in the outputs folder, so a restarted studio knows every job.
public struct StudioJob: Codable, Sendable, Equatable {
    /// A design folder (`generate`), an iteration folder (`iterate`, one or more rounds per
    /// job) or a batch folder (`batch run`, every variant of a sweep).
    public enum Kind: String, Codable, Sendable {
        case design, iteration, batch
    }

    public enum State: String, Codable, Sendable {
        case queued, running, done, failed, cancelled

        var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
    }

    /// The design folder's name under the outputs folder, and the job's id in the API.
    public var id: String
    public var state: State
    /// The stage the CLI's progress bar would show (synthesis, threshold, cleanup, meshing, …).
    public var stage: String?
    /// Progress of the stage, 0…1.
    public var progress: Double
    /// Why it failed, in the CLI's one-line words.
    public var error: String?
    public var prompt: String?
    public var name: String
    public var size: String
    public var created: Date
    public var started: Date?
    public var finished: Date?
    /// Estimated peak memory of the job in bytes (the queue admits jobs within the machine's memory).
    public var estimatedBytes: Double
    /// The process of its `generate` while it runs.
    public var pid: Int32?
    /// Nil in records of designs written before iterations existed.
    public var kind: Kind?
    /// What an iteration converges to.
    public var target: String?
    /// The command's arguments after `generate` or `iterate` and before `--rounds` (an
    /// iteration's next step reuses them).
    public var arguments: [String]?

    /// A new job, queued now.
    init(id: String, kind: Kind, name: String, prompt: String?, size: String, estimatedBytes: Double) {
        self.id = id
        self.kind = kind
        self.name = name
        self.prompt = prompt
        self.size = size
        self.estimatedBytes = estimatedBytes
        state = .queued
        progress = 0
        created = Date()
    }

    var isIteration: Bool { kind == .iteration }
    var isBatch: Bool { kind == .batch }

    /// The environment variable that tells a `generate` the studio started which process is its
    /// parent: it ends when that process ends.
    public static let parentVariable = "CEPHALO_FORGE_STUDIO_PID"

    /// In a process the studio started (`parentVariable` set): ends it, as SIGTERM would, as
    /// soon as the studio is gone (checked four times a second), so a killed studio leaves no
    /// design being written behind it. Does nothing in any other process.
    public static func endWithStudio() {
        guard let text = ProcessInfo.processInfo.environment[parentVariable], let parent = Int32(text), parent > 1 else {
            return
        }
        guard getppid() == parent else { exit(143) }
        Thread.detachNewThread {
            while getppid() == parent { usleep(250_000) }
            kill(getpid(), SIGTERM)
        }
    }
}
