import CephaloForge
import Foundation
import Testing

/// The local critic judges lattices by their cell and graded designs without their trend,
/// so a design that is what was asked for is left as it is.
@Suite("The critic reads lattices and gradings", .serialized)
struct CriticReadingTests {
    static var options: DesignOptions {
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        return options
    }

    @Test("a lattice's cell is read from its spectrum to 1% (the {110}, {111} and {100} peaks between Fourier shells)",
          arguments: [StructureFamily.gyroid, .diamond, .schwarzP])
    func latticeCells(family: StructureFamily) throws {
        var recipe = Recipe.defaults
        recipe.family = family
        recipe.wavelengthMM = 2.4   // snapped to 2.5 mm: four cells in 10 mm
        recipe.solidFraction = 0.3
        recipe.size = GridSize(cube: 80)
        let result = try DesignGenerator.generate(recipe, into: OutputLayout(folder: TestSupport.temporaryFolder().appendingPathComponent("l")),
                                                  options: Self.options)
        #expect(result.metrics.latticeCellMM == [2.5, 2.5, 2.5])
        let cell = try #require(result.metrics.measures(of: recipe).latticeCellMM)
        #expect(abs(cell / 2.5 - 1) < 0.01, "\(family): \(cell)")
    }

    @Test("iterate on a correct lattice or graded design changes nothing", arguments: [
        "gyroid lattice, 2.4 mm cells, 30% solid, 10 mm cube",
        "diamond lattice, cell size 2.5 mm, 25% solid, 10 mm cube",
        "graded foam from 20% at the bottom to 50% at the top, wavelength 1.5 mm, 10 mm cube",
    ])
    func correctDesignsStay(target: String) throws {
        var start = try LocalDescriber().describe(target).recipe
        start.size = GridSize(cube: 96)
        let summary = try Iteration.run(target: target, start: start, into: TestSupport.temporaryFolder(), rounds: 3,
                                        options: Self.options, critic: LocalCritic())
        #expect(summary.rounds.count == 1, "\(summary.rounds.map(\.summary))")
        #expect(summary.rounds.first?.satisfied == true && summary.rounds.first?.measuredMet == true)
    }
}

@Suite("The fractal default is resolved")
struct FractalResolutionTests {
    static func volumeShortfall(_ recipe: Recipe) throws -> Double {
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        options.maxTriangles = 0
        let m = try DesignGenerator.generate(recipe, into: OutputLayout(folder: TestSupport.temporaryFolder().appendingPathComponent("f")),
                                             options: options).metrics
        return 1 - (m.volumeMM3 ?? 0) / m.voxelVolumeMM3
    }

    @Test("its smallest scale is four voxels, and its mesh keeps more of the voxels' volume than at two")
    func fractalDefault() throws {
        var recipe = try LocalDescriber().describe("fractal, rough, 30% solid, 10 mm cube").recipe
        recipe.size = GridSize(cube: 96)
        let atDefault = try Self.volumeShortfall(recipe)
        recipe.minWavelengthMM = 2 * recipe.voxelSizeMM
        let atNyquist = try Self.volumeShortfall(recipe)
        #expect(atDefault < 0.06 && atDefault < 0.6 * atNyquist, "shortfall \(atDefault) at four voxels, \(atNyquist) at two")
    }
}

@Suite("Specific surfaces, named for what they count")
struct SpecificSurfaceTests {
    @Test("a ball has no caps; a block filling its box is all caps but its bevelled edges")
    func capsAreCountedApart() {
        let box = SIMD3<Float>(24, 24, 24)
        let ball = MeshCheck(of: MetricsTests.mesh(of: MetricsTests.ball(24, radius: 8)), box: box)
        #expect(ball.capArea == 0 && ball.area > 0)
        let block = MeshCheck(of: MarchingCubes.mesh(TestSupport.grid(24, voxelMM: 1) { _, _, _ in 1 }), box: box)
        #expect(block.capArea > 0.9 * block.area && block.capArea < block.area)
    }
}

@Suite("Periodic designs read as the tiling they are")
struct PeriodicReadingTests {
    @Test("a periodic cell's pore thickness is that of the middle cell of its 3 × 3 × 3 tiling", arguments: [5.0, 9.0])
    func poresAcrossTheFaces(wavelengthMM: Double) throws {
        var recipe = Recipe.defaults
        recipe.size = GridSize(cube: 24)
        recipe.extentMM = 10
        recipe.wavelengthMM = wavelengthMM  // 9 mm: pores wider than the first padding, which then grows
        recipe.solidFraction = 0.35
        var field = try FieldSynthesis.field(for: recipe)
        _ = field.threshold(toSolidFraction: recipe.solidFraction)
        let cell = VoxelMask(solidOf: field)
        let periodic = try #require(LocalThickness.periodicField(ofComplementOf: cell))
        let tiled = VoxelMask(solidOf: field.tiled([3, 3, 3]))
        let tiling = LocalThickness.field(ofComplementOf: tiled, outsideIsBoundary: false)
        var worst: Float = 0
        for z in 0..<24 { for y in 0..<24 { for x in 0..<24 {
            let middle = tiling[(x + 24) + 72 * ((y + 24) + 72 * (z + 24))]
            worst = max(worst, abs(periodic[x + 24 * (y + 24 * z)] - middle))
        } } }
        #expect(worst < 1e-5, "largest difference \(worst)")
        // Padded at once from the unwrapped distances, as the metrics do: the same field.
        let unwrapped = DistanceTransform.squaredDistance(to: cell, outsideIsFeature: false)
        let hint = LocalThickness.periodicRadiusHint(unwrapped, size: cell.size)
        #expect(hint > 0 && hint <= unwrapped.max()!)
        #expect(LocalThickness.periodicField(ofComplementOf: cell, radiusHint: hint) == periodic)
        // Read as a box with open faces instead, pores at the faces read wider.
        let boxed = LocalThickness.field(ofComplementOf: cell, outsideIsBoundary: false)
        #expect(boxed.max()! > periodic.max()!)
    }
}

@Suite("Minkowski functionals against exact bodies")
struct MinkowskiTests {
    @Test("a ball: V = 4πR³/3, S = 4πR², M = 4πR, χ = 1; a box: M = π(a + b + c)", arguments: [8.0, 13.0])
    func ballAndBox(radius: Double) {
        let n = Int(2 * radius) + 8, c = Double(n) / 2
        let ball = MarchingCubes.mesh(TestSupport.grid(n, voxelMM: 1) { x, y, z in
            radius - ((x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c)).squareRoot()
        })
        let check = MeshCheck(of: ball)
        #expect(abs(check.volume / (4 * Double.pi * pow(radius, 3) / 3) - 1) < 0.01)
        #expect(abs(check.area / (4 * Double.pi * radius * radius) - 1) < 0.02)
        #expect(abs(check.meanCurvature / (4 * Double.pi * radius) - 1) < 0.02, "M \(check.meanCurvature)")
        #expect(ball.solidEulerCharacteristic == 1)
        // A box inside the grid: M = π(a + b + c), less what marching cubes takes off by
        // chamfering its edges by about half a voxel (4% here).
        let box = MarchingCubes.mesh(TestSupport.grid(24, voxelMM: 1) { x, y, z in
            min(x - 4, 20 - x, y - 6, 18 - y, z - 3, 21 - z)
        })
        let m = MeshCheck(of: box).meanCurvature
        #expect(m < Double.pi * (16 + 12 + 18) && m > 0.96 * Double.pi * (16 + 12 + 18), "box M \(m)")
    }

    @Test("a torus: M = 2π²R whatever its tube, χ = 0")
    func torus() {
        let (major, minor) = (12.0, 4.0), n = 40, c = 20.0
        let torus = MarchingCubes.mesh(TestSupport.grid(n, voxelMM: 1) { x, y, z in
            let ring = ((x - c) * (x - c) + (y - c) * (y - c)).squareRoot() - major
            return minor - (ring * ring + (z - c) * (z - c)).squareRoot()
        })
        // ∫ H dA = ½ ∫∫ (1/r + cos θ/(R + r cos θ)) r (R + r cos θ) dθ dφ = 2π²R: the inner,
        // saddle-shaped half takes off what the tube's curvature adds.
        let m = MeshCheck(of: torus).meanCurvature
        #expect(abs(m / (2 * Double.pi * Double.pi * major) - 1) < 0.01, "torus M \(m)")
        #expect(torus.solidEulerCharacteristic == 0)
    }
}
