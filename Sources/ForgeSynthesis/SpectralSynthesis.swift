import ForgeCore
import ForgeFFT
import Foundation

/// Periodic Gaussian random fields with a prescribed spectrum.
///
/// Method: seeded complex white noise is drawn directly in Fourier space, each coefficient
/// multiplied by √S(|k|) with the mean (k = 0) removed, and one inverse FFT makes the field.
/// This is the same distribution as filtering real white noise (whose transform is complex
/// Gaussian noise with Hermitian symmetry) without the forward transform. The half
/// spectrum's kx = 0 and Nyquist planes are made Hermitian explicitly, so every mode
/// carries its full power. The variance comes from the spectrum (Parseval), and the scale
/// to unit variance is applied while copying the result out of the transform buffer. The
/// result is periodic in every axis (it tiles seamlessly). Wave numbers follow FFT order,
/// k = 2π m / L with m = 0, 1, …, n/2, −n/2 + 1, …, −1.
///
/// Each coefficient's noise is drawn from its own stream, keyed by the seed and its signed
/// wave indices (m_x, m_y, m_z). So the field is the same for any number of threads, a
/// coefficient whose amplitude is below 10⁻⁷ of the spectrum's peak is zero without a draw
/// (a band-pass spectrum at 256³ draws well under 1% of them), and the same seed at another
/// grid size keeps the same modes: where the spectrum has no power beyond the coarser
/// grid's Nyquist, the finer field samples the same structure.
public enum SpectralSynthesis {
    /// Coefficients with an amplitude below this fraction of the peak are zero.
    static let negligibleAmplitude = 1e-7

    /// A unit-variance field of `size` samples at `voxelSizeMM`, with spectrum `spectrum`.
    /// Memory: one FFT buffer (about the field's size) plus the returned grid.
    public static func field(size: GridSize, voxelSizeMM: Double, spectrum: Spectrum,
                             seed: UInt64) throws -> ScalarGrid {
        let buffer = try RealSpectralBuffer(size: size,
                                            inverseBand: band(size: size, voxelSizeMM: voxelSizeMM, spectrum: spectrum))
        let cutoff = Float(spectrum.peakAmplitude * negligibleAmplitude)
        let variance = fillNoise(buffer, seed: seed, cutoff: cutoff,
                                 amplitudes: amplitudeRows(size: size, voxelSizeMM: voxelSizeMM, spectrum: spectrum))
        return synthesised(buffer, variance: variance - shiftToVoxelCentres(buffer), voxelSizeMM: voxelSizeMM)
    }

    /// A unit-variance field whose Fourier amplitudes are `amplitudes`, one per half-complex
    /// coefficient in FFTW's order ((nx/2 + 1) × ny × nz, x fastest); an amplitude must not
    /// depend on the sign of k.
    public static func field(size: GridSize, voxelSizeMM: Double, amplitudes: [Float], seed: UInt64) throws -> ScalarGrid {
        let buffer = try RealSpectralBuffer(size: size)
        let cx = buffer.complexRowLength
        precondition(amplitudes.count == cx * size.ny * size.nz)
        let cutoff = (amplitudes.max() ?? 0) * Float(negligibleAmplitude)
        let variance = fillNoise(buffer, seed: seed, cutoff: cutoff) { y, z, factors in
            let start = (z * size.ny + y) * cx
            for x in 0..<cx { factors[x] = amplitudes[start + x] }
            return cx
        }
        return synthesised(buffer, variance: variance - shiftToVoxelCentres(buffer), voxelSizeMM: voxelSizeMM)
    }

    /// Writes the amplitudes of row (y, z) of the half spectrum into its third argument and
    /// returns how many it wrote; the rest of the row is negligible.
    typealias AmplitudeRow = @Sendable (_ y: Int, _ z: Int, _ factors: UnsafeMutablePointer<Float>) -> Int

    /// Fills the half spectrum with complex normal noise times the amplitudes (zero where
    /// they are below `cutoff`), zeroes k = 0, makes the Hermitian planes consistent, and
    /// returns the variance of the field this spectrum makes (Parseval: the sum of |X|² over
    /// the full spectrum, which the half spectrum holds twice except in its Hermitian planes).
    private static func fillNoise(_ buffer: RealSpectralBuffer, seed: UInt64, cutoff: Float,
                                  amplitudes: @escaping AmplitudeRow) -> Double {
        let size = buffer.size
        let cx = buffer.complexRowLength
        // Columns 1..<paired appear twice in the full spectrum.
        let paired = size.nx % 2 == 0 ? cx - 1 : cx
        let base = SendablePointer(buffer.pointer)
        let layerPower = UnsafeMutableBufferPointer<Double>.allocate(capacity: size.nz)
        defer { layerPower.deallocate() }
        let power = SendablePointer(layerPower.baseAddress!)
        parallelForRanges(size.nz) { zs in
            let factors = UnsafeMutablePointer<Float>.allocate(capacity: cx)
            defer { factors.deallocate() }
            for z in zs {
                let mz = z <= size.nz / 2 ? z : z - size.nz
                var layer = 0.0
                for y in 0..<size.ny {
                    let my = y <= size.ny / 2 ? y : y - size.ny
                    let row = base.base + 2 * (z * size.ny + y) * cx
                    let written = amplitudes(y, z, factors)
                    row.update(repeating: 0, count: 2 * cx)
                    if z == 0 && y == 0 { factors[0] = 0 }
                    var rowPower: Float = 0
                    for x in 0..<written where factors[x] >= cutoff {
                        var random = SeededRandom(seed: seed, stream: modeKey(x, my, mz))
                        let re = random.nextStandardNormal() * factors[x]
                        let im = random.nextStandardNormal() * factors[x]
                        row[2 &* x] = re
                        row[2 &* x &+ 1] = im
                        if x >= 1 && x < paired { rowPower += re * re + im * im }
                    }
                    layer += 2 * Double(rowPower)
                }
                power.base[z] = layer
            }
        }
        makeHermitianPlanes(buffer)
        var total = layerPower.reduce(0, +)
        let p = buffer.pointer
        for column in paired == cx ? [0] : [0, cx - 1] {
            for r in 0..<(size.ny * size.nz) {
                let i = 2 * (r * cx + column)
                total += Double(p[i] * p[i] + p[i + 1] * p[i + 1])
            }
        }
        return total
    }

    /// The columns and rows of the half spectrum that hold the spectrum's radial limit: the
    /// inverse transform skips the rest.
    static func band(size: GridSize, voxelSizeMM: Double, spectrum: Spectrum) -> RealSpectralBuffer.Band {
        let limit = spectrum.radialLimit(belowFraction: negligibleAmplitude)
        let kx2 = waveNumbersSquared(count: size.nx, lengthMM: Double(size.nx) * voxelSizeMM, half: true)
        let ky2 = waveNumbersSquared(count: size.ny, lengthMM: Double(size.ny) * voxelSizeMM)
        let columns = kx2.prefix { $0 <= limit * limit }.count
        let rows = (0...(size.ny / 2)).last { ky2[$0] <= limit * limit } ?? 0
        return RealSpectralBuffer.Band(columns: columns, rows: rows)
    }

    /// Moves the samples from the grid's corners to its voxel centres: sample (i, j, l) is
    /// the field at ((i, j, l) + ½)·h, as lattices, meshes, slices and volume headers place
    /// it, so the same seed at two sizes gives the same structure in the same place. Each
    /// coefficient is multiplied by exp(iπ(mx/nx + my/ny + mz/nz)) (a shift by half a voxel
    /// along every axis), which keeps the spectrum Hermitian except at the Nyquist
    /// frequencies, whose coefficients — real by necessity, and negligible for every
    /// spectrum synthesised here — are set to zero. Returns the power removed with them
    /// (on the scale of `fillNoise`'s variance).
    private static func shiftToVoxelCentres(_ buffer: RealSpectralBuffer) -> Double {
        let size = buffer.size, cx = buffer.complexRowLength
        let paired = size.nx % 2 == 0 ? cx - 1 : cx
        func phases(_ n: Int, half: Bool) -> [(Float, Float)] {
            (0..<(half ? n / 2 + 1 : n)).map { i in
                let m = i <= n / 2 ? i : i - n
                let angle = Double.pi * Double(m) / Double(n)
                return (Float(cos(angle)), Float(sin(angle)))
            }
        }
        let ex = phases(size.nx, half: true), ey = phases(size.ny, half: false), ez = phases(size.nz, half: false)
        let base = SendablePointer(buffer.pointer)
        let removed = UnsafeMutableBufferPointer<Double>.allocate(capacity: size.nz)
        defer { removed.deallocate() }
        let lost = SendablePointer(removed.baseAddress!)
        parallelForRanges(size.nz) { zs in
            for z in zs {
                var layer = 0.0
                let zNyquist = size.nz > 1 && size.nz % 2 == 0 && z == size.nz / 2
                for y in 0..<size.ny {
                    let yNyquist = size.ny % 2 == 0 && y == size.ny / 2
                    let (cyz, syz) = (ey[y].0 * ez[z].0 - ey[y].1 * ez[z].1, ey[y].0 * ez[z].1 + ey[y].1 * ez[z].0)
                    let row = base.base + 2 * (z * size.ny + y) * cx
                    for x in 0..<cx {
                        let re = row[2 &* x], im = row[2 &* x &+ 1]
                        guard re != 0 || im != 0 else { continue }
                        if zNyquist || yNyquist || (size.nx % 2 == 0 && x == cx - 1) {
                            layer += Double(re * re + im * im) * (x >= 1 && x < paired ? 2 : 1)
                            row[2 &* x] = 0
                            row[2 &* x &+ 1] = 0
                            continue
                        }
                        let (c, s) = (ex[x].0 * cyz - ex[x].1 * syz, ex[x].0 * syz + ex[x].1 * cyz)
                        row[2 &* x] = re * c - im * s
                        row[2 &* x &+ 1] = re * s + im * c
                    }
                }
                lost.base[z] = layer
            }
        }
        return removed.reduce(0, +)
    }

    /// The stream of the coefficient with signed wave indices (mx, my, mz): 21 bits each.
    @inline(__always)
    static func modeKey(_ mx: Int, _ my: Int, _ mz: Int) -> UInt64 {
        let bias = 1 << 20
        return UInt64(mx + bias) | UInt64(my + bias) << 21 | UInt64(mz + bias) << 42
    }

    /// In the planes kx = 0 and kx = Nyquist the half spectrum holds both k and −k: sets
    /// X(−k) = conj X(k), and makes self-conjugate modes real with the same power.
    private static func makeHermitianPlanes(_ buffer: RealSpectralBuffer) {
        let size = buffer.size, cx = buffer.complexRowLength
        let p = buffer.pointer
        let planes = size.nx % 2 == 0 && cx > 1 ? [0, cx - 1] : [0]
        for x in planes {
            for z in 0..<size.nz {
                let mz = (size.nz - z) % size.nz
                for y in 0..<size.ny {
                    let my = (size.ny - y) % size.ny
                    let here = 2 * ((z * size.ny + y) * cx + x), mirror = 2 * ((mz * size.ny + my) * cx + x)
                    if here == mirror {
                        p[here] *= Float(2).squareRoot()
                        p[here + 1] = 0
                    } else if here > mirror {
                        p[here] = p[mirror]
                        p[here + 1] = -p[mirror + 1]
                    }
                }
            }
        }
    }

    /// The inverse transform, copied out of the padded buffer at unit variance. The copy
    /// goes in batches of rows of about 32 MiB, and the buffer's pages of each batch are
    /// given back once it is copied, so the field and the buffer are never both resident.
    private static func synthesised(_ buffer: RealSpectralBuffer, variance: Double, voxelSizeMM: Double) -> ScalarGrid {
        let scale = Float(1 / max(variance, .leastNormalMagnitude).squareRoot())
        buffer.inverse()
        let size = buffer.size
        let rowLength = buffer.paddedRowLength
        let source = SendablePointer(buffer.pointer)
        let rows = size.ny * size.nz
        let batch = max(1, (32 << 20) / (4 * rowLength))
        let values = [Float](onHugePages: size.count) { out in
            let target = SendablePointer(out.baseAddress!)
            for first in stride(from: 0, to: rows, by: batch) {
                let last = min(first + batch, rows)
                parallelForRanges(last - first, minimumChunk: 64) { range in
                    for r in range.lowerBound + first..<range.upperBound + first {
                        let row = source.base + r * rowLength
                        let dst = target.base + r * size.nx
                        var x = 0
                        while x < size.nx {
                            dst[x] = row[x] * scale
                            x &+= 1
                        }
                    }
                }
                buffer.discard(floats: first * rowLength..<last * rowLength)
            }
        }
        return ScalarGrid(size: size, voxelSizeMM: voxelSizeMM, values: values)
    }

    /// Squared wave numbers along one axis of `n` samples over `lengthMM`, in FFT order.
    static func waveNumbersSquared(count n: Int, lengthMM: Double, half: Bool = false) -> [Double] {
        let m = half ? n / 2 + 1 : n
        return (0..<m).map { i in
            let signed = i <= n / 2 ? i : i - n
            let k = 2 * Double.pi * Double(signed) / lengthMM
            return k * k
        }
    }

    /// Signed wave numbers from their squares (FFT order: the upper half is negative).
    private static func signedRoots(_ squares: [Double], count n: Int, half: Bool = false) -> [Double] {
        squares.indices.map { i in (!half && i > n / 2 ? -1.0 : 1.0) * squares[i].squareRoot() }
    }

    /// The amplitude of each coefficient of a row (y, z) of the half spectrum, up to the
    /// last one within the spectrum's radial limit (beyond it every amplitude is negligible).
    private static func amplitudeRows(size: GridSize, voxelSizeMM: Double, spectrum: Spectrum) -> AmplitudeRow {
        let cx = size.nx / 2 + 1
        let extent = SIMD3(Double(size.nx), Double(size.ny), Double(size.nz)) * voxelSizeMM
        let kx2 = waveNumbersSquared(count: size.nx, lengthMM: extent.x, half: true)
        let ky2 = waveNumbersSquared(count: size.ny, lengthMM: extent.y)
        let kz2 = waveNumbersSquared(count: size.nz, lengthMM: extent.z)
        let kx = signedRoots(kx2, count: size.nx, half: true)
        let ky = signedRoots(ky2, count: size.ny)
        let kz = signedRoots(kz2, count: size.nz)
        let limit = spectrum.radialLimit(belowFraction: negligibleAmplitude)
        let limit2 = limit * limit
        /// Columns 0..<count(y, z) have k² within the limit (kx² grows with the column).
        let count: @Sendable (Int, Int) -> Int = { y, z in
            let rest = limit2 - ky2[y] - kz2[z]
            guard rest >= 0 else { return 0 }
            var n = 0
            while n < cx && kx2[n] <= rest { n += 1 }
            return n
        }
        // An isotropic spectrum on a cube depends only on the integer m² = i² + j² + l²:
        // one table lookup per coefficient instead of an exp.
        if spectrum.coneCosines == nil && size.isCube {
            let half = size.nx / 2, step = 2 * Double.pi / extent.x
            let radial = (0...(3 * half * half)).map {
                Float(spectrum.amplitude(SIMD3(Double($0).squareRoot() * step, 0, 0)))
            }
            return { y, z, factors in
                let j = y <= size.ny / 2 ? y : y - size.ny, l = z <= size.nz / 2 ? z : z - size.nz
                let offset = j * j + l * l
                let n = count(y, z)
                radial.withUnsafeBufferPointer { table in
                    for x in 0..<n { factors[x] = table[offset + x * x] }
                }
                return n
            }
        }
        return { y, z, factors in
            let n = count(y, z)
            for x in 0..<n { factors[x] = Float(spectrum.amplitude(SIMD3(kx[x], ky[y], kz[z]))) }
            return n
        }
    }
}
