import CephaloForge
import Foundation
import Testing

/// The readers of user files (recipes, sweeps, PNG pictures, STL meshes) over the fuzzing
/// corpus — seeds and every input that once crashed them — and over inputs mutated from it,
/// through the harness that `Tests/Fuzz/run` puts under libFuzzer. The property: the
/// harness reads them all and ends normally (a crash, hang or trap fails the test).
@Suite("Readers of user files under generated input")
struct FuzzRegressionTests {
    static let corpus: URL = {
        var folder = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { folder.deleteLastPathComponent() }
        return folder.appendingPathComponent("Fuzz/Corpus")
    }()

    static var harness: URL? {
        CLIRunner.executable?.deletingLastPathComponent().appendingPathComponent("cephalo-forge-fuzz")
    }

    /// Bit flips, byte changes, cuts, repeats and splices of `data`, deterministic in `seed`.
    static func mutations(of data: Data, seed: UInt64, count: Int) -> [Data] {
        var rng = SeededRandom(seed: seed, stream: 0xF022)
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { return [] }
        return (0..<count).map { _ in
            var out = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(max(out.count, 1)))
                switch rng.next() % 6 {
                case 0: if at < out.count { out[at] ^= UInt8(1 << (rng.next() % 8)) }
                case 1: if at < out.count { out[at] = [0, 0xFF, 0x7F, 0x80, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ":")][Int(rng.next() % 7)] }
                case 2: out = Array(out.prefix(at))
                case 3: out.insert(contentsOf: out[at..<min(out.count, at + 1 + Int(rng.next() % 64))], at: at)
                case 4: out.insert(contentsOf: Array(repeating: out[at % max(out.count, 1)], count: Int(rng.next() % 300)), at: at)
                default: if out.count > 4 { out.replaceSubrange(at..<min(out.count, at + 4), with: [0xFF, 0xFF, 0xFF, 0x7F]) }
                }
                if out.isEmpty { out = [0] }
            }
            return Data(out)
        }
    }

    @Test("every corpus input and 300 mutations of each seed are read without a crash",
          arguments: ["recipe-json", "recipe-yaml", "sweep", "png", "stl"])
    func readersSurvive(reader: String) throws {
        let harness = try #require(Self.harness, "cephalo-forge-fuzz is not built next to the tests: run `swift build` first")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.appendingPathComponent(reader).path).sorted()
        #expect(!seeds.isEmpty)
        let folder = TestSupport.temporaryFolder("fuzz-\(reader)")
        var written = 0
        for (k, name) in seeds.enumerated() {
            let data = try Data(contentsOf: Self.corpus.appendingPathComponent(reader).appendingPathComponent(name))
            try data.write(to: folder.appendingPathComponent("seed-\(k)"))
            for (m, mutated) in Self.mutations(of: data, seed: UInt64(k), count: 300).enumerated() {
                try mutated.write(to: folder.appendingPathComponent("m-\(k)-\(m)"))
                written += 1
            }
        }
        let process = Process()
        process.executableURL = harness
        process.arguments = [reader, folder.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && process.terminationReason == .exit, "\(reader): \(text)")
        #expect(text.contains("\(written + seeds.count) inputs read without a crash"), "\(text)")
    }
}
