import Foundation

/// Reports stage progress. The default writes a one-line bar to stderr when stderr is a
/// terminal; otherwise it stays silent. As JSON lines it writes one object per update,
/// `{"stage":"meshing","progress":0.42}`, for scripts and the studio.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let jsonLines: Bool
    private var lastDraw = Date.distantPast
    private var current = ""

    /// `quiet` silences it; it is also silent when stderr is not a terminal, unless it
    /// writes `jsonLines`.
    public init(quiet: Bool, jsonLines: Bool = false) {
        self.jsonLines = jsonLines && !quiet
        enabled = !quiet && (jsonLines || isatty(STDERR_FILENO) != 0)
    }

    /// Updates the bar for `stage` at `fraction` (0…1), at most ten times a second.
    public func update(_ stage: String, _ fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard stage != current || fraction >= 1 || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        current = stage
        lastDraw = now
        if jsonLines {
            let clamped = min(max(fraction.isFinite ? fraction : 0, 0), 1)
            let line = String(format: "{\"stage\":\"%@\",\"progress\":%.3f}\n", stage as NSString, clamped)
            FileHandle.standardError.write(Data(line.utf8))
            return
        }
        let width = 24
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\r%-10@ [%@] %3d%%", stage as NSString, bar as NSString, Int(fraction * 100))
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar line.
    public func finish() {
        guard enabled, !jsonLines else { return }
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
