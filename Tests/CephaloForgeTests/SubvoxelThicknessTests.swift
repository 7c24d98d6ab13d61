import CephaloForge
import Foundation
import Testing

@Suite("Thickness below the voxel size, and the verdict that reads it")
struct SubvoxelThicknessTests {
    /// A plate of width `w` voxels with normal `n`, as a level set f = w/2 − |n·(p − c)|.
    static func plate(width w: Double, normal n: SIMD3<Double>, size: Int = 24, offset: Double = 0.3) -> ScalarGrid {
        let unit = n / (n * n).sum().squareRoot()
        let c = SIMD3(repeating: Double(size) / 2 + offset)
        return TestSupport.grid(size, voxelMM: 1) { x, y, z in
            w / 2 - abs((unit * (SIMD3(x, y, z) - c)).sum())
        }
    }

    @Test("plates of known width read their width, not the voxels'", arguments: [
        (0.7, SIMD3<Double>(0, 0, 1)), (1.3, SIMD3(0, 0, 1)), (1.9, SIMD3(0, 0, 1)), (2.5, SIMD3(0, 0, 1)), (4.2, SIMD3(0, 0, 1)),
        (1.9, SIMD3(1, 1, 0)), (2.5, SIMD3(1, 2, 2)),
    ])
    func plates(width: Double, normal: SIMD3<Double>) throws {
        let field = Self.plate(width: width, normal: normal)
        let map = SubvoxelThickness(field: field)
        let mask = VoxelMask(solidOf: field)
        let voxel = LocalThickness.field(of: mask, outsideIsBoundary: false)
        // Away from the box faces every reading of the plate is its width, to 3%.
        let n = field.size.nx
        var readings: [Double] = []
        for z in 4..<(n - 4) { for y in 4..<(n - 4) { for x in 4..<(n - 4) {
            let i = x + n * (y + n * z)
            if mask.bits[i] != 0, map.quantized[i] > 0 { readings.append(Double(map.quantized[i]) / Double(SubvoxelThickness.scale)) }
        } } }
        #expect(!readings.isEmpty)
        let worst = readings.map { abs($0 / width - 1) }.max() ?? 1
        #expect(worst < 0.03, "width \(width), normal \(normal): readings \(readings.min()!)…\(readings.max()!)")
        // The voxel measure of an axis-aligned plate of width 1.9 reads 2 voxels; the summary's sub-voxel p5 reads 1.9.
        if normal == SIMD3(0, 0, 1), width == 1.9 {
            let summary = try #require(LocalThickness(field: voxel, size: field.size, voxelSizeMM: 1))
            #expect(summary.percentile5MM == 2)
            let sub = try #require(SubvoxelSummary(field: voxel, subvoxel: map, voxelSizeMM: 1))
            #expect(abs(sub.percentile5MM - 1.9) < 0.03)
        }
    }

    /// The sheet gyroid |g| < t of one cell: its wall is 2t/|∇g| thick across the middle
    /// surface (first order in t). The sub-voxel 5th percentile and mean match it to 5%.
    @Test("a thin gyroid sheet reads its analytic wall thickness")
    func gyroidSheet() throws {
        let n = 96, cell = 2.5, h = cell / Double(n)
        let k = 2 * Double.pi / cell
        func g(_ p: SIMD3<Double>) -> Double {
            let (x, y, z) = (k * p.x, k * p.y, k * p.z)
            return sin(x) * cos(y) + sin(y) * cos(z) + sin(z) * cos(x)
        }
        func gradient(_ p: SIMD3<Double>) -> Double {
            let (x, y, z) = (k * p.x, k * p.y, k * p.z)
            let d = SIMD3(cos(x) * cos(y) - sin(z) * sin(x), -sin(x) * sin(y) + cos(y) * cos(z), -sin(y) * sin(z) + cos(z) * cos(x)) * k
            return (d * d).sum().squareRoot()
        }
        var values = [Double](), centres = [SIMD3<Double>]()
        for z in 0..<n { for y in 0..<n { for x in 0..<n {
            let p = (SIMD3(Double(x), Double(y), Double(z)) + 0.5) * h
            centres.append(p)
            values.append(g(p))
        } } }
        let t = values.map(abs).sorted()[values.count / 10]  // 10% solid
        let field = ScalarGrid(size: GridSize(cube: n), voxelSizeMM: h, values: values.map { Float(t - abs($0)) })
        let exact = zip(values, centres).filter { abs($0.0) < t }.map { 2 * t / gradient($0.1) }.sorted()
        let expectedP5 = exact[exact.count / 20], expectedMean = exact.reduce(0, +) / Double(exact.count)
        let mask = VoxelMask(solidOf: field)
        let voxel = LocalThickness.field(of: mask, outsideIsBoundary: false)
        let sub = try #require(SubvoxelSummary(field: voxel, subvoxel: SubvoxelThickness(field: field), voxelSizeMM: h))
        #expect(abs(sub.percentile5MM / expectedP5 - 1) < 0.05, "p5 \(sub.percentile5MM) against \(expectedP5)")
        #expect(abs(sub.meanMM / expectedMean - 1) < 0.05, "mean \(sub.meanMM) against \(expectedMean)")
        // The voxels alone read it much thicker.
        let summary = try #require(LocalThickness(field: voxel, size: field.size, voxelSizeMM: h))
        #expect(summary.percentile5MM > 1.2 * expectedP5)
    }

    @Test("a 10% gyroid sheet at 128³ (walls of 0.07 mm in 0.078 mm voxels) is not printable for 0.1 mm, and says what size resolves it")
    func unresolvedSheetIsNotPrintable() throws {
        var recipe = Recipe.defaults
        recipe.family = .gyroid
        recipe.mode = .sheet
        recipe.solidFraction = 0.1
        recipe.wavelengthMM = 2.4
        recipe.size = GridSize(cube: 128)
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        let result = try DesignGenerator.generate(recipe, into: OutputLayout(folder: TestSupport.temporaryFolder().appendingPathComponent("sheet")),
                                                  options: options)
        let verdict = result.metrics.printability
        #expect(!verdict.printable)
        #expect(verdict.reasons.contains { $0.contains("too thin") })
        #expect(verdict.reasons.contains { $0.contains("unresolved") })
        let t = try #require(result.metrics.structure.solidThickness)
        #expect(t.percentile5MM >= 0.15, "the voxels read one voxel as two")
        #expect(try #require(t.subvoxel).percentile5MM < 0.08)
        #expect(result.warnings.contains { $0.message.contains("--size") && $0.message.contains("voxels across") })
    }
}
