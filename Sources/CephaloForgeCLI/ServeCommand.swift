import ArgumentParser
import CephaloForge
import ForgeStudio
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The studio in the browser: describe, generate, watch, turn the part around, download.",
        discussion: """
            Serves pages and a JSON API (GET /openapi.json) over the designs in --outputs. Each job runs \
            `generate` with the recipe the request resolves to; at most --jobs run at once, within the \
            machine's memory. Binds to 127.0.0.1 unless --host says otherwise; any other address needs \
            --token, which clients send as 'Authorization: Bearer <token>' (a page opened with ?token= \
            keeps it in a cookie).
            """)

    @Option(name: .long, help: "Address to listen on (127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port (0: a free one, printed on start).")
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("Folder of designs.", valueName: "dir"))
    var outputs = "Outputs"

    @Option(name: .long, help: "Jobs that run at once.")
    var jobs = 1

    @Option(name: .long, help: ArgumentHelp(
        "Bearer token required for every request (at least 16 characters); needed for any --host but loopback. "
            + "Also read from STUDIO_TOKEN.", valueName: "secret"))
    var token: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) must lie in 0…65535") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs \(jobs) must lie in 1…64") }
    }

    func run() async throws {
        let secret = token ?? ProcessInfo.processInfo.environment["STUDIO_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = StudioConfiguration(
            host: host, port: port, outputs: URL(fileURLWithPath: outputs), jobs: jobs, token: secret,
            executable: Self.executable)
        do {
            try await StudioServer.run(configuration) { address in
                FileHandle.standardOutput.write(Data("studio at \(address) (designs in \(outputs)); stop with Ctrl-C\n".utf8))
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// This executable, which runs each job's `generate`.
    static var executable: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    }
}
