import CephaloForge
import Foundation
import Testing

@Suite("Printability cleanup")
struct CleanupTests {
    @Test(arguments: [(StructureFamily.spinodal, 0.22, 21 as UInt64), (.blob, 0.2, 22), (.spinodal, 0.82, 23)])
    func oneBodyNoEnclosedVoidOnVoxelsAndOnTheMesh(family: StructureFamily, fraction: Double, seed: UInt64) throws {
        var recipe = FamilyTests.recipe(family, size: 48, seed: seed)
        recipe.wavelengthMM = 2
        recipe.solidFraction = fraction
        let targets = FractionTargets(recipe: recipe)
        var g = try FieldSynthesis.field(for: recipe)
        g.threshold(to: targets)
        let before = Topology(of: VoxelMask(solidOf: g))
        let report = PrintabilityCleanup.clean(&g, targets: targets, options: CleanupOptions())
        let after = Topology(of: VoxelMask(solidOf: g))
        #expect(before.solidComponents > 1 || before.voidsEnclosed > 0, "seed \(seed): nothing to clean")
        #expect(after.solidComponents == 1 && after.voidsEnclosed == 0, "seed \(seed)")
        #expect(report.islandsRemoved == max(0, report.solidComponentsBefore - 1))
        #expect(abs(Double(g.positiveCount) / Double(g.values.count) - fraction) < 0.002, "re-targeted: \(report)")
        let mesh = MarchingCubes.mesh(g)
        #expect(MeshIntegrity(of: mesh).isClosedManifold)
        let shells = TestSupport.shellVolumes(mesh)
        #expect(shells.filter { $0 > 0 }.count == 1, "seed \(seed): \(shells.count) shells")
        #expect(shells.filter { $0 < 0 }.isEmpty, "seed \(seed): cavities in the mesh")
    }

    @Test("one- and two-voxel pits in the box faces are filled; larger openings stay")
    func facePitsAreFilled() {
        let size = GridSize(cube: 12)
        // A solid block with a one-voxel pit and a two-voxel pit in its faces, and a
        // three-voxel notch that stays.
        let holes: Set<[Int]> = [[0, 5, 5], [11, 3, 3], [10, 3, 3], [4, 0, 8], [4, 1, 8], [4, 2, 8]]
        let mask = TestSupport.mask(size) { x, y, z in !holes.contains([x, y, z]) }
        var report = CleanupReport()
        let cleaned = PrintabilityCleanup.cleaned(mask, options: CleanupOptions(), report: &report)
        #expect(report.facePitsFilled == 2)
        #expect(cleaned[0, 5, 5] && cleaned[11, 3, 3] && cleaned[10, 3, 3])
        #expect(!cleaned[4, 0, 8] && !cleaned[4, 1, 8] && !cleaned[4, 2, 8])
    }

    @Test func minimumFeatureSizeIsEnforced() throws {
        var recipe = FamilyTests.recipe(.spinodal, size: 64, seed: 31)
        recipe.wavelengthMM = 1.5
        recipe.solidFraction = 0.3
        recipe.minFeatureMM = 0.6  // 3.84 voxels
        let targets = FractionTargets(recipe: recipe)
        var g = try FieldSynthesis.field(for: recipe)
        g.threshold(to: targets)
        let thinBefore = try #require(LocalThickness(of: VoxelMask(solidOf: g), voxelSizeMM: recipe.voxelSizeMM,
                                                      outsideIsBoundary: false))
        let report = PrintabilityCleanup.clean(&g, targets: targets, options: CleanupOptions(recipe: recipe))
        let mask = VoxelMask(solidOf: g)
        let thinAfter = try #require(LocalThickness(of: mask, voxelSizeMM: recipe.voxelSizeMM, outsideIsBoundary: false))
        #expect(thinBefore.percentile5MM < 0.6)
        #expect(report.thinSolidVoxelsRemoved > 0)
        #expect(thinAfter.percentile5MM >= 0.6 - recipe.voxelSizeMM, "\(thinAfter.percentile5MM) mm")
        #expect(abs(Double(mask.count) / Double(mask.size.count) - 0.3) < 0.005, "fraction re-targeted")
    }

    @Test func disabledCleanupChangesNothing() throws {
        var recipe = FamilyTests.recipe(.spinodal, size: 32)
        recipe.solidFraction = 0.15
        var g = try FieldSynthesis.field(for: recipe)
        g.threshold(to: FractionTargets(recipe: recipe))
        let before = g.values
        let report = PrintabilityCleanup.clean(&g, targets: FractionTargets(recipe: recipe),
                                               options: CleanupOptions(keepMainBody: false, fillEnclosedVoids: false))
        #expect(g.values == before && report == CleanupReport())
    }
}
