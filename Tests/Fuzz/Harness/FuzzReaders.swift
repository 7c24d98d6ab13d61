import ForgeFormats
import Foundation

/// The readers of files users hand to CephaloForge, each fed arbitrary bytes. Every outcome
/// but a crash, a hang or unbounded memory is acceptable: a reader returns a value or
/// throws its one-line error.
///
/// Built for libFuzzer by `Tests/Fuzz/run` (the flag FUZZING); built normally, it replays
/// files: `cephalo-forge-fuzz READER FILE_OR_FOLDER…`.
enum Reader: String, CaseIterable {
    case recipeJSON = "recipe-json"
    case recipeYAML = "recipe-yaml"
    case sweep
    case png
    case stl

    var fileExtension: String {
        switch self {
        case .recipeJSON: return "json"
        case .recipeYAML, .sweep: return "yaml"
        case .png: return "png"
        case .stl: return "stl"
        }
    }

    /// A RAM-backed scratch file for inputs (the readers take paths).
    static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = URL(fileURLWithPath: base).appendingPathComponent("cephalo-forge-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    func exercise(_ data: Data) {
        let url = Self.scratch.appendingPathComponent("input." + fileExtension)
        guard (try? data.write(to: url)) != nil else { return }
        switch self {
        case .recipeJSON, .recipeYAML:
            _ = try? RecipeFile.decode(url)
        case .sweep:
            _ = try? SweepSpec.load(url)
        case .png:
            _ = try? PNGHeader.read(url)
            _ = try? PNGCodec.read(url)
            _ = try? PNGCodec.readRGB(url)
        case .stl:
            _ = try? BinarySTLReader.read(url)
        }
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The reader under test, from CEPHALO_FUZZ_READER.
nonisolated(unsafe) var fuzzedReader = Reader.recipeJSON

@_cdecl("cephalo_forge_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard let name = ProcessInfo.processInfo.environment["CEPHALO_FUZZ_READER"], let reader = Reader(rawValue: name) else {
        FileHandle.standardError.write(Data("set CEPHALO_FUZZ_READER to one of \(Reader.allCases.map(\.rawValue))\n".utf8))
        return 2
    }
    fuzzedReader = reader
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { bytes, length in
        fuzzedReader.exercise(bytes.map { Data(bytes: $0, count: length) } ?? Data())
        return 0
    }
}
#else
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let reader = Reader(rawValue: name) else {
            print("usage: cephalo-forge-fuzz READER FILE_OR_FOLDER… (READER: \(Reader.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        var files: [URL] = []
        for path in arguments.dropFirst() {
            let url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            if isFolder.boolValue {
                files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            reader.exercise(data)
        }
        print("\(reader.rawValue): \(files.count) inputs read without a crash")
    }
}
#endif
