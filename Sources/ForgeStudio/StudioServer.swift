import CephaloForge
import Foundation
import Hummingbird
import Logging
import Mustache
import ServiceLifecycle

/// `cephalo-forge serve`: the studio's pages and JSON API over the outputs folder.
public enum StudioServer {
    /// Runs until SIGINT or SIGTERM. `ready` gets the address it listens on (with the port
    /// the system chose when `configuration.port` is 0).
    public static func run(_ configuration: StudioConfiguration, ready: @escaping @Sendable (String) -> Void) async throws {
        let configuration = try configuration.validated()
        guard let root = TemplateFolders.studioFolder() else { throw StudioError.noTemplates }
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: root.path)
        } catch {
            throw StudioError.badRequest("a studio template in \(root.path) does not parse: \(error)")
        }
        let queue = JobQueue(outputs: configuration.outputs, executable: configuration.executable, maxJobs: configuration.jobs)
        let api = DesignAPI(outputs: configuration.outputs, queue: queue, maxBodyBytes: configuration.maxBodyBytes)
        let pages = StudioPages(library: library, assets: root.appendingPathComponent("assets"),
                                outputs: configuration.outputs, api: api)

        let router = Router(context: StudioContext.self)
        router.add(middleware: AccessMiddleware(token: configuration.token,
                                                loopback: StudioConfiguration.isLoopback(configuration.host),
                                                maxBodyBytes: configuration.maxBodyBytes))
        api.register(on: router)
        pages.register(on: router)

        var logger = Logger(label: "cephalo-forge.studio")
        logger.logLevel = .warning
        let host = configuration.host.hasPrefix("[") ? String(configuration.host.dropFirst().dropLast()) : configuration.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "cephalo-forge"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let shown = host.contains(":") ? "[\(host)]" : host
                ready("http://\(shown):\(port)")
            },
            logger: logger)
        // Services shut down in reverse order: the queue first (its event streams end and its
        // jobs stop), then the server, whose connections can then close.
        let group = ServiceGroup(configuration: .init(services: [app, JobQueueService(queue: queue)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Stops the job queue when the studio is asked to stop (SIGTERM, SIGINT).
struct JobQueueService: Service {
    let queue: JobQueue

    func run() async throws {
        try? await gracefulShutdown()
        await queue.shutdown()
    }
}
