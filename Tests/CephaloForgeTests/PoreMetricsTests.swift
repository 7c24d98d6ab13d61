import CephaloForge
import Foundation
import Testing

@Suite("Chords, lineal paths, intrusion and fabric against exact structures")
struct PoreMetricsTests {
    /// Layers 3 voxels thick every 8 along z, in a 32³ box of 0.5 mm voxels.
    static let layers = TestSupport.mask(GridSize(cube: 32)) { _, _, z in z % 8 < 3 }

    @Test("layers: chords across them are their thickness and spacing; along them there are none")
    func chordsOfLayers() throws {
        let c = ChordStatistics(of: Self.layers, voxelSizeMM: 0.5)
        let z = try #require(c.solid.z), pz = try #require(c.pores.z)
        // The layer at z = 0 and the gap at the top end on the box faces: cut, left out.
        #expect(z.count == 3 * 32 * 32 && z.meanMM == 1.5 && z.histogram[2] == 3 * 32 * 32)
        #expect(pz.count == 3 * 32 * 32 && pz.meanMM == 2.5)
        #expect(c.solid.x.count == 0 && c.pores.y.count == 0)
        // L(r) along the layers is the fraction; across, runs of 3 hold 3 − r placements of 32 − r.
        #expect(c.solid.x.linealPath.allSatisfy { abs($0 - 3.0 / 8) < 1e-12 })
        for r in 0...16 {
            let expected = Double(4 * max(0, 3 - r)) / Double(32 - r)
            #expect(abs(z.linealPath[r] - expected) < 1e-12, "r = \(r)")
        }
    }

    @Test("layers: S₂ does not decay along them, which is flagged; across them it does")
    func correlationOfLayers() throws {
        let s = try TwoPointStatistics(of: Self.layers, voxelSizeMM: 0.5)
        #expect(s.correlationDecays == [false, false, true])
        // Along the layers the length is a bound, half the box; across, below the 3-voxel layer.
        #expect(s.correlationLengthsMM[0] == 8 && s.correlationLengthsMM[1] == 8)
        #expect(s.correlationLengthsMM[2] > 0 && s.correlationLengthsMM[2] < 1.5)
    }

    @Test("intrusion: a straight channel fills at its width; a cavity behind a narrow neck only at the neck's")
    func inkBottle() throws {
        let n = 40
        // Solid block with a channel of radius 5 along x, and a cavity of radius 8 reached by a neck of radius 2 along y.
        let mask = TestSupport.mask(GridSize(cube: n)) { x, y, z in
            let (cx, cy, cz) = (Double(x) + 0.5, Double(y) + 0.5, Double(z) + 0.5)
            let channel = (cy - 10) * (cy - 10) + (cz - 10) * (cz - 10) < 25
            let cavity = (cx - 20) * (cx - 20) + (cy - 28) * (cy - 28) + (cz - 28) * (cz - 28) < 64
            let neck = (cx - 20) * (cx - 20) + (cz - 28) * (cz - 28) < 4 && cy > 28
            return !(channel || cavity || neck)
        }
        let field = Porosimetry.intrusionField(of: mask)
        let thickness = LocalThickness.field(ofComplementOf: mask, outsideIsBoundary: false)
        let centre = { (x: Int, y: Int, z: Int) in x + n * (y + n * z) }
        // Every channel voxel fills as wide as it is.
        for y in 6..<14 { for z in 6..<14 where mask.bits[centre(20, y, z)] == 0 {
            #expect(field[centre(20, y, z)] == thickness[centre(20, y, z)])
        } }
        #expect(field[centre(20, 9, 9)] >= 8)
        // The cavity is about 16 across but fills only when a sphere fits the neck (4 across).
        #expect(thickness[centre(20, 28, 28)] >= 14)
        #expect(field[centre(20, 28, 28)] <= 4.5 && field[centre(20, 28, 28)] > 0)
        let summary = try #require(Porosimetry(of: mask, voxelSizeMM: 1))
        #expect(summary.unreachedFraction == 0 && summary.intrudedFraction[0] == 1)
        // With the neck closed the cavity is never reached.
        let sealed = TestSupport.mask(GridSize(cube: n)) { x, y, z in
            let (cx, cy, cz) = (Double(x) + 0.5, Double(y) + 0.5, Double(z) + 0.5)
            return !((cx - 20) * (cx - 20) + (cy - 20) * (cy - 20) + (cz - 20) * (cz - 20) < 64)
        }
        #expect(try #require(Porosimetry(of: sealed, voxelSizeMM: 1)).unreachedFraction == 1)
    }

    @Test("intrusion of a spinodal equals painting every voxel's ball of its bottleneck radius, found level by level")
    func intrusionMatchesBruteForce() throws {
        var recipe = Recipe()
        recipe.size = GridSize(cube: 28)
        recipe.wavelengthMM = 3
        recipe.solidFraction = 0.4
        var field = try FieldSynthesis.field(for: recipe)
        field.threshold(toSolidFraction: recipe.solidFraction)
        let mask = VoxelMask(solidOf: field)
        let n = 28, size = mask.size
        let radius = DistanceTransform.squaredDistance(to: mask, outsideIsFeature: false)
        // B² per voxel: for each level, flood from the faces through voxels at least that wide.
        var bottleneck = [Float](repeating: 0, count: size.count)
        for level in Set(radius.filter { $0 > 0 }).sorted(by: >) {
            var reached = [Bool](repeating: false, count: size.count)
            var stack: [Int] = []
            for z in 0..<n { for y in 0..<n { for x in 0..<n where [x, y, z].contains(0) || [x, y, z].contains(n - 1) {
                let i = x + n * (y + n * z)
                if radius[i] >= level { reached[i] = true; stack.append(i) }
            } } }
            while let i = stack.popLast() {
                bottleneck[i] = max(bottleneck[i], level)
                let x = i % n, y = (i / n) % n, z = i / (n * n)
                for (d, ok) in [(-1, x > 0), (1, x < n - 1), (-n, y > 0), (n, y < n - 1), (-n * n, z > 0), (n * n, z < n - 1)]
                    where ok && !reached[i + d] && radius[i + d] >= level {
                    reached[i + d] = true
                    stack.append(i + d)
                }
            }
        }
        var expected = [Float](repeating: 0, count: size.count)
        for c in 0..<size.count where bottleneck[c] > 0 {
            let (cx, cy, cz) = (c % n, (c / n) % n, c / (n * n))
            let b = bottleneck[c], reach = Int(b.squareRoot()) + 1, diameter = 2 * b.squareRoot()
            for z in max(0, cz - reach)...min(n - 1, cz + reach) { for y in max(0, cy - reach)...min(n - 1, cy + reach) {
                for x in max(0, cx - reach)...min(n - 1, cx + reach) {
                    let d2 = Float((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz))
                    let i = x + n * (y + n * z)
                    if d2 < b { expected[i] = max(expected[i], diameter) }
                }
            } }
        }
        let measured = Porosimetry.intrusionField(of: mask)
        let differing = zip(measured, expected).filter { $0 != $1 }.count
        #expect(differing == 0)
        #expect(expected.contains { $0 > 4 })
    }

    @Test("fabric: layers have MIL half their period across and none along, anisotropy 1; tilted layers turn the tensor")
    func fabric() throws {
        let f = FabricTensor(of: Self.layers, voxelSizeMM: 0.5)
        #expect(f.axisMILMM[0] == nil && f.axisMILMM[1] == nil)
        // 31 steps and 7 surfaces along each z line: 31 × 0.5 mm / 7.
        #expect(abs((f.axisMILMM[2] ?? 0) - 31 * 0.5 / 7) < 1e-12)
        #expect(f.degreeOfAnisotropy > 0.99)
        let shortest = try #require(f.principalDirections.last)
        #expect(abs(abs(shortest[2]) - 1) < 1e-6)
        // Layers normal to (1, 1, 0): the shortest MIL runs along it.
        let tilted = TestSupport.mask(GridSize(cube: 32)) { x, y, _ in (x + y) % 12 < 5 }
        let t = FabricTensor(of: tilted, voxelSizeMM: 1)
        let across = try #require(t.principalDirections.last)
        #expect(abs(abs(across[0]) - 0.7071) < 0.02 && abs(abs(across[1]) - 0.7071) < 0.02 && abs(across[2]) < 0.02, "\(across)")
        // An isotropic spinodal is nearly isotropic.
        var recipe = Recipe.defaults
        recipe.size = GridSize(cube: 64)
        var field = try FieldSynthesis.field(for: recipe)
        _ = field.threshold(toSolidFraction: 0.35)
        #expect(FabricTensor(of: VoxelMask(solidOf: field), voxelSizeMM: recipe.voxelSizeMM).degreeOfAnisotropy < 0.15)
    }
}
