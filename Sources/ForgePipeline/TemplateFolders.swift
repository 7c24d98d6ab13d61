import Foundation

/// Where templates (`Templates/recipes/*.yaml`, `Templates/prompts/*.md`) are looked up:
/// `$CEPHALO_FORGE_TEMPLATES`, then `Templates/` in the current folder and its parents, then
/// beside the executable's package checkout.
public enum TemplateFolders {
    public static func recipeFolders() -> [URL] {
        roots().map { $0.appendingPathComponent("recipes") }
    }

    public static func sweepFolders() -> [URL] {
        roots().map { $0.appendingPathComponent("sweeps") }
    }

    /// The first `prompts` folder that holds the describe and critique templates.
    public static func promptFolder() -> URL? {
        roots().map { $0.appendingPathComponent("prompts") }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("critique.md").path)
        }
    }

    static func roots() -> [URL] {
        var roots: [URL] = []
        if let env = ProcessInfo.processInfo.environment["CEPHALO_FORGE_TEMPLATES"], !env.isEmpty {
            roots.append(URL(fileURLWithPath: env))
        }
        let starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()]
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent("Templates")
                if FileManager.default.fileExists(atPath: candidate.path) {
                    roots.append(candidate)
                    break
                }
                folder.deleteLastPathComponent()
            }
        }
        var seen = Set<String>()
        return roots.filter { seen.insert($0.path).inserted }
    }
}

extension TemplateFolders {
    /// The first `studio` folder that holds the studio's page templates.
    public static func studioFolder() -> URL? {
        roots().map { $0.appendingPathComponent("studio") }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.mustache").path)
        }
    }
}
