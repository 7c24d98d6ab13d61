import ForgeCore
import ForgeFFT
import Foundation

/// Periodic Gaussian random fields with a prescribed spectrum.
///
/// Method: seeded white noise in real space → forward FFT → multiply by √S(|k|), zero the
/// mean → inverse FFT → scale to zero mean and unit variance. Filtering real noise keeps
/// the Hermitian symmetry of the half spectrum exact, and the result is periodic in every
/// axis (it tiles seamlessly). Wave numbers follow FFT order, k = 2π m / L with
/// m = 0, 1, …, n/2, −n/2 + 1, …, −1. Noise comes from one independent stream per z layer,
/// so the field is the same for any number of threads.
public enum SpectralSynthesis {
    /// A unit-variance field of `size` samples at `voxelSizeMM`, with spectrum `spectrum`.
    /// Memory: one FFT buffer (about the field's size) plus the returned grid.
    public static func field(size: GridSize, voxelSizeMM: Double, spectrum: Spectrum,
                             seed: UInt64) throws -> ScalarGrid {
        let buffer = try RealSpectralBuffer(size: size)
        fillWhiteNoise(buffer, seed: seed)
        buffer.forward()
        applyAmplitude(buffer, voxelSizeMM: voxelSizeMM, spectrum: spectrum)
        buffer.inverse()
        return normalisedGrid(from: buffer, voxelSizeMM: voxelSizeMM)
    }

    /// A unit-variance field whose Fourier amplitudes are `amplitudes`, one per half-complex
    /// coefficient in FFTW's order ((nx/2 + 1) × ny × nz, x fastest).
    public static func field(size: GridSize, voxelSizeMM: Double, amplitudes: [Float], seed: UInt64) throws -> ScalarGrid {
        let buffer = try RealSpectralBuffer(size: size)
        precondition(amplitudes.count == buffer.complexRowLength * size.ny * size.nz)
        fillWhiteNoise(buffer, seed: seed)
        buffer.forward()
        let p = buffer.pointer
        for c in 0..<amplitudes.count {
            p[2 * c] *= amplitudes[c]
            p[2 * c + 1] *= amplitudes[c]
        }
        buffer.inverse()
        return normalisedGrid(from: buffer, voxelSizeMM: voxelSizeMM)
    }

    private static func fillWhiteNoise(_ buffer: RealSpectralBuffer, seed: UInt64) {
        let size = buffer.size
        let row = buffer.paddedRowLength
        let base = SendablePointer(buffer.pointer)
        parallelForRanges(size.nz) { zs in
            for z in zs {
                var random = SeededRandom(seed: seed, stream: UInt64(z))
                for y in 0..<size.ny {
                    let start = base.base + (z * size.ny + y) * row
                    random.fillStandardNormal(UnsafeMutableBufferPointer(start: start, count: size.nx))
                    for x in size.nx..<row { start[x] = 0 }
                }
            }
        }
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

    private static func applyAmplitude(_ buffer: RealSpectralBuffer, voxelSizeMM: Double,
                                       spectrum: Spectrum) {
        let size = buffer.size
        let extent = SIMD3(Double(size.nx), Double(size.ny), Double(size.nz)) * voxelSizeMM
        let kx2 = waveNumbersSquared(count: size.nx, lengthMM: extent.x, half: true)
        let ky2 = waveNumbersSquared(count: size.ny, lengthMM: extent.y)
        let kz2 = waveNumbersSquared(count: size.nz, lengthMM: extent.z)
        let cx = buffer.complexRowLength
        let base = SendablePointer(buffer.pointer)
        let kx = signedRoots(kx2, count: size.nx, half: true)
        let ky = signedRoots(ky2, count: size.ny), kz = signedRoots(kz2, count: size.nz)
        // An isotropic spectrum on a cube depends only on the integer m² = i² + j² + l²:
        // one table lookup per coefficient instead of an exp.
        let radial: [Float]? = spectrum.coneCosines == nil && size.isCube ? {
            let half = size.nx / 2, step = 2 * Double.pi / extent.x
            return (0...(3 * half * half)).map { Float(spectrum.amplitude(SIMD3(Double($0).squareRoot() * step, 0, 0))) }
        }() : nil
        func apply(_ table: SendableReadOnlyPointer<Float>?) {
            parallelForRanges(size.nz) { zs in
                var factors = [Float](repeating: 0, count: cx)
                for z in zs {
                    for y in 0..<size.ny {
                        if let table {
                            let j = y <= size.ny / 2 ? y : y - size.ny, l = z <= size.nz / 2 ? z : z - size.nz
                            let base2 = j * j + l * l
                            for x in 0..<cx { factors[x] = table[base2 + x * x] }
                        } else {
                            for x in 0..<cx {
                                factors[x] = Float(spectrum.amplitude(SIMD3(kx[x], ky[y], kz[z])))
                            }
                        }
                        if z == 0 && y == 0 { factors[0] = 0 }
                        let row = base.base + 2 * (z * size.ny + y) * cx
                        for x in 0..<cx {
                            row[2 &* x] *= factors[x]
                            row[2 &* x &+ 1] *= factors[x]
                        }
                    }
                }
            }
        }
        if let radial {
            radial.withUnsafeBufferPointer { apply(SendableReadOnlyPointer($0.baseAddress!)) }
        } else {
            apply(nil)
        }
    }

    /// Copies the real rows out of the padded buffer, scaled to unit variance.
    private static func normalisedGrid(from buffer: RealSpectralBuffer, voxelSizeMM: Double) -> ScalarGrid {
        let size = buffer.size
        let rowLength = buffer.paddedRowLength
        let rows = size.ny * size.nz
        let source = SendablePointer(buffer.pointer)
        let partial = SumsOfSquares(count: rows)
        parallelForRanges(rows) { range in
            for r in range {
                let row = source.base + r * rowLength
                var sum = 0.0, squares = 0.0
                for x in 0..<size.nx {
                    let v = Double(row[x])
                    sum += v
                    squares += v * v
                }
                partial.sums[r] = sum
                partial.squares[r] = squares
            }
        }
        let n = Double(size.count)
        let mean = partial.sums.reduce(0, +) / n
        let variance = max(partial.squares.reduce(0, +) / n - mean * mean, .leastNormalMagnitude)
        let scale = Float(1 / variance.squareRoot())
        let shift = Float(mean)
        let values = [Float](unsafeUninitializedCapacity: size.count) { out, initialised in
            let target = SendablePointer(out.baseAddress!)
            parallelForRanges(rows) { range in
                for r in range {
                    let row = source.base + r * rowLength
                    let dst = target.base + r * size.nx
                    for x in 0..<size.nx { dst[x] = (row[x] - shift) * scale }
                }
            }
            initialised = size.count
        }
        partial.release()
        return ScalarGrid(size: size, voxelSizeMM: voxelSizeMM, values: values)
    }
}

/// Per-row partial sums, written by disjoint parallel tasks.
private struct SumsOfSquares: @unchecked Sendable {
    let sums: UnsafeMutableBufferPointer<Double>
    let squares: UnsafeMutableBufferPointer<Double>
    init(count: Int) {
        sums = .allocate(capacity: count)
        squares = .allocate(capacity: count)
    }
    func release() {
        sums.deallocate()
        squares.deallocate()
    }
}
