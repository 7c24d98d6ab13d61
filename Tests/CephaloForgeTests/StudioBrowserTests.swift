import Foundation
import Testing

/// The studio's pages in headless Chromium, driven by Playwright for Python
/// (Tests/Browser/studio_browser.py): a prompt typed and submitted reaches its result
/// page, the 3D view shows a shaded part that turns when dragged and is cut by the
/// section plane, the slice scrubber changes the slice, a download link returns the whole
/// STL, the gallery shows the preview, no console errors, nothing fetched from elsewhere.
@Suite("cephalo-forge serve: the pages in a browser")
struct StudioBrowserTests {
    static let playwright = ThirdPartyPython.available(["playwright"]).missing.isEmpty
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser").appendingPathComponent("studio_browser.py")
    }

    @Test(.enabled(if: playwright, "needs Chromium at /usr/bin/chromium and Playwright for Python (pip install playwright)"))
    func aPromptReachesAResultPageThatTurnsScrubsAndDownloads() throws {
        let outputs = TestSupport.temporaryFolder().appendingPathComponent("designs")
        let studio = try StudioProcess(outputs: outputs)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", Self.script.path, "http://127.0.0.1:\(studio.port)",
                         "--downloads", outputs.deletingLastPathComponent().path]
        // STUDIO_SCREENSHOTS=Templates/gallery refreshes the README's pictures of the pages.
        if let folder = ProcessInfo.processInfo.environment["STUDIO_SCREENSHOTS"], !folder.isEmpty {
            arguments += ["--screenshots", folder]
        }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok    no console errors"), "\(text)")
        #expect(!text.contains("FAIL"), "\(text)")
    }
}
