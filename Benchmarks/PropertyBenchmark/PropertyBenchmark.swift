import CMemory
import CephaloForge
import Foundation

/// Times the elastic homogenisation on a periodic cell (by default a spinodal, 35% solid,
/// λ = box/8; the field cut at the fraction with no cleanup) and writes its voxels as raw
/// UInt8 so an independent code solves exactly the same cell.
///
///   cephalo-forge-property-bench N [--runs R] [--raw FILE] [--tolerance T] [--fraction F]
///                                [--family F] [--cells C] [--factors 1,2]
/// `--family` takes a family name or `<family>_sheet`; `--cells` wavelengths (or lattice cells)
/// per box edge (default 8); `--factors` solves the cell averaged over blocks of each size too.
/// Prints one JSON line per factor: median seconds, iterations per load case, E/E_s, peak RSS (MB).
@main
struct PropertyBenchmark {
    static func main() throws {
        _ = cf_map_blocks_from(4 << 20)
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let n = Int(first), n >= 8, n <= 1024 else {
            FileHandle.standardError.write(Data("usage: cephalo-forge-property-bench N [--runs R] [--raw FILE] [--tolerance T]\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        var runs = 3
        var rawPath: String?
        var tolerance = 1e-5
        var fraction = 0.35
        var family = "spinodal"
        var factors = [1]
        var wavelengthPerBox = 8.0
        while let flag = arguments.first {
            arguments.removeFirst()
            let value = arguments.isEmpty ? "" : arguments.removeFirst()
            switch flag {
            case "--runs": runs = Int(value) ?? 3
            case "--raw": rawPath = value
            case "--tolerance": tolerance = Double(value) ?? 1e-5
            case "--fraction": fraction = Double(value) ?? 0.35
            case "--family": family = value
            case "--factors": factors = value.split(separator: ",").compactMap { Int($0) }
            case "--cells": wavelengthPerBox = Double(value) ?? 8
            default: break
            }
        }
        var recipe = Recipe()
        recipe.size = GridSize(cube: n)
        recipe.wavelengthMM = recipe.extentMM / wavelengthPerBox
        // "<family>_sheet" is the family's sheet (two-sided) mode.
        let sheet = family.hasSuffix("_sheet")
        recipe.family = try Recipe.choice(sheet ? String(family.dropLast(6)) : family, key: "family")
        if sheet { recipe.mode = .sheet }
        recipe.solidFraction = fraction
        var field = try FieldSynthesis.field(for: recipe)
        field.threshold(toSolidFraction: recipe.solidFraction)
        let mask = VoxelMask(solidOf: field)
        if let rawPath {
            try Data(mask.bits).write(to: URL(fileURLWithPath: rawPath))
        }
        let material = SolidMaterial.preset(named: "resin")!
        for factor in factors {
            var times: [Double] = []
            var result: ElasticHomogenisation.Result?
            let cell = factor == 1 ? CoarseCell(mask: mask) : CoarseCell(mask: mask, factor: factor)
            for _ in 0..<runs {
                let start = Date()
                let moduli = cell.moduli(material: material)
                result = try ElasticHomogenisation(moduli: moduli, tolerance: tolerance).solve()
                times.append(Date().timeIntervalSince(start))
            }
            let median = times.sorted()[times.count / 2]
            let tensor = StiffnessTensor(result!.stiffness)
            let e = tensor.axialYoungsModuli.map { ($0 / material.youngsModulusGPa * 1e5).rounded() / 1e5 }
            let its = result!.solves.map(\.iterations)
            print("{\"n\": \(n), \"family\": \"\(family)\", \"factor\": \(factor), \"solid_fraction\": \(Double(mask.count) / Double(mask.size.count)), \"median_s\": \(median), \"iterations\": \(its), \"peak_rss_mb\": \(peakRSSMB()), \"relative_e\": \(e)}")
        }
    }
}

/// Peak resident memory of this process, MB.
func peakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
