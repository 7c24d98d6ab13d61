import Foundation

/// Runs the built `cephalo-forge` binary.
struct CLIRunner {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The executable next to the test bundle (`swift build` / `swift test` put both in the
    /// same products folder).
    static var executable: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("cephalo-forge")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// A private cache folder (what model servers accept), so runs are not affected by other processes.
    let cache = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cf-cache-\(UUID().uuidString.prefix(8))")
    var workingDirectory = URL(fileURLWithPath: NSTemporaryDirectory())
    /// Extra environment variables for the run.
    var environment: [String: String] = [:]

    func run(_ arguments: [String]) throws -> Outcome {
        guard let executable = Self.executable else { throw CLIError.notBuilt }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["CEPHALO_FORGE_CACHE"] = cache.path
        environment.merge(self.environment) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    enum CLIError: Error, CustomStringConvertible {
        case notBuilt
        var description: String { "cephalo-forge is not built next to the tests: run `swift build` first" }
    }
}
