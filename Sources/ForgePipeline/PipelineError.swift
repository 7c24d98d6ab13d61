/// Why a design could not be made.
public enum PipelineError: Error, CustomStringConvertible {
    case tooLarge(size: String, neededGiB: Double, availableGiB: Double)
    case propertiesTooLarge(size: String, mode: String, neededGiB: Double, availableGiB: Double)
    case outputNotWritable(path: String, reason: String)
    case emptySolid
    case noThicknessMap
    case notADesign(path: String, reason: String)
    case badCephaloURL(String)
    case badRounds(Int)
    case unusableMesh(path: String, reason: String)
    case badOutputFolder(path: String, reason: String)
    case atlasUnusable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .tooLarge(size, needed, available):
            return String(format: "size %@ needs about %.1f GiB but this machine has %.1f GiB: choose a smaller --size",
                          size, needed, available)
        case let .propertiesTooLarge(size, mode, needed, available):
            let remedy = mode == "full" ? "use --properties fast (or off)"
                : "use --properties off, or a size that halves evenly to 128 per axis (fast mode averages only such grids)"
            return String(format: "the property solves of a %@ cell (--properties %@) need about %.1f GiB but this machine has %.1f GiB: %@",
                          size, mode, needed, available, remedy)
        case let .outputNotWritable(path, reason):
            return "cannot write to \(path): \(reason); choose a writable folder with --out"
        case .emptySolid:
            return "the solid phase is empty: raise solid_fraction"
        case .noThicknessMap:
            return "colouring by thickness needs the design's voxels: render a design folder, not a bare mesh"
        case let .notADesign(path, reason):
            return "\(path) is not a design folder (\(reason)); pass a folder written by generate"
        case let .badCephaloURL(text):
            return "'\(text)' is not an http(s) URL; set --cephalo-url or CEPHALO_BASE_URL to e.g. http://localhost:1234/v1"
        case let .badRounds(n):
            return "--rounds \(n) is out of range; use 1 to 20 rounds"
        case let .unusableMesh(path, reason):
            return "cannot render \(path): \(reason); repair or re-export the mesh"
        case let .badOutputFolder(path, reason):
            return "--out \(path): \(reason); name a new folder or a design folder elsewhere"
        case let .atlasUnusable(path, reason):
            return "--atlas \(path): \(reason)"
        }
    }
}

import Foundation
