import ForgeCore
import Foundation

/// Triply periodic minimal-surface lattices sampled at voxel centres.
///
/// With x = 2πX/c (X in mm, c the cell size): gyroid sin x cos y + sin y cos z + sin z cos x;
/// Schwarz P cos x + cos y + cos z; diamond sin x sin y sin z + sin x cos y cos z +
/// cos x sin y cos z + cos x cos y sin z; Neovius 3(cos x + cos y + cos z) + 4 cos x cos y cos z.
/// The cell size is snapped so a whole number of cells spans each axis, which keeps the
/// lattice exactly periodic (it tiles); a 2D grid samples the z = 0 plane.
public enum LatticeField {
    /// Cells per axis for a requested cell size (at least one).
    public static func cellCounts(size: GridSize, voxelSizeMM: Double, cellMM: Double) -> [Int] {
        [size.nx, size.ny, size.nz].map { n in
            n == 1 ? 1 : max(1, Int((Double(n) * voxelSizeMM / cellMM).rounded()))
        }
    }

    /// Amplitude of the seeded jitter that breaks the lattice's exact ties (symmetric
    /// samples share values), so a quantile cut can hit any fraction to one voxel.
    public static let tieBreakingAmplitude: Float = 1e-4

    /// The lattice field, scaled to unit variance, with ties broken by a jitter of
    /// `tieBreakingAmplitude` drawn from `seed`.
    public static func field(family: StructureFamily, size: GridSize, voxelSizeMM: Double, cellMM: Double,
                             seed: UInt64 = 0) -> ScalarGrid {
        precondition(family.isLattice)
        let cells = cellCounts(size: size, voxelSizeMM: voxelSizeMM, cellMM: cellMM)
        // Phase of sample i along an axis of n samples holding `cells` periods.
        func phases(_ n: Int, _ cells: Int) -> (sin: [Double], cos: [Double]) {
            let angles = (0..<n).map { n == 1 ? 0 : 2 * Double.pi * Double(cells) * (Double($0) + 0.5) / Double(n) }
            return (angles.map(sin), angles.map(cos))
        }
        let px = phases(size.nx, cells[0]), py = phases(size.ny, cells[1]), pz = phases(size.nz, cells[2])
        var grid = ScalarGrid(size: size, voxelSizeMM: voxelSizeMM)
        grid.values.withUnsafeMutableBufferPointer { buffer in
            let out = SendablePointer(buffer.baseAddress!)
            parallelForRanges(size.nz) { zs in
                for z in zs {
                    let (sz, cz) = (pz.sin[z], pz.cos[z])
                    for y in 0..<size.ny {
                        let (sy, cy) = (py.sin[y], py.cos[y])
                        let row = out.base + size.nx * (y + size.ny * z)
                        for x in 0..<size.nx {
                            let (sx, cx) = (px.sin[x], px.cos[x])
                            let v: Double
                            switch family {
                            case .gyroid: v = sx * cy + sy * cz + sz * cx
                            case .schwarzP: v = cx + cy + cz
                            case .diamond: v = sx * sy * sz + sx * cy * cz + cx * sy * cz + cx * cy * sz
                            default: v = 3 * (cx + cy + cz) + 4 * cx * cy * cz
                            }
                            row[x] = Float(v)
                        }
                    }
                }
            }
        }
        grid.normaliseToUnitVariance()
        var random = SeededRandom(seed: seed, stream: 0x7E5)
        for i in grid.values.indices {
            grid.values[i] += tieBreakingAmplitude * Float(random.nextOpenUnit() - 0.5)
        }
        return grid
    }
}

extension ScalarGrid {
    /// Shifts and scales the values to zero mean and unit variance (sums in Double).
    public mutating func normaliseToUnitVariance() {
        var sum = 0.0, squares = 0.0
        for v in values {
            sum += Double(v)
            squares += Double(v) * Double(v)
        }
        let n = Double(values.count)
        let mean = sum / n
        let std = max(squares / n - mean * mean, .leastNormalMagnitude).squareRoot()
        let shift = Float(mean), scale = Float(1 / std)
        values.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = (buffer[i] - shift) * scale }
        }
    }
}
