import CephaloForge
import Testing

@Suite("Quantile threshold")
struct ThresholdTests {
    @Test(arguments: [0.05, 0.3, 0.5, 0.72, 0.95], [1, 2] as [UInt64])
    func realisedFractionIsExact(fraction: Double, seed: UInt64) throws {
        var recipe = SynthesisTests.recipe(seed: seed, size: 32)
        recipe.solidFraction = fraction
        var g = try FieldSynthesis.field(for: recipe)
        let original = g
        let result = g.threshold(toSolidFraction: fraction)
        let target = Int((fraction * Double(g.values.count)).rounded())
        #expect(result.solidCount == target, "seed \(seed)")
        #expect(g.positiveCount == target, "seed \(seed)")
        #expect(abs(result.solidFraction - fraction) < 0.002)
        // The level set keeps the order of the field: solid exactly where g > t.
        for i in stride(from: 0, to: g.values.count, by: 97) {
            #expect((g.values[i] > 0) == (original.values[i] > result.threshold))
        }
    }

    @Test func workOnPlanarAndSkewedData() {
        var g = ScalarGrid(size: GridSize(nx: 40, ny: 30, nz: 1), voxelSizeMM: 1)
        for i in g.values.indices { g.values[i] = Float(i % 7) * 1e-3 + Float(i) * 1e-7 + (i % 3 == 0 ? 100 : 0) }
        let result = g.threshold(toSolidFraction: 0.5)
        #expect(result.solidCount == 600)
    }
}
