import CephaloForge
import Foundation
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

    /// Adjacent floats at the cut leave no value strictly between them: the sample on the
    /// cut must still read as void, to us and to any reader whose convention is f ≥ 0.
    @Test func noSampleIsExactlyZeroAfterTheCut() {
        var g = ScalarGrid(size: GridSize(nx: 16, ny: 16, nz: 1), voxelSizeMM: 1)
        let base: Float = 0.75
        for i in g.values.indices {
            // Half the samples one float above `base`, half exactly at it, some far below.
            g.values[i] = i < 128 ? base.nextUp : (i < 200 ? base : -Float(i))
        }
        let result = g.threshold(toSolidFraction: 0.5)
        #expect(result.solidCount == 128)
        #expect(!g.values.contains(0))
        #expect(g.values.filter { $0 >= 0 }.count == 128)
    }

    /// Values spread over many magnitudes and signs (the histogram bins are relative).
    @Test func cutsFieldsOfAnyScale() {
        var random = SeededRandom(seed: 5)
        var g = ScalarGrid(size: GridSize(nx: 50, ny: 40, nz: 3), voxelSizeMM: 1)
        for i in g.values.indices {
            let magnitude = Float(pow(10, random.nextOpenUnit() * 12 - 6))
            g.values[i] = random.nextOpenUnit() < 0.5 ? -magnitude : magnitude
        }
        for fraction in [0.01, 0.37, 0.5, 0.93] {
            var copy = g
            let target = Int((fraction * Double(g.values.count)).rounded())
            #expect(copy.threshold(toSolidFraction: fraction).solidCount == target)
        }
    }
}
