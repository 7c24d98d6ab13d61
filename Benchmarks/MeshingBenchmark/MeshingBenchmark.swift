import CMemory
import CephaloForge
import ForgeFFT
import Foundation

/// Times CephaloForge's stages on the peer's volume (periodic spinodal, 8 wavelengths per
/// box edge, shell width 2 cycles per box, 35% solid) and writes that level set as raw
/// Float32 so the peer meshes exactly the same volume.
///
///   cephalo-forge-bench N [--runs R] [--raw FILE] [--mesh-out FILE.stl] [--synthesis-only | --decimation-only]
/// Prints one JSON line: medians per stage (s), triangles, peak RSS (MB). With
/// `--mesh-out`, the marched mesh (the one decimated) is written as binary STL, so
/// another decimator can be timed on it. With `--synthesis-only`, the field alone (the
/// first run, `first_synthesis_s`, also takes the buffer's first page faults) and a full
/// forward and inverse transform of the grid (`forward_inverse_s`). With `--decimation-only`,
/// the marched mesh's decimation to a quarter of its triangles alone.
@main
struct MeshingBenchmark {
    static func main() throws {
        _ = cf_map_blocks_from(4 << 20)  // as the CLI does
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let first = arguments.first, let n = Int(first) else {
            FileHandle.standardError.write(Data("usage: cephalo-forge-bench N [--runs R] [--raw FILE]\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        var runs = 3
        var rawPath: String?
        var synthesisOnly = false
        var decimationOnly = false
        var meshPath: String?
        func value(_ flag: String) -> String {
            guard !arguments.isEmpty else {
                FileHandle.standardError.write(Data("cephalo-forge-bench: \(flag) needs a value\n".utf8))
                exit(2)
            }
            return arguments.removeFirst()
        }
        while let flag = arguments.first {
            arguments.removeFirst()
            switch flag {
            case "--runs": runs = max(1, Int(value(flag)) ?? 3)
            case "--raw": rawPath = value(flag)
            case "--synthesis-only": synthesisOnly = true
            case "--decimation-only": decimationOnly = true
            case "--mesh-out": meshPath = value(flag)
            default: break
            }
        }
        var recipe = Recipe()
        recipe.size = GridSize(cube: n)
        recipe.extentMM = 10
        recipe.wavelengthMM = 10.0 / 8
        recipe.bandwidth = 2.0 / 8
        recipe.solidFraction = 0.35
        recipe.seed = 1

        var times: [String: [Double]] = [:]
        func time<T>(_ name: String, _ work: () throws -> T) rethrows -> T {
            let start = Date()
            let result = try work()
            times[name, default: []].append(Date().timeIntervalSince(start))
            return result
        }
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cf-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var triangles = 0
        if synthesisOnly {
            let first = Date()
            _ = try FieldSynthesis.field(for: recipe)
            let firstS = Date().timeIntervalSince(first)
            for _ in 0..<runs { _ = try time("synthesis") { try FieldSynthesis.field(for: recipe) } }
            let later = times["synthesis", default: [0]].sorted()
            // A full forward and inverse transform of the grid, as two-point statistics runs.
            let buffer = try RealSpectralBuffer(size: recipe.size)
            for i in 0..<buffer.floatCount { buffer.pointer[i] = Float(i % 7) }
            for _ in 0..<runs { time("fft") { buffer.forward(); buffer.inverse() } }
            let fft = times["fft", default: [0]].sorted()
            print("{\"n\":\(n),\"first_synthesis_s\":\(firstS),\"synthesis_s\":\(later[later.count / 2]),"
                + "\"forward_inverse_s\":\(fft[fft.count / 2]),\"runs\":\(runs)}")
            return
        }
        if decimationOnly {
            var field = try FieldSynthesis.field(for: recipe)
            field.threshold(toSolidFraction: recipe.solidFraction)
            let mesh = MarchingCubes.mesh(field)
            var kept = 0
            for _ in 0..<runs {
                kept = time("decimation") { mesh.decimated(maxTriangles: mesh.triangleCount / 4, box: SIMD3(repeating: 10)) }
                    .triangleCount
            }
            let d = times["decimation", default: [0]].sorted()
            print("{\"n\":\(n),\"triangles\":\(mesh.triangleCount),\"kept\":\(kept),"
                + "\"decimation_s\":\(d[d.count / 2]),\"runs\":\(runs)}")
            return
        }
        for _ in 0..<runs {
            var field = try time("synthesis") { try FieldSynthesis.field(for: recipe) }
            time("threshold") { field.threshold(toSolidFraction: recipe.solidFraction) }
            let mask = VoxelMask(solidOf: field)
            _ = try time("two_point") { try TwoPointStatistics(of: mask, voxelSizeMM: recipe.voxelSizeMM) }
            _ = time("topology") { Topology(of: mask) }
            _ = time("distance_transform") { DistanceTransform.squaredDistance(toComplementOf: mask, outsideIsFeature: true) }
            _ = time("thickness") { LocalThickness(of: mask, voxelSizeMM: recipe.voxelSizeMM, outsideIsBoundary: true) }
            _ = time("pore_thickness") { LocalThickness(ofComplementOf: mask, voxelSizeMM: recipe.voxelSizeMM, outsideIsBoundary: false) }
            _ = time("pore_thickness_periodic") { LocalThickness.periodicField(ofComplementOf: mask) }
            _ = time("subvoxel_thickness") { SubvoxelThickness(field: field) }
            _ = time("porosimetry") { Porosimetry(of: mask, voxelSizeMM: recipe.voxelSizeMM) }
            _ = time("chords") { ChordStatistics(of: mask, voxelSizeMM: recipe.voxelSizeMM) }
            _ = time("fabric") { FabricTensor(of: mask, voxelSizeMM: recipe.voxelSizeMM) }
            var cleaned = field
            _ = time("cleanup") { PrintabilityCleanup.clean(&cleaned, targets: FractionTargets(recipe: recipe),
                                                            options: CleanupOptions(recipe: recipe)) }
            let mesh = time("meshing") { MarchingCubes.mesh(field) }
            _ = time("mesh_checks") { MeshCheck(of: mesh) }
            let reduced = time("decimation") { mesh.decimated(maxTriangles: mesh.triangleCount / 4, box: SIMD3(repeating: 10)) }
            _ = time("reduction_fidelity") {
                let tolerance = MeshFidelity.Tolerance(voxel: recipe.voxelSizeMM)
                let reference = MeshFidelity.Reference(mesh, shells: MeshShells(of: mesh), tolerance: tolerance)
                return MeshFidelity(of: reduced, shells: MeshShells(of: reduced), against: reference, tolerance: tolerance)
            }
            try time("three_mf") {
                try MeshFormat.threeMF.write(reduced, name: "benchmark", to: scratch.appendingPathComponent("model.3mf"))
            }
            try time("volume_nrrd") { try VolumeFormat.nrrd.write(field, into: scratch) }
            triangles = mesh.triangleCount
            // Each run writes new files, as the peer does: replacing the last run's file
            // would add freeing its blocks to the time.
            for name in ["model.stl", "model.3mf", "volume.raw", "volume.nhdr"] {
                try? FileManager.default.removeItem(at: scratch.appendingPathComponent(name))
            }
            try time("stl") { try BinarySTLWriter.write(mesh, to: scratch.appendingPathComponent("model.stl")) }
            let slices = scratch.appendingPathComponent("slices-\(times["png", default: []].count)")
            try FileManager.default.createDirectory(at: slices, withIntermediateDirectories: true)
            try time("png") {
                try SliceStackWriter.write(field, to: slices, textKey: "recipe", text: "benchmark")
            }
            if let meshPath { try BinarySTLWriter.write(mesh, to: URL(fileURLWithPath: meshPath)) }
            if let rawPath { try littleEndianRaw(field.values).write(to: URL(fileURLWithPath: rawPath)) }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        var result: [String: Any] = ["n": n, "triangles": triangles, "runs": runs,
                                     "peak_rss_mb": Double(usage.ru_maxrss) / 1024]
        for (name, values) in times { result[name + "_s"] = values.sorted()[values.count / 2] }
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func littleEndianRaw(_ values: [Float]) -> Data {
        values.withUnsafeBufferPointer { Data(buffer: $0) }
    }
}
