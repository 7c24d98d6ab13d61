import CephaloForge
import Foundation
import Testing

@Suite("Structure metrics against known answers")
struct MetricsTests {
    @Test func twoPointFunctionOfALamellarStack() throws {
        let (period, thick) = (8, 3)
        let size = GridSize(cube: 32)
        let mask = TestSupport.mask(size) { _, _, z in z % period < thick }
        let s = try TwoPointStatistics(of: mask, voxelSizeMM: 0.5)
        let phi = Double(thick) / Double(period)
        for r in 0...16 {
            let m = r % period
            let expected = Double(max(0, thick - m) + max(0, m - (period - thick))) / Double(period)
            #expect(abs(s.s2Z[r] - expected) < 1e-5, "r = \(r)")
            #expect(abs(s.s2X[r] - phi) < 1e-5 && abs(s.s2Y[r] - phi) < 1e-5)
        }
        #expect(s.correlationLengthsMM[2] < 1.5)
        #expect(s.correlationLengthsMM[0] >= 8 && s.anisotropyRatio > 5)
        #expect(abs(s.characteristicLengthMM - Double(period) * 0.5) < 0.05)
    }

    static func ball(_ n: Int, radius: Double) -> VoxelMask {
        let c = Double(n) / 2
        return TestSupport.mask(GridSize(cube: n)) { x, y, z in
            let (dx, dy, dz) = (Double(x) + 0.5 - c, Double(y) + 0.5 - c, Double(z) + 0.5 - c)
            return dx * dx + dy * dy + dz * dz < radius * radius
        }
    }

    static func torus(_ n: Int, major: Double, minor: Double) -> VoxelMask {
        let c = Double(n) / 2
        return TestSupport.mask(GridSize(cube: n)) { x, y, z in
            let (dx, dy, dz) = (Double(x) + 0.5 - c, Double(y) + 0.5 - c, Double(z) + 0.5 - c)
            let ring = (dx * dx + dy * dy).squareRoot() - major
            return ring * ring + dz * dz < minor * minor
        }
    }

    /// A level set whose positive part is `mask`, meshed.
    static func mesh(of mask: VoxelMask) -> Mesh {
        MarchingCubes.mesh(ScalarGrid(size: mask.size, voxelSizeMM: 1, values: mask.bits.map { $0 != 0 ? 1 : -1 }))
    }

    @Test func eulerCharacteristicOfBallAndTorus() {
        let ball = Self.ball(24, radius: 8)
        let torus = Self.torus(40, major: 11, minor: 4.5)
        #expect(Topology(of: ball).eulerCharacteristic == 1)
        #expect(Topology(of: ball).genus == 0)
        #expect(Topology(of: torus).eulerCharacteristic == 0)
        #expect(Topology(of: torus).genus == 1)
        #expect(Self.mesh(of: ball).solidEulerCharacteristic == 1)
        #expect(Self.mesh(of: torus).solidEulerCharacteristic == 0)
    }

    @Test(arguments: [(StructureFamily.gyroid, -4), (.schwarzP, -2), (.diamond, -8)])
    func eulerCharacteristicOfALatticeUnitCell(family: StructureFamily, expected: Int) {
        let g = LatticeField.field(family: family, size: GridSize(cube: 48), voxelSizeMM: 1, cellMM: 48)
        let network = VoxelMask(solidOf: g)
        #expect(Topology.eulerCharacteristic(of: network, periodic: true) == expected)
    }

    @Test("voxel χ equals the mesh's χ on random sign patterns, thin sheets included", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func voxelTopologyAgreesWithTheMesh(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let size = GridSize(nx: 14, ny: 11, nz: 9)
        let fraction = [0.3, 0.5, 0.7, 0.85, 0.9][Int(seed - 1)]
        let mask = VoxelMask(size: size, bits: (0..<size.count).map { _ in rng.nextOpenUnit() < fraction ? 1 : 0 })
        #expect(Topology.eulerCharacteristic(of: mask, periodic: false) == Self.mesh(of: mask).solidEulerCharacteristic,
                "seed \(seed)")
    }

    @Test("six solid corners and two diagonal void ones: the voids stay apart, as in the mesh")
    func diagonalVoidCorners() {
        // A 4³ block with two void voxels meeting only at a corner: two cavities, χ = 1 + 2.
        let block = TestSupport.mask(GridSize(cube: 4)) { x, y, z in !((x, y, z) == (1, 1, 1) || (x, y, z) == (2, 2, 2)) }
        #expect(Topology.eulerCharacteristic(of: block, periodic: false) == 3)
        #expect(Self.mesh(of: block).solidEulerCharacteristic == 3)
    }

    @Test("a thin gyroid sheet has the analytic χ: −8 per cubic cell (genus 5 per cell), on the 3-torus and through the mesh",
          arguments: [(64, 0.2), (96, 0.1)])
    func gyroidSheetTopology(n: Int, fraction: Double) throws {
        var recipe = Recipe.defaults
        recipe.family = .gyroid
        recipe.mode = .sheet
        recipe.solidFraction = fraction
        recipe.size = GridSize(cube: n)
        recipe.extentMM = 10
        recipe.wavelengthMM = 5  // two cells per edge: eight cells
        var field = try FieldSynthesis.field(for: recipe)
        _ = field.threshold(toSolidFraction: fraction)
        let sheet = VoxelMask(solidOf: field)
        #expect(Topology.eulerCharacteristic(of: sheet, periodic: true) == -8 * 8)
        // In the box, the voxels and the mesh agree.
        #expect(Topology.eulerCharacteristic(of: sheet, periodic: false) == MarchingCubes.mesh(field).solidEulerCharacteristic)
    }

    @Test func localThicknessOfAPlateAndARod() throws {
        let size = GridSize(cube: 32)
        let plate = TestSupport.mask(size) { _, _, z in (12..<20).contains(z) }
        let t = try #require(LocalThickness(of: plate, voxelSizeMM: 0.1, outsideIsBoundary: false))
        #expect(abs(t.meanMM - 0.8) < 0.1 && t.percentile5MM > 0.65 && t.maximumMM < 0.95)
        let rod = TestSupport.mask(size) { x, y, _ in
            let (dx, dy) = (Double(x) - 15.5, Double(y) - 15.5)
            return dx * dx + dy * dy < 36
        }
        let r = try #require(LocalThickness(of: rod, voxelSizeMM: 0.1, outsideIsBoundary: false))
        #expect(abs(r.maximumMM - 1.2) < 0.15)
        #expect(abs(r.meanMM - 1.2) < 0.2)
    }

    /// Local thickness by its definition: every voxel's ball painted by brute force.
    static func thicknessByDefinition(of mask: VoxelMask, boundary: Bool) -> [Float] {
        let size = mask.size
        let squared = DistanceTransform.squaredDistance(toComplementOf: mask, outsideIsFeature: boundary)
        var expected = [Float](repeating: 0, count: size.count)
        for c in 0..<size.count where squared[c] > 0 {
            let (cx, cy, cz) = (c % size.nx, (c / size.nx) % size.ny, c / (size.nx * size.ny))
            let reach = Int(squared[c].squareRoot())
            for z in max(0, cz - reach)...min(size.nz - 1, cz + reach) {
                for y in max(0, cy - reach)...min(size.ny - 1, cy + reach) {
                    for x in max(0, cx - reach)...min(size.nx - 1, cx + reach) {
                        let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz)
                        let i = x + size.nx * (y + size.ny * z)
                        if Float(d2) < squared[c] { expected[i] = max(expected[i], 2 * squared[c].squareRoot()) }
                    }
                }
            }
        }
        return expected
    }

    /// The thickness field equals its definition although it paints only the balls that
    /// lie inside no neighbour's ball; the summary matches one made by sorting.
    @Test(arguments: [(StructureFamily.gyroid, true), (.diamond, false), (.schwarzP, true)])
    func localThicknessMatchesItsDefinition(family: StructureFamily, boundary: Bool) throws {
        let size = GridSize(nx: 30, ny: 27, nz: 25)
        let mask = VoxelMask(solidOf: LatticeField.field(family: family, size: size, voxelSizeMM: 1, cellMM: 17))
        let expected = Self.thicknessByDefinition(of: mask, boundary: boundary)
        let field = LocalThickness.field(of: mask, outsideIsBoundary: boundary)
        let wrong = (0..<size.count).filter { abs(field[$0] - expected[$0]) > 1e-5 }
        #expect(wrong.isEmpty, "\(wrong.count) voxels differ, first \(wrong.first.map { (field[$0], expected[$0]) }.debugDescription)")

        let summary = try #require(LocalThickness(field: field, size: size, voxelSizeMM: 0.5))
        let values = field.filter { $0 > 0 }.sorted()
        #expect(summary.percentile5MM == Double(values[max(0, Int(Double(values.count) * 0.05) - 1)]) * 0.5)
        #expect(summary.minimumMM == Double(values[0]) * 0.5 && summary.maximumMM == Double(values.last!) * 0.5)
        #expect(abs(summary.meanMM - values.reduce(0.0) { $0 + Double($1) } / Double(values.count) * 0.5) < 1e-9)
        let bins = LocalThickness.histogramBins
        let histogram = values.reduce(into: [Double](repeating: 0, count: bins)) {
            $0[min(Int($1 / values.last! * Float(bins)), bins - 1)] += 1 / Double(values.count)
        }
        #expect(zip(summary.histogram ?? [], histogram).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// Spinodal foams (both phases, faces bounding or not) equal the definition too: their
    /// ridges run every way through the planes, so balls whose discs are cut off above and
    /// below their centres are common.
    @Test(arguments: [(UInt64(4), true), (5, false)])
    func localThicknessOfAFoamMatchesItsDefinition(seed: UInt64, boundary: Bool) throws {
        var recipe = SynthesisTests.recipe(seed: seed, size: 40)
        recipe.wavelengthMM = 3
        var g = try FieldSynthesis.field(for: recipe)
        g.threshold(toSolidFraction: 0.4)
        let solid = VoxelMask(solidOf: g)
        let pores = VoxelMask(size: solid.size, bits: solid.bits.map { 1 - $0 })
        let solidField = LocalThickness.field(of: solid, outsideIsBoundary: boundary)
        let poreField = LocalThickness.field(ofComplementOf: solid, outsideIsBoundary: boundary)
        #expect(solidField == Self.thicknessByDefinition(of: solid, boundary: boundary))
        #expect(poreField == Self.thicknessByDefinition(of: pores, boundary: boundary))
        #expect(poreField.max()! > 8)  // balls wide enough to reach past their neighbours' planes
    }

    /// An empty phase has no thickness, whether or not the box faces bound it.
    @Test func localThicknessOfAnEmptyPhase() {
        let full = TestSupport.mask(GridSize(cube: 6)) { _, _, _ in true }
        for boundary in [false, true] {
            #expect(LocalThickness.field(ofComplementOf: full, outsideIsBoundary: boundary).allSatisfy { $0 == 0 })
            #expect(LocalThickness(ofComplementOf: full, voxelSizeMM: 1, outsideIsBoundary: boundary) == nil)
        }
    }

    /// Balls wider than the tabulated containment rule (squared radii above 4096) too.
    @Test func localThicknessOfWideBallsMatchesItsDefinition() {
        let size = GridSize(nx: 160, ny: 5, nz: 4)
        let mask = TestSupport.mask(size) { x, y, _ in (6..<155).contains(x) && !(x == 12 && y == 2) }
        let expected = Self.thicknessByDefinition(of: mask, boundary: false)
        #expect(expected.max()! > 2 * 64)
        #expect(LocalThickness.field(of: mask, outsideIsBoundary: false) == expected)
    }

    /// The verdict counts islands and enclosed voids in the right number: two cubes, one
    /// hollow, are two bodies (one floating island) and one enclosed void.
    @Test func verdictCountsIslandsAndVoids() {
        let mask = TestSupport.mask(GridSize(cube: 20)) { x, y, z in
            let first = (1..<8).contains(x) && (1..<8).contains(y) && (1..<8).contains(z)
            let second = (11..<19).contains(x) && (11..<19).contains(y) && (11..<19).contains(z)
            let hollow = (14..<16).contains(x) && (14..<16).contains(y) && (14..<16).contains(z)
            return first || (second && !hollow)
        }
        let verdict = PrintabilityVerdict(topology: Topology(of: mask), solidThickness: nil, poreThickness: nil,
                                          watertight: true, printerResolutionMM: 0.1)
        #expect(!verdict.printable)
        #expect(verdict.reasons.contains("2 separate bodies: 1 floating island"), "\(verdict.reasons)")
        #expect(verdict.reasons.contains { $0.hasPrefix("1 enclosed void traps resin or powder (") }, "\(verdict.reasons)")
    }

    /// Shells of a mesh: a hollow cube (an outer shell and a cavity) and a solid one, as the
    /// independent recount finds them, and a vertex no triangle uses makes no shell.
    @Test func meshShellsCountOuterSurfacesAndCavities() {
        let size = GridSize(cube: 24)
        var values = [Float](repeating: -1, count: size.count)
        for z in 0..<24 { for y in 0..<24 { for x in 0..<24 {
            let hollow = (2..<12).contains(x) && (2..<12).contains(y) && (2..<12).contains(z)
                && !((5..<9).contains(x) && (5..<9).contains(y) && (5..<9).contains(z))
            let solid = (15..<22).contains(x) && (15..<22).contains(y) && (15..<22).contains(z)
            if hollow || solid { values[x + 24 * (y + 24 * z)] = 1 }
        } } }
        var mesh = MarchingCubes.mesh(ScalarGrid(size: size, voxelSizeMM: 0.5, values: values))
        let expected = TestSupport.shellVolumes(mesh)
        #expect(expected.filter { $0 > 0 }.count == 2 && expected.filter { $0 < 0 }.count == 1)
        mesh.positions += [100, 100, 100]  // an unused vertex
        let shells = MeshShells(of: mesh)
        #expect(shells.outer == 2 && shells.cavities == 1)
    }

    @Test func rodPercolatesAlongItsAxisOnly() {
        let rod = TestSupport.mask(GridSize(cube: 20)) { x, y, _ in (8..<12).contains(x) && (8..<12).contains(y) }
        let topology = Topology(of: rod)
        #expect(topology.solidPercolates == [false, false, true])
        #expect(topology.voidPercolates == [true, true, true])
        #expect(topology.solidComponents == 1 && topology.voidComponents == 1)
    }

    @Test func specificSurfaceOfABall() throws {
        let radius = 12.0, n = 48
        let ball = Self.ball(n, radius: radius)
        let exact = 4 * Double.pi * radius * radius / Double(n * n * n)
        let s = try TwoPointStatistics(of: ball, voxelSizeMM: 1)
        #expect(abs(s.specificSurfaceMM - exact) / exact < 0.05)
        let meshArea = Self.mesh(of: ball).surfaceArea / Double(n * n * n)
        #expect(abs(meshArea - exact) / exact < 0.1)
    }

    @Test func enclosedVoidsAreFound() {
        let shell = TestSupport.mask(GridSize(cube: 16)) { x, y, z in
            let inner = (5..<11).contains(x) && (5..<11).contains(y) && (5..<11).contains(z)
            return (2..<14).contains(x) && (2..<14).contains(y) && (2..<14).contains(z) && !inner
        }
        let t = Topology(of: shell)
        #expect(t.voidsEnclosed == 1)
        #expect(abs(t.enclosedVoidFraction - 216.0 / 4096) < 1e-12)
        #expect(t.eulerCharacteristic == 2)
    }

    /// A closed tetrahedron, outward wound, with its corners shifted by `offset`.
    static func tetrahedron(offset: Float = 0, first: UInt32 = 0) -> (positions: [Float], indices: [UInt32]) {
        let p: [Float] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1].map { $0 + offset }
        let t: [UInt32] = [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3].map { $0 + first }
        return (p, t)
    }

    @Test func meshIntegrityFindsEachKindOfDefect() {
        let tet = Self.tetrahedron()
        #expect(MeshIntegrity(of: Mesh(positions: tet.positions, indices: tet.indices)).isClosedManifold)

        // A missing triangle leaves its three edges unpaired.
        let open = MeshIntegrity(of: Mesh(positions: tet.positions, indices: Array(tet.indices.dropLast(3))))
        #expect(open.unpairedHalfEdges == 3 && !open.isClosedManifold)

        // One triangle wound the wrong way repeats three half-edges.
        var flipped = tet.indices
        flipped.swapAt(9, 10)
        #expect(MeshIntegrity(of: Mesh(positions: tet.positions, indices: flipped)).repeatedHalfEdges > 0)

        // A triangle with a repeated corner is degenerate.
        let degenerate = MeshIntegrity(of: Mesh(positions: tet.positions, indices: tet.indices + [0, 1, 1]))
        #expect(degenerate.degenerateTriangles == 1)

        // Two closed tetrahedra touching at one vertex: every edge paired, one bad vertex.
        let other = Self.tetrahedron(offset: -1, first: 4)
        var positions = tet.positions + other.positions
        // The second one's first corner moves onto the first one's vertex 0 and shares it.
        positions[12...14] = [0, 0, 0]
        let shared = (tet.indices + other.indices).map { $0 == 4 ? 0 : $0 }
        let bowTie = MeshIntegrity(of: Mesh(positions: positions, indices: shared))
        #expect(bowTie.unpairedHalfEdges == 0 && bowTie.repeatedHalfEdges == 0)
        #expect(bowTie.nonManifoldVertices == 1)
    }

    /// The pores measured without building the complement match the complement measured.
    @Test func poreThicknessWithoutAComplementMask() throws {
        let mask = MorphologyTests.randomMask(20, seed: 8, density: 0.6)
        let direct = try #require(LocalThickness(ofComplementOf: mask, voxelSizeMM: 0.1, outsideIsBoundary: false))
        let viaComplement = try #require(LocalThickness(of: mask.inverted, voxelSizeMM: 0.1, outsideIsBoundary: false))
        #expect(direct == viaComplement)
        #expect(LocalThickness.field(ofComplementOf: mask, outsideIsBoundary: true)
            == LocalThickness.field(of: mask.inverted, outsideIsBoundary: true))
    }
}
