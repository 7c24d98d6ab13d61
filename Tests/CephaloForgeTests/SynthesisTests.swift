import CephaloForge
import ForgeFFT
import Foundation
import Testing

@Suite("Spectral synthesis")
struct SynthesisTests {
    static func recipe(seed: UInt64, size: Int = 64, family: StructureFamily = .spinodal) -> Recipe {
        var r = Recipe.defaults
        r.size = GridSize(cube: size)
        r.extentMM = 10
        r.wavelengthMM = 1.25
        r.family = family
        r.seed = seed
        return r
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func unitVarianceZeroMean(seed: UInt64) throws {
        let g = try FieldSynthesis.field(for: Self.recipe(seed: seed, size: 32))
        let n = Double(g.values.count)
        let mean = g.values.reduce(0.0) { $0 + Double($1) } / n
        let variance = g.values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        #expect(abs(mean) < 1e-4, "seed \(seed)")
        #expect(abs(variance - 1) < 1e-3, "seed \(seed)")
    }

    @Test(arguments: [11, 12] as [UInt64])
    func periodicInEveryAxis(seed: UInt64) throws {
        let g = try FieldSynthesis.field(for: Self.recipe(seed: seed))
        let n = g.size.nx
        for axis in 0..<3 {
            func value(_ a: Int, _ u: Int, _ v: Int) -> Double {
                switch axis {
                case 0: return Double(g[a, u, v])
                case 1: return Double(g[u, a, v])
                default: return Double(g[u, v, a])
                }
            }
            func meanDifference(_ a: Int, _ b: Int) -> Double {
                var total = 0.0
                for u in 0..<n { for v in 0..<n { total += abs(value(a, u, v) - value(b, u, v)) } }
                return total / Double(n * n)
            }
            let interior = (1..<(n - 1)).map { meanDifference($0, $0 + 1) }.reduce(0, +) / Double(n - 2)
            let across = meanDifference(n - 1, 0)
            let far = meanDifference(0, n / 2)
            #expect(across / interior > 0.75 && across / interior < 1.33, "seed \(seed) axis \(axis): \(across) vs \(interior)")
            #expect(far > 1.5 * interior, "seed \(seed) axis \(axis)")
        }
    }

    /// Shell-averaged power |ĝ(m)|² per integer wave number m (cycles per box).
    static func radialPower(_ g: ScalarGrid) throws -> [Double] {
        let size = g.size
        let buffer = try RealSpectralBuffer(size: size)
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<size.nx { buffer.pointer[r * buffer.paddedRowLength + x] = g.values[r * size.nx + x] }
        }
        buffer.forward()
        let shells = size.nx / 2
        var power = [Double](repeating: 0, count: shells + 1)
        var count = [Double](repeating: 0, count: shells + 1)
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                for x in 0..<buffer.complexRowLength {
                    let my = y <= size.ny / 2 ? y : y - size.ny
                    let mz = z <= size.nz / 2 ? z : z - size.nz
                    let m = Int((Double(x * x + my * my + mz * mz)).squareRoot().rounded())
                    guard m <= shells else { continue }
                    let i = 2 * ((z * size.ny + y) * buffer.complexRowLength + x)
                    let re = Double(buffer.pointer[i]), im = Double(buffer.pointer[i + 1])
                    power[m] += re * re + im * im
                    count[m] += 1
                }
            }
        }
        return zip(power, count).map { $1 > 0 ? $0 / $1 : 0 }
    }

    @Test(arguments: [(1.25, 21 as UInt64), (2.5, 22), (1.0, 23)])
    func spinodalPowerPeaksAtTheWavelength(wavelength: Double, seed: UInt64) throws {
        var recipe = Self.recipe(seed: seed)
        recipe.wavelengthMM = wavelength
        let power = try Self.radialPower(FieldSynthesis.field(for: recipe))
        let m = power.indices.dropFirst().max { power[$0] < power[$1] }!
        // Parabolic refinement of the peak between neighbouring shells.
        let a = power[m - 1], b = power[m], c = power[m + 1]
        let peak = Double(m) + 0.5 * (a - c) / (a - 2 * b + c)
        let measured = recipe.extentMM / peak
        #expect(abs(measured - wavelength) / wavelength < 0.10, "seed \(seed): measured λ \(measured) mm")
    }

    /// The half spectrum stores both k and −k in its kx = 0 and Nyquist planes; modes there
    /// must carry the same power as every other mode at the same |k| (blob spectrum, so
    /// many modes have weight). Pools 4 seeds at 48³.
    @Test func hermitianPlanesCarryFullPower() throws {
        var inPlane = 0.0, inPlaneCount = 0.0, elsewhere = 0.0, elsewhereCount = 0.0
        for seed in 31...34 as ClosedRange<UInt64> {
            let g = try FieldSynthesis.field(for: Self.recipe(seed: seed, size: 48, family: .blob))
            let size = g.size
            let buffer = try RealSpectralBuffer(size: size)
            for r in 0..<(size.ny * size.nz) {
                for x in 0..<size.nx { buffer.pointer[r * buffer.paddedRowLength + x] = g.values[r * size.nx + x] }
            }
            buffer.forward()
            for z in 0..<size.nz {
                for y in 0..<size.ny {
                    let my = y <= size.ny / 2 ? y : y - size.ny, mz = z <= size.nz / 2 ? z : z - size.nz
                    for x in 0..<buffer.complexRowLength {
                        let m2 = x * x + my * my + mz * mz
                        guard m2 >= 1, m2 <= 36 else { continue }
                        let i = 2 * ((z * size.ny + y) * buffer.complexRowLength + x)
                        let p = Double(buffer.pointer[i] * buffer.pointer[i] + buffer.pointer[i + 1] * buffer.pointer[i + 1])
                        // Compare like with like: weight by the blob spectrum's own |k| dependence.
                        let weight = exp(Double(m2) * pow(1.25 / 10, 2) / 2)
                        if x == 0 {
                            inPlane += p * weight
                            inPlaneCount += 1
                        } else {
                            elsewhere += p * weight
                            elsewhereCount += 1
                        }
                    }
                }
            }
        }
        let ratio = (inPlane / inPlaneCount) / (elsewhere / elsewhereCount)
        #expect(ratio > 0.75 && ratio < 1.33, "kx = 0 plane holds \(ratio) of the power of other modes")
    }

    /// The noise generator: 2 M samples against the standard normal CDF at many points
    /// (including the tail beyond the ziggurat's base layer at 3.44) and its moments.
    @Test func normalSamplesFollowTheGaussian() {
        var random = SeededRandom(seed: 99)
        var samples = [Float](repeating: 0, count: 2_000_000)
        samples.withUnsafeMutableBufferPointer { random.fillStandardNormal($0) }
        let n = Double(samples.count)
        let mean = samples.reduce(0.0) { $0 + Double($1) } / n
        let variance = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / n - mean * mean
        let fourth = samples.reduce(0.0) { $0 + pow(Double($1), 4) } / n
        #expect(abs(mean) < 0.004)
        #expect(abs(variance - 1) < 0.005)
        #expect(abs(fourth - 3) < 0.05)
        let sorted = samples.sorted()
        for x in stride(from: -3.0, through: 3.0, by: 0.25) {
            var lo = 0, hi = sorted.count  // first index with sorted[i] >= x
            while lo < hi {
                let mid = (lo + hi) / 2
                if Double(sorted[mid]) < x { lo = mid + 1 } else { hi = mid }
            }
            let below = Double(lo) / n
            let phi = 0.5 * erfc(-x / 2.0.squareRoot())
            #expect(abs(below - phi) < 0.0025, "CDF at \(x): \(below) against \(phi)")
        }
        let tail = Double(samples.filter { abs($0) > 3.6 }.count) / n
        let expected = erfc(3.6 / 2.0.squareRoot())
        #expect(abs(tail / expected - 1) < 0.2, "P(|x| > 3.6) = \(tail) against \(expected)")
    }

    /// S ∝ exp(−m²/128) for the blob at λ = 1.25 mm in a 10 mm box: the shell power at
    /// m = 2, 8, 16, 24 falls as 0.97, 0.61, 0.14, 0.011 (three seeds pooled; a shell of
    /// small m holds few modes, so single draws scatter).
    @Test func blobPowerFallsFromZero() throws {
        var power = [Double](repeating: 0, count: 33)
        for seed in 4...6 as ClosedRange<UInt64> {
            let p = try Self.radialPower(FieldSynthesis.field(for: Self.recipe(seed: seed, family: .blob)))
            for m in power.indices { power[m] += p[m] }
        }
        #expect(power[2] > power[8] && power[8] > power[16] && power[16] > power[24], "\(power)")
        let expected = exp(-(16.0 * 16 - 8 * 8) / 128)
        #expect(abs(power[16] / power[8] / expected - 1) < 0.3, "m = 16 against 8: \(power[16] / power[8])")
    }

    @Test func sameSeedSameBitsDifferentSeedDifferentField() throws {
        let a = try FieldSynthesis.field(for: Self.recipe(seed: 7, size: 32))
        let b = try FieldSynthesis.field(for: Self.recipe(seed: 7, size: 32))
        let c = try FieldSynthesis.field(for: Self.recipe(seed: 8, size: 32))
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        let differing = zip(a.values, c.values).filter { abs($0 - $1) > 0.1 }.count
        #expect(differing > a.values.count / 2)
    }

    @Test func planarFieldsArePeriodicToo() throws {
        var recipe = Self.recipe(seed: 3)
        recipe.size = GridSize(nx: 128, ny: 64, nz: 1)
        let g = try FieldSynthesis.field(for: recipe)
        #expect(g.size.nz == 1)
        var across = 0.0, interior = 0.0
        for y in 0..<64 {
            across += abs(Double(g[127, y, 0] - g[0, y, 0]))
            interior += abs(Double(g[64, y, 0] - g[63, y, 0]))
        }
        #expect(across < 2 * interior && across > 0.5 * interior)
    }

    /// Noise is keyed by each mode's signed wave indices and samples lie at voxel centres:
    /// a spinodal with no power beyond 24 cycles per box is the same field at 64³ and 128³.
    /// Coarse voxel j's centre, (j + ½)·2h, lies half a fine voxel past fine sample 2j, so the
    /// fine field moved by half a voxel (exactly, in Fourier space) matches the coarse one
    /// at every second sample. (Sampled at the grids' corners instead, the two would be half
    /// a fine voxel apart, 0.04 mm here.)
    @Test(arguments: [StructureFamily.spinodal, .lamellar])
    func sameSeedSameStructureAtAnotherResolution(family: StructureFamily) throws {
        let coarse = try FieldSynthesis.field(for: Self.recipe(seed: 5, size: 64, family: family))
        let fine = try Self.movedHalfAVoxel(FieldSynthesis.field(for: Self.recipe(seed: 5, size: 128, family: family)))
        var worst: Float = 0
        for z in 0..<64 {
            for y in 0..<64 {
                for x in 0..<64 { worst = max(worst, abs(coarse[x, y, z] - fine[2 * x, 2 * y, 2 * z])) }
            }
        }
        #expect(worst < 1e-4, "\(family): largest difference \(worst)")
    }

    /// `g` sampled half a voxel further along every axis (band-limited interpolation).
    static func movedHalfAVoxel(_ g: ScalarGrid) throws -> ScalarGrid {
        let size = g.size
        let buffer = try RealSpectralBuffer(size: size)
        let row = buffer.paddedRowLength, cx = buffer.complexRowLength
        for r in 0..<(size.ny * size.nz) { for x in 0..<size.nx { buffer.pointer[r * row + x] = g.values[r * size.nx + x] } }
        buffer.forward()
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                let my = y <= size.ny / 2 ? y : y - size.ny, mz = z <= size.nz / 2 ? z : z - size.nz
                for x in 0..<cx {
                    let angle = Double.pi * (Double(x) / Double(size.nx) + Double(my) / Double(size.ny) + Double(mz) / Double(size.nz))
                    let i = 2 * ((z * size.ny + y) * cx + x)
                    let (re, im) = (Double(buffer.pointer[i]), Double(buffer.pointer[i + 1]))
                    buffer.pointer[i] = Float(re * cos(angle) - im * sin(angle))
                    buffer.pointer[i + 1] = Float(re * sin(angle) + im * cos(angle))
                }
            }
        }
        buffer.inverse()
        var out = g
        let n = Float(size.count)
        for r in 0..<(size.ny * size.nz) { for x in 0..<size.nx { out.values[r * size.nx + x] = buffer.pointer[r * row + x] / n } }
        return out
    }

    /// The radial limit beyond which coefficients are not drawn: every spectrum's amplitude
    /// there is below 10⁻⁷ of its peak, and just inside it is not.
    @Test func negligibleModesLieBeyondTheRadialLimit() {
        let spectra = [Spectrum(profile: .shell(k0: 5, sigma: 1.25)), Spectrum(profile: .lowPass(length: 0.2)),
                       Spectrum(profile: .shell(k0: 5, sigma: 1.25), coneAnglesDeg: [20, 0, 0])]
        for spectrum in spectra {
            let limit = spectrum.radialLimit(belowFraction: 1e-7)
            for direction in [SIMD3(1.0, 0, 0), SIMD3(0.6, 0.8, 0), SIMD3(0.0, 0.6, 0.8)] {
                for step in 0..<50 {
                    let k = direction * (limit * (1.001 + Double(step) * 0.1))
                    #expect(spectrum.amplitude(k) < 1e-7 * spectrum.peakAmplitude)
                }
            }
            #expect(spectrum.amplitude(SIMD3(limit * 0.98, 0, 0)) > 1e-7 * spectrum.peakAmplitude)
        }
    }
}
