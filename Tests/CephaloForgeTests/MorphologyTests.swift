import CephaloForge
import Foundation
import Testing

@Suite("Morphology")
struct MorphologyTests {
    static func randomMask(_ n: Int, seed: UInt64, density: Double) -> VoxelMask {
        var random = SeededRandom(seed: seed)
        return VoxelMask(size: GridSize(nx: n, ny: n - 2, nz: n - 3),
                         bits: (0..<(n * (n - 2) * (n - 3))).map { _ in random.nextOpenUnit() < density ? 1 : 0 })
    }

    /// Small grids, every voxel against brute force (each pass a single, partial batch).
    @Test(arguments: [(1, 9), (2, 9), (3, 21)] as [(UInt64, Int)])
    func distanceTransformMatchesBruteForce(seed: UInt64, n: Int) {
        let mask = Self.randomMask(n, seed: seed, density: 0.05)
        let s = mask.size
        let features = (0..<s.count).filter { mask.bits[$0] != 0 }.map { ($0 % s.nx, ($0 / s.nx) % s.ny, $0 / (s.nx * s.ny)) }
        for outside in [false, true] {
            let d = DistanceTransform.squaredDistance(to: mask, outsideIsFeature: outside)
            let toComplement = DistanceTransform.squaredDistance(toComplementOf: mask.inverted, outsideIsFeature: outside)
            #expect(d == toComplement)
            for z in 0..<s.nz { for y in 0..<s.ny { for x in 0..<s.nx {
                var best = Int.max
                for (qx, qy, qz) in features {
                    best = min(best, (x - qx) * (x - qx) + (y - qy) * (y - qy) + (z - qz) * (z - qz))
                }
                if outside {
                    let edge = [x + 1, s.nx - x, y + 1, s.ny - y, z + 1, s.nz - z].min()!
                    best = min(best, edge * edge)
                }
                let got = d[x + s.nx * (y + s.ny * z)]
                if best == Int.max { #expect(got >= 1e18) } else { #expect(got == Float(best), "seed \(seed) at \(x),\(y),\(z)") }
            } } }
        }
    }

    /// A grid 150 wide (two full 64-line batches and a partial one in the y and z passes):
    /// 400 sampled voxels against brute force.
    @Test func distanceTransformAcrossLineBatches() {
        var random = SeededRandom(seed: 12)
        let size = GridSize(nx: 150, ny: 70, nz: 20)
        let mask = VoxelMask(size: size, bits: (0..<size.count).map { _ in random.nextOpenUnit() < 0.002 ? 1 : 0 })
        let features = (0..<size.count).filter { mask.bits[$0] != 0 }
            .map { ($0 % size.nx, ($0 / size.nx) % size.ny, $0 / (size.nx * size.ny)) }
        for outside in [false, true] {
            let d = DistanceTransform.squaredDistance(to: mask, outsideIsFeature: outside)
            for _ in 0..<200 {
                let i = Int(random.next() % UInt64(size.count))
                let (x, y, z) = (i % size.nx, (i / size.nx) % size.ny, i / (size.nx * size.ny))
                var best = features.map { ($0.0 - x) * ($0.0 - x) + ($0.1 - y) * ($0.1 - y) + ($0.2 - z) * ($0.2 - z) }.min()!
                if outside {
                    let edge = [x + 1, size.nx - x, y + 1, size.ny - y, z + 1, size.nz - z].min()!
                    best = min(best, edge * edge)
                }
                #expect(d[i] == Float(best), "at \(x),\(y),\(z)")
            }
        }
    }

    /// Near features (a dense block of lines, solved by direct search) beside far ones (lines
    /// whose nearest feature lies over 100 samples away, left to the envelope), in one grid.
    @Test func distanceTransformWithNearAndFarFeatures() {
        var random = SeededRandom(seed: 13)
        let size = GridSize(nx: 150, ny: 130, nz: 6)
        let bits = (0..<size.count).map { i -> UInt8 in
            let (x, y) = (i % size.nx, (i / size.nx) % size.ny)
            return random.nextOpenUnit() < (x < 64 ? 0.05 : y < 3 ? 0.3 : 0) ? 1 : 0
        }
        let mask = VoxelMask(size: size, bits: bits)
        let features = (0..<size.count).filter { mask.bits[$0] != 0 }
            .map { ($0 % size.nx, ($0 / size.nx) % size.ny, $0 / (size.nx * size.ny)) }
        let d = DistanceTransform.squaredDistance(to: mask, outsideIsFeature: false)
        let samples = (0..<300).map { _ in Int(random.next() % UInt64(size.count)) }
            + (0..<size.nz).map { z in 149 + size.nx * (129 + size.ny * z) }
        var farthest = 0
        for i in samples {
            let (x, y, z) = (i % size.nx, (i / size.nx) % size.ny, i / (size.nx * size.ny))
            let best = features.map { ($0.0 - x) * ($0.0 - x) + ($0.1 - y) * ($0.1 - y) + ($0.2 - z) * ($0.2 - z) }.min()!
            farthest = max(farthest, best)
            #expect(d[i] == Float(best), "at \(x),\(y),\(z)")
        }
        #expect(farthest > 48 * 48)  // beyond the direct search's 48 steps
    }

    /// Packing to a bit per voxel and back gives the same mask, sizes not a multiple of 64
    /// included.
    @Test(arguments: [(9, 0.5), (21, 0.1), (4, 1.0)] as [(Int, Double)])
    func packedMaskRoundTrip(n: Int, density: Double) {
        let mask = Self.randomMask(n, seed: UInt64(n), density: density)
        let packed = PackedMask(mask)
        #expect(packed.words.count == (mask.size.count + 63) / 64)
        #expect(packed.unpacked() == mask)
    }

    @Test func distanceTransformOfAnEmptySetIsUnreachable() {
        let empty = VoxelMask(size: GridSize(nx: 5, ny: 4, nz: 3), bits: [UInt8](repeating: 0, count: 60))
        #expect(DistanceTransform.squaredDistance(to: empty, outsideIsFeature: false).allSatisfy { $0 >= 1e18 })
        #expect(DistanceTransform.squaredDistance(to: empty, outsideIsFeature: true).max() == 4)
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func componentsMatchAFloodFill(seed: UInt64) {
        let mask = Self.randomMask(12, seed: seed, density: 0.45)
        let labels = ComponentLabels(mask), perVoxel = labels.labels
        let s = mask.size
        var seen = [Bool](repeating: false, count: s.count)
        var count = 0
        for start in 0..<s.count where mask.bits[start] != 0 && !seen[start] {
            count += 1
            var stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                #expect(perVoxel[i] == perVoxel[start])
                let (x, y, z) = (i % s.nx, (i / s.nx) % s.ny, i / (s.nx * s.ny))
                for (dx, dy, dz) in [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)] {
                    let (qx, qy, qz) = (x + dx, y + dy, z + dz)
                    guard qx >= 0, qx < s.nx, qy >= 0, qy < s.ny, qz >= 0, qz < s.nz else { continue }
                    let j = qx + s.nx * (qy + s.ny * qz)
                    if mask.bits[j] != 0 && !seen[j] {
                        seen[j] = true
                        stack.append(j)
                    }
                }
            }
        }
        #expect(labels.count == count, "seed \(seed)")
        // Labelling the complement in place gives what labelling the complement mask gives.
        let complement = ComponentLabels(mask, phase: 0), viaMask = ComponentLabels(mask.inverted)
        #expect(complement.labels == viaMask.labels && complement.sizes == viaMask.sizes && complement.faces == viaMask.faces)
        #expect(labels.sizes.reduce(0, +) == mask.count)
        // Sizes, faces and numbering (by first voxel in memory order) agree with the labels.
        var sizes = [Int](repeating: 0, count: labels.count), faces = [UInt8](repeating: 0, count: labels.count)
        var firstSeen = -1
        for i in 0..<s.count where perVoxel[i] >= 0 {
            let c = Int(perVoxel[i])
            if sizes[c] == 0 {
                #expect(c == firstSeen + 1, "seed \(seed)")
                firstSeen = c
            }
            sizes[c] += 1
            let (x, y, z) = (i % s.nx, (i / s.nx) % s.ny, i / (s.nx * s.ny))
            for (axis, p) in [x, y, z].enumerated() {
                if p == 0 { faces[c] |= 1 << (2 * axis) }
                if p == [s.nx, s.ny, s.nz][axis] - 1 { faces[c] |= 2 << (2 * axis) }
            }
        }
        #expect(sizes == labels.sizes && faces == labels.faces, "seed \(seed)")
    }

    @Test func longRunsAcrossSlabsAreOneComponentAndCleanupKeepsTheMainBody() {
        // Two combs: long x runs joined through z across every slab boundary, and a
        // separate bar. Removing islands keeps exactly the larger comb.
        let s = GridSize(nx: 70, ny: 9, nz: 40)
        var mask = VoxelMask(size: s, bits: [UInt8](repeating: 0, count: s.count))
        for z in 0..<s.nz {
            for x in 0..<s.nx where x % 9 != 4 || z % 2 == 0 { mask.bits[x + s.nx * (2 + s.ny * z)] = 1 }
            for x in 3..<60 { mask.bits[x + s.nx * (6 + s.ny * z)] = 1 }
        }
        let labels = ComponentLabels(mask)
        #expect(labels.count == 2)
        #expect(labels.sizes[0] > labels.sizes[1])
        #expect(labels.spans(0, axis: 0) && labels.spans(0, axis: 2) && !labels.spans(1, axis: 0))
        var kept = mask
        labels.set(&kept, to: 0) { $0 != 0 }
        #expect(kept.count == labels.sizes[0])
        let perVoxel = labels.labels
        #expect((0..<s.count).allSatisfy { kept.bits[$0] == (perVoxel[$0] == 0 ? 1 : 0) })
    }

    @Test(arguments: [7, 8] as [UInt64], [1.0, 2.5])
    func openingAndClosingLaws(seed: UInt64, radius: Double) {
        let mask = Self.randomMask(16, seed: seed, density: 0.55)
        let opened = mask.opened(radius: radius)
        let closed = mask.closed(radius: radius)
        #expect(zip(opened.bits, mask.bits).allSatisfy { $0 <= $1 }, "opening is inside the set")
        #expect(zip(mask.bits, closed.bits).allSatisfy { $0 <= $1 }, "the set is inside its closing")
        #expect(opened.opened(radius: radius) == opened, "opening is idempotent")
        #expect(closed.closed(radius: radius) == closed, "closing is idempotent")
    }

    @Test func openingRemovesThinPlatesAndKeepsThickOnes() {
        let size = GridSize(cube: 24)
        let plates = TestSupport.mask(size) { _, _, z in (4..<6).contains(z) || (12..<20).contains(z) }
        let opened = plates.opened(radius: 2)
        #expect(opened.layerFractions(along: .z)[4] == 0)
        #expect(opened.layerFractions(along: .z)[15] > 0.5)
    }
}
