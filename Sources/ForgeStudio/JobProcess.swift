import Foundation

/// One running `cephalo-forge generate`: no shell, the studio's own executable with an
/// argument list. Its stderr is read line by line: JSON progress lines become progress,
/// and the last `error: …` line becomes the job's error.
final class JobProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var lastError: String?
    private var cancelled = false

    /// Starts the process; `progress` gets each stage update, `ended` the exit status,
    /// whether it was cancelled and its last error line, once.
    init(executable: URL, arguments: [String], workingFolder: URL,
         progress: @escaping @Sendable (String, Double) -> Void,
         ended: @escaping @Sendable (Int32, Bool, String?) -> Void) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingFolder
        var environment = ProcessInfo.processInfo.environment
        environment[StudioJob.parentVariable] = String(getpid())
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let reader = errors.fileHandleForReading
        process.terminationHandler = { [weak self] finished in
            let job = self
            // Read what is left before reporting, so the last error line is not lost.
            DispatchQueue.global().async {
                job?.drain(reader, progress: progress)
                let (error, cancelled) = job?.outcome() ?? (nil, false)
                ended(finished.terminationStatus, cancelled, error)
            }
        }
        try process.run()
        try? errors.fileHandleForWriting.close()
        let thread = Thread { [weak self] in
            let job = self
            job?.drain(reader, progress: progress)
        }
        thread.start()
    }

    var processID: Int32 { process.processIdentifier }

    /// Asks the process to end (SIGTERM); its staging folder is removed when it has ended.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        if process.isRunning { process.terminate() }
    }

    private var pending = Data()
    private let readLock = NSLock()

    /// Reads lines until end of file (called from the reader thread and once more at exit;
    /// the lock keeps the two from interleaving).
    private func drain(_ handle: FileHandle, progress: @Sendable (String, Double) -> Void) {
        readLock.lock()
        defer { readLock.unlock() }
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            // A line longer than 64 KiB is not one of ours: keep its end only.
            if pending.count > 65_536, !pending.contains(10) { pending = pending.suffix(4096) }
            while let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                take(line: line, progress: progress)
            }
        }
    }

    private func take(line: String, progress: @Sendable (String, Double) -> Void) {
        if line.hasPrefix("{"), let data = line.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let stage = object["stage"] as? String, let fraction = object["progress"] as? Double {
            progress(stage, fraction)
        } else if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
            // A batch's "[3/8] v… done in 1.2 s" lines: the share of variants finished.
            let counts = line[line.index(after: line.startIndex)..<close].split(separator: "/").compactMap { Int($0) }
            if counts.count == 2, counts[1] > 0 { progress("variants", Double(counts[0]) / Double(counts[1])) }
        } else if line.hasPrefix("error: ") {
            lock.lock()
            lastError = String(line.dropFirst("error: ".count).prefix(2000))
            lock.unlock()
        }
    }

    private func outcome() -> (String?, Bool) {
        lock.lock()
        defer { lock.unlock() }
        return (lastError, cancelled)
    }
}
