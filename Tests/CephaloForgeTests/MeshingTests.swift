import CephaloForge
import Foundation
import Testing

@Suite("Marching cubes")
struct MeshingTests {
    @Test(arguments: Array(1...12) as [UInt64])
    func randomSignPatternsGiveClosedMeshes(seed: UInt64) {
        // White noise puts every cube case, ambiguous faces included, next to every other.
        var random = SeededRandom(seed: seed)
        var g = ScalarGrid(size: GridSize(cube: 9), voxelSizeMM: 0.5)
        for i in g.values.indices { g.values[i] = Float(random.nextOpenUnit() * 2 - 1) }
        let mesh = MarchingCubes.mesh(g)
        let integrity = MeshIntegrity(of: mesh)
        #expect(integrity.isClosedManifold, "seed \(seed): \(integrity)")
        #expect(TestSupport.edgesArePairedOpposite(mesh), "seed \(seed)")
        #expect(mesh.signedVolume > 0, "seed \(seed)")
    }

    @Test func everySingleCellCaseIsClosed() {
        for c in 0..<256 {
            var g = ScalarGrid(size: GridSize(cube: 2), voxelSizeMM: 1)
            for corner in 0..<8 {
                g[corner & 1, corner >> 1 & 1, corner >> 2] = c >> corner & 1 == 1 ? 1 : -1
            }
            let mesh = MarchingCubes.mesh(g)
            #expect(MeshIntegrity(of: mesh).isClosedManifold, "case \(c)")
            #expect(c == 0 ? mesh.triangleCount == 0 : mesh.signedVolume > 0, "case \(c)")
        }
    }

    @Test func sphereVolumeAndArea() {
        let r = 0.35
        let g = TestSupport.grid(48, voxelMM: 1.0 / 48) { x, y, z in
            r - ((x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5) + (z - 0.5) * (z - 0.5)).squareRoot()
        }
        let mesh = MarchingCubes.mesh(g)
        #expect(MeshIntegrity(of: mesh).isClosedManifold)
        let volume = 4.0 / 3.0 * Double.pi * r * r * r
        #expect(abs(mesh.signedVolume - volume) / volume < 0.01)
        let area = 4 * Double.pi * r * r
        #expect(abs(mesh.surfaceArea - area) / area < 0.02)
    }

    @Test func fullSolidIsCappedExactlyAtTheBox() {
        let g = ScalarGrid(size: GridSize(nx: 10, ny: 6, nz: 8), voxelSizeMM: 0.5, repeating: 1)
        let mesh = MarchingCubes.mesh(g)
        #expect(MeshIntegrity(of: mesh).isClosedManifold)
        // Box edges are bevelled by half a voxel: each loses at most length · (h/2)²/2.
        let bevel = 4 * (5.0 + 3 + 4) * 0.25 * 0.25 / 2
        #expect(mesh.signedVolume < 60 && mesh.signedVolume > 60 - bevel)
        let bounds = mesh.bounds
        #expect(bounds.min == SIMD3(0, 0, 0))
        #expect(bounds.max == SIMD3(5, 3, 4))
    }

    @Test(arguments: [31, 32] as [UInt64])
    func spinodalMeshMatchesVoxelVolume(seed: UInt64) throws {
        var recipe = SynthesisTests.recipe(seed: seed, size: 64)
        recipe.wavelengthMM = 2.5
        recipe.solidFraction = 0.3
        var g = try FieldSynthesis.field(for: recipe)
        let cut = g.threshold(toSolidFraction: recipe.solidFraction)
        let mesh = MarchingCubes.mesh(g)
        #expect(MeshIntegrity(of: mesh).isClosedManifold, "seed \(seed)")
        let h = recipe.voxelSizeMM
        let voxelVolume = Double(cut.solidCount) * h * h * h
        #expect(abs(mesh.signedVolume - voxelVolume) / voxelVolume < 0.03, "seed \(seed)")
    }

    @Test func resultDoesNotDependOnThreading() throws {
        var g = try FieldSynthesis.field(for: SynthesisTests.recipe(seed: 9, size: 32))
        g.threshold(toSolidFraction: 0.4)
        let a = MarchingCubes.mesh(g), b = MarchingCubes.mesh(g)
        #expect(a.positions == b.positions && a.indices == b.indices)
    }
}
