import CMemory
import CephaloForge
import Foundation

/// Times the transport solves on a periodic cell (by default a spinodal, 35% solid, λ = box/8;
/// the field cut at the fraction with no cleanup) and writes its voxels as raw UInt8
/// (1 = solid) so an independent code solves exactly the same cell.
///
///   cephalo-forge-transport-bench N [--runs R] [--raw FILE] [--tolerance T] [--fraction F]
///                                 [--family F] [--cells C] [--solve conductivity|permeability|both]
///                                 [--load FILE] [--factors 1,2]
/// `--factors` solves the pore space averaged over blocks of each size too (as `fast` does);
/// permeability is then given in the design's voxels².
/// `--load` reads an N³ raw UInt8 cell (1 = solid, x fastest) instead of synthesising one.
/// Prints one JSON line per solve: median seconds, iterations per axis, the diagonal, peak RSS (MB).
@main
struct TransportBenchmark {
    static func main() throws {
        _ = cf_map_blocks_from(4 << 20)
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let n = Int(first), n >= 8, n <= 1024 else {
            FileHandle.standardError.write(Data("usage: cephalo-forge-transport-bench N [--runs R] [--raw FILE] [--tolerance T] [--solve conductivity|permeability|both]\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        var runs = 3
        var rawPath: String?
        var tolerance: Double?
        var fraction = 0.35
        var family = "spinodal"
        var wavelengthPerBox = 8.0
        var solve = "both"
        var loadPath: String?
        var factors = [1]
        while let flag = arguments.first {
            arguments.removeFirst()
            let value = arguments.isEmpty ? "" : arguments.removeFirst()
            switch flag {
            case "--runs": runs = Int(value) ?? 3
            case "--raw": rawPath = value
            case "--tolerance": tolerance = Double(value)
            case "--fraction": fraction = Double(value) ?? 0.35
            case "--family": family = value
            case "--cells": wavelengthPerBox = Double(value) ?? 8
            case "--solve": solve = value
            case "--load": loadPath = value
            case "--factors": factors = value.split(separator: ",").compactMap { Int($0) }
            default: break
            }
        }
        var recipe = Recipe()
        recipe.size = GridSize(cube: n)
        recipe.wavelengthMM = recipe.extentMM / wavelengthPerBox
        let sheet = family.hasSuffix("_sheet")
        recipe.family = try Recipe.choice(sheet ? String(family.dropLast(6)) : family, key: "family")
        if sheet { recipe.mode = .sheet }
        recipe.solidFraction = fraction
        let solid: VoxelMask
        if let loadPath {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: loadPath))
            guard bytes.count == n * n * n else {
                FileHandle.standardError.write(Data("\(loadPath) holds \(bytes.count) bytes, not \(n)³\n".utf8))
                exit(2)
            }
            solid = VoxelMask(size: GridSize(cube: n), bits: bytes.map { $0 != 0 ? 1 : 0 })
            family = URL(fileURLWithPath: loadPath).deletingPathExtension().lastPathComponent
        } else {
            var field = try FieldSynthesis.field(for: recipe)
            field.threshold(toSolidFraction: recipe.solidFraction)
            solid = VoxelMask(solidOf: field)
        }
        if let rawPath {
            try Data(solid.bits).write(to: URL(fileURLWithPath: rawPath))
        }
        let designPores = VoxelMask(size: solid.size, bits: solid.bits.map { 1 - $0 })
        for factor in factors {
            var pores = designPores
            var f = 1
            while f < factor {
                pores = pores.halved()
                f *= 2
            }
            let porosity = Double(pores.count) / Double(pores.size.count)
            let head = "\"n\": \(n), \"family\": \"\(family)\", \"factor\": \(factor), \"porosity\": \(porosity)"
            if solve == "conductivity" || solve == "both" {
                let (seconds, result) = median(runs) { () -> ConductivityHomogenisation.Result in
                    var solver = ConductivityHomogenisation(phase: pores)
                    if let tolerance { solver.tolerance = tolerance }
                    return solver.solve()
                }
                let k = (0..<3).map { result.conductivity[4 * $0] }
                print("{\"solve\": \"conductivity\", \(head), \"median_s\": \(seconds), \"iterations\": \(result.solves.map(\.iterations)), \"relative_conductivity\": \(k), \"tortuosity_factor\": \(k.map { porosity / $0 }), \"peak_rss_mb\": \(peakRSSMB())}")
            }
            if solve == "permeability" || solve == "both" {
                let (seconds, result) = median(runs) { () -> StokesPermeability.Result in
                    var solver = StokesPermeability(pores: pores)
                    if let tolerance { solver.tolerance = tolerance }
                    return solver.solve()
                }
                let scale = Double(factor * factor)
                let k = (0..<3).map { result.permeability[4 * $0] * scale }
                print("{\"solve\": \"permeability\", \(head), \"median_s\": \(seconds), \"iterations\": \(result.solves.map(\.iterations)), \"permeability_voxel2\": \(k), \"tensor\": \(result.permeability.map { $0 * scale }), \"peak_rss_mb\": \(peakRSSMB())}")
            }
        }
    }
}

/// The median seconds of `runs` calls of `body` (at least one), and the last call's result.
func median<T>(_ runs: Int, _ body: () -> T) -> (Double, T) {
    var start = Date()
    var result = body()
    var times = [Date().timeIntervalSince(start)]
    for _ in 1..<max(runs, 1) {
        start = Date()
        result = body()
        times.append(Date().timeIntervalSince(start))
    }
    return (times.sorted()[times.count / 2], result)
}

/// Peak resident memory of this process, MB.
func peakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
