import CephaloForge
import Foundation
import Testing

/// A phase whose widest ball is wider than `StructureMetrics.thicknessRadiusLimit` voxels
/// is measured on a halved grid; its summary must stay within one voxel of that grid of the
/// exact local thickness on the design's own grid.
@Suite("Local thickness on a grid chosen by feature size")
struct ThicknessGridTests {
    /// Mean, 5th percentile and maximum of `measured` within `voxels` × `voxel` mm of `exact`.
    static func expectClose(_ measured: LocalThickness?, _ exact: LocalThickness?, voxel: Double,
                            voxels: (mean: Double, p5: Double, max: Double) = (1, 1, 1), _ what: String) throws {
        let m = try #require(measured), e = try #require(exact)
        #expect(abs(m.meanMM - e.meanMM) <= voxels.mean * voxel, "\(what) mean \(m.meanMM) against \(e.meanMM)")
        #expect(abs(m.percentile5MM - e.percentile5MM) <= voxels.p5 * voxel,
                "\(what) p5 \(m.percentile5MM) against \(e.percentile5MM)")
        #expect(abs(m.maximumMM - e.maximumMM) <= voxels.max * voxel, "\(what) max \(m.maximumMM) against \(e.maximumMM)")
    }

    /// A lone sphere is the hard case: on the halved grid its centre falls between voxels,
    /// and the ball at the voxel nearest it misses the far side, so its 5th percentile reads
    /// two of the halved grid's voxels thin (its mean 1.1, its maximum 1.0).
    @Test("a pore 96 voxels across is measured on a grid of twice the voxel, within two of its voxels; the solid keeps its grid")
    func widePoreHalvesItsGrid() throws {
        let h = 0.1
        let mask = TestSupport.mask(GridSize(cube: 128)) { x, y, z in
            // Centred on a voxel of the design's grid, a quarter voxel off the halved grid's.
            let (dx, dy, dz) = (Double(x) - 64, Double(y) - 64, Double(z) - 64)
            return dx * dx + dy * dy + dz * dz >= 48 * 48
        }
        let metrics = try StructureMetrics(of: mask, voxelSizeMM: h)
        #expect(metrics.thicknessVoxelSizeMM == h)
        let poreGrid = try #require(metrics.poreThicknessVoxelSizeMM)
        #expect(poreGrid == 2 * h)
        let exactPores = LocalThickness(ofComplementOf: mask, voxelSizeMM: h, outsideIsBoundary: false)
        try Self.expectClose(metrics.poreThickness, exactPores, voxel: poreGrid, voxels: (1.2, 2.01, 1.1), "pores")
        // Centred on a voxel, every voxel of the ball reads its diameter, 96 voxels.
        #expect(abs((exactPores?.percentile5MM ?? 0) - 9.6) < 1e-9 && abs((exactPores?.maximumMM ?? 0) - 9.6) < 1e-9)
        let exactSolid = LocalThickness(of: mask, voxelSizeMM: h, outsideIsBoundary: true)
        try Self.expectClose(metrics.solidThickness, exactSolid, voxel: h / 2, "solid")
    }

    @Test("a blob structure a box wide: the pores on a grid four times as coarse, both phases within one of their grid's voxels")
    func coarseDesign() throws {
        var recipe = Recipe()
        recipe.family = .blob
        recipe.size = GridSize(cube: 128)
        recipe.extentMM = 10
        recipe.wavelengthMM = 10
        recipe.solidFraction = 0.15
        recipe.seed = 3
        let field = try FieldSynthesis.field(for: recipe)
        var cut = field
        cut.threshold(toSolidFraction: recipe.solidFraction)
        let mask = VoxelMask(solidOf: cut)
        let h = recipe.voxelSizeMM
        let metrics = try StructureMetrics(of: mask, voxelSizeMM: h)
        let poreGrid = try #require(metrics.poreThicknessVoxelSizeMM)
        #expect(poreGrid == 4 * h)
        try Self.expectClose(metrics.solidThickness, LocalThickness(of: mask, voxelSizeMM: h, outsideIsBoundary: true),
                             voxel: metrics.thicknessVoxelSizeMM, "solid")
        try Self.expectClose(metrics.poreThickness,
                             LocalThickness(ofComplementOf: mask, voxelSizeMM: h, outsideIsBoundary: false),
                             voxel: poreGrid, "pores")
    }
}
