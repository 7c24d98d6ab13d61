import Foundation

/// The project's JSON style: pretty, sorted keys, stable bytes for the same value.
public enum JSONFile {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// Encodes `value` and writes it atomically to `url`.
    public static func write<T: Encodable>(_ value: T, to url: URL) throws {
        try AtomicFile.write(encode(value), to: url)
    }
}
