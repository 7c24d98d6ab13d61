import Foundation
import Testing

/// Runs the built `cephalo-forge` under GNU time (`/usr/bin/time`, Debian's package `time`),
/// which reads the child's peak resident memory from the kernel when it ends. Where GNU
/// time is missing, `peakMiB` is nil and tests say they could not measure.
struct MeasuredRun {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Peak resident set size of the command, in MiB.
    let peakMiB: Double?
    let seconds: Double

    static let timeTool = "/usr/bin/time"
    static var canMeasure: Bool { FileManager.default.isExecutableFile(atPath: timeTool) }

    static func run(_ arguments: [String], environment extra: [String: String] = [:], cli: CLIRunner = CLIRunner()) throws -> MeasuredRun {
        guard let executable = CLIRunner.executable else { throw CLIRunner.CLIError.notBuilt }
        let peakFile = TestSupport.temporaryFolder("measured").appendingPathComponent("peak")
        let process = Process()
        if canMeasure {
            process.executableURL = URL(fileURLWithPath: timeTool)
            process.arguments = ["-f", "%M", "-o", peakFile.path, executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CEPHALO_FORGE_CACHE"] = cli.cache.path
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let started = Date()
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let kilobytes = (try? String(contentsOf: peakFile, encoding: .utf8))
            .flatMap { $0.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        return MeasuredRun(status: process.terminationStatus,
                           stdout: String(decoding: outData, as: UTF8.self),
                           stderr: String(decoding: errData, as: UTF8.self),
                           peakMiB: kilobytes.map { $0 / 1024 }, seconds: Date().timeIntervalSince(started))
    }

    /// Expects the peak below `limit` MiB, or notes that it could not be measured.
    func expectPeak(below limit: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let peakMiB else {
            print("peak memory not measured: \(Self.timeTool) is missing (apt-get install time)")
            return
        }
        #expect(peakMiB < limit, "peak \(peakMiB) MiB", sourceLocation: sourceLocation)
    }
}
