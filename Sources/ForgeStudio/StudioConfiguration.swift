import Foundation

/// How `cephalo-forge serve` runs: where it listens, where designs go, how many jobs run at once.
public struct StudioConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (the studio prints the one it took).
    public var port: Int
    public var outputs: URL
    public var jobs: Int
    /// Required for any address other than loopback; compared in constant time.
    public var token: String?
    /// The `generate` that runs each job (the studio's own executable).
    public var executable: URL
    /// The largest request body read; a larger one is refused before it is read whole.
    public var maxBodyBytes: Int

    public static let defaultMaxBodyBytes = 2 << 20
    /// The largest picture (`POST /api/pictures`).
    public static let maxPictureBytes = 8 << 20

    public init(host: String = "127.0.0.1", port: Int = 8080, outputs: URL, jobs: Int = 1, token: String? = nil,
                executable: URL, maxBodyBytes: Int = defaultMaxBodyBytes) {
        self.host = host
        self.port = port
        self.outputs = outputs
        self.jobs = jobs
        self.token = token
        self.executable = executable
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether `host` names this machine only (127.0.0.0/8, ::1 or localhost).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Refuses a configuration that would expose the studio without a token, or an
    /// outputs folder it cannot use; creates the outputs folder and its job records' folder.
    public func validated() throws -> StudioConfiguration {
        if !Self.isLoopback(host), (token ?? "").isEmpty { throw StudioError.tokenRequired(host: host) }
        if let token, token.utf8.count < 16 {
            throw StudioError.badRequest("--token must be at least 16 characters: use e.g. $(openssl rand -hex 16)")
        }
        guard (0...65_535).contains(port) else { throw StudioError.badRequest("--port \(port) must lie in 0…65535") }
        guard (1...64).contains(jobs) else { throw StudioError.badRequest("--jobs \(jobs) must lie in 1…64") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: outputs.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw StudioError.badOutputs(path: outputs.path, reason: "it is a file, not a folder")
        }
        do {
            try FileManager.default.createDirectory(at: StudioPaths.jobsFolder(in: outputs), withIntermediateDirectories: true)
        } catch {
            throw StudioError.badOutputs(path: outputs.path, reason: error.localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: outputs.path) else {
            throw StudioError.badOutputs(path: outputs.path, reason: "permission denied")
        }
        var copy = self
        copy.outputs = outputs.standardizedFileURL
        return copy
    }
}
