import ForgeCore
import Foundation

/// What has been learnt about model servers, kept between runs in the cache folder
/// (`servers.json`): per base URL (without user-info), the image tags it accepted after
/// refusing others and whether it refuses `response_format`. A damaged or missing file
/// is an empty memory; a file that cannot be written is not an error.
public final class ServerMemory: @unchecked Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var imageTags: ImageTagStyle?
        public var refusesJSONMode: Bool?

        enum CodingKeys: String, CodingKey {
            case imageTags = "image_tags"
            case refusesJSONMode = "refuses_json_mode"
        }
    }

    /// The memory in the cache folder.
    public static let shared = ServerMemory(file: CacheFolder.url().appendingPathComponent("servers.json"))

    public let file: URL
    private let lock = NSLock()
    private var entries: [String: Entry]?

    public init(file: URL) { self.file = file }

    /// What is remembered of `server` (empty when nothing is).
    public func entry(for server: String) -> Entry {
        lock.withLock { loaded()[server] ?? Entry() }
    }

    /// Changes what is remembered of `server` and saves the memory.
    public func update(_ server: String, _ change: (inout Entry) -> Void) {
        lock.withLock {
            var all = loaded()
            var entry = all[server] ?? Entry()
            change(&entry)
            guard all[server] != entry else { return }
            all[server] = entry
            entries = all
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            guard let data = try? encoder.encode(all) else { return }
            try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: file, options: .atomic)
        }
    }

    /// Reads the file once (callers hold the lock). At most 1 MiB is read: a larger file
    /// is not one this program wrote.
    private func loaded() -> [String: Entry] {
        if let entries { return entries }
        var read: [String: Entry] = [:]
        if let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
           attributes[.type] as? FileAttributeType == .typeRegular,
           (attributes[.size] as? Int ?? .max) <= 1 << 20,
           let data = try? Data(contentsOf: file),
           let decoded = try? JSONDecoder().decode([String: Entry].self, from: data) {
            read = decoded
        }
        entries = read
        return read
    }
}
