import CephaloForge
import ForgeFFT
import Foundation
import Testing

@Suite("FFTW workspace")
struct FFTTests {
    /// The last size is above `RealSpectralBuffer.passesAbove`, so it runs as slab passes,
    /// with planes that start off FFTW's alignment (an odd number of complex rows each).
    @Test(arguments: [GridSize(nx: 16, ny: 12, nz: 10), GridSize(nx: 32, ny: 32, nz: 1), GridSize(nx: 136, ny: 131, nz: 126)])
    func roundTripAndParseval(size: GridSize) throws {
        let buffer = try RealSpectralBuffer(size: size)
        var random = SeededRandom(seed: 5)
        var original = [Float](repeating: 0, count: size.count)
        original.withUnsafeMutableBufferPointer { random.fillStandardNormal($0) }
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<size.nx { buffer.pointer[r * buffer.paddedRowLength + x] = original[r * size.nx + x] }
        }
        let energy = original.reduce(0.0) { $0 + Double($1) * Double($1) }
        buffer.forward()
        // Parseval over the half spectrum: interior x frequencies count twice.
        var spectral = 0.0
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<buffer.complexRowLength {
                let re = Double(buffer.pointer[2 * (r * buffer.complexRowLength + x)])
                let im = Double(buffer.pointer[2 * (r * buffer.complexRowLength + x) + 1])
                let weight = (x == 0 || x == size.nx / 2) ? 1.0 : 2.0
                spectral += weight * (re * re + im * im)
            }
        }
        #expect(abs(spectral / Double(size.count) - energy) / energy < 1e-4)
        buffer.inverse()
        var worst: Float = 0
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<size.nx {
                let back = buffer.pointer[r * buffer.paddedRowLength + x] / Float(size.count)
                worst = max(worst, abs(back - original[r * size.nx + x]))
            }
        }
        #expect(worst < 1e-4)
    }

    /// The band-limited inverse (passes along z and y only over the band's columns and rows)
    /// equals the full inverse on a spectrum that is zero outside the band: the spectrum of
    /// a random field with everything outside the band removed (which keeps it Hermitian).
    @Test(arguments: [(GridSize(nx: 24, ny: 20, nz: 16), 5, 4), (GridSize(nx: 32, ny: 16, nz: 12), 17, 0),
                      (GridSize(nx: 20, ny: 18, nz: 8), 3, 9)])
    func bandLimitedInverseMatchesTheFullOne(size: GridSize, columns: Int, rows: Int) throws {
        let full = try RealSpectralBuffer(size: size)
        let band = try RealSpectralBuffer(size: size, inverseBand: .init(columns: columns, rows: rows))
        var random = SeededRandom(seed: 9)
        var original = [Float](repeating: 0, count: size.count)
        original.withUnsafeMutableBufferPointer { random.fillStandardNormal($0) }
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<size.nx { full.pointer[r * full.paddedRowLength + x] = original[r * size.nx + x] }
        }
        full.forward()
        let cx = full.complexRowLength
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                let my = y <= size.ny / 2 ? y : y - size.ny
                for x in 0..<cx where x >= columns || abs(my) > rows {
                    let i = 2 * ((z * size.ny + y) * cx + x)
                    full.pointer[i] = 0
                    full.pointer[i + 1] = 0
                }
            }
        }
        band.pointer.update(from: full.pointer, count: full.floatCount)
        full.inverse()
        band.inverse()
        var worst: Float = 0, largest: Float = 0
        for r in 0..<(size.ny * size.nz) {
            for x in 0..<size.nx {
                let a = full.pointer[r * full.paddedRowLength + x], b = band.pointer[r * band.paddedRowLength + x]
                worst = max(worst, abs(a - b))
                largest = max(largest, abs(a))
            }
        }
        #expect(largest > 0)
        #expect(worst <= 1e-5 * largest, "largest difference \(worst) of \(largest)")
    }

    /// A plane wave cos 2π(3x/nx + 5y/ny + 7z/nz) has one coefficient, N/2, at (3, 5, 7):
    /// the passes run along the right axes in the right order, on FFTW's 3D plan and on
    /// the slab passes alike.
    @Test(arguments: [GridSize(nx: 24, ny: 20, nz: 18), GridSize(nx: 136, ny: 131, nz: 126)])
    func planeWaveHasOneCoefficient(size: GridSize) throws {
        let buffer = try RealSpectralBuffer(size: size)
        let (kx, ky, kz) = (3, 5, 7)
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                for x in 0..<size.nx {
                    let phase = Double(kx * x) / Double(size.nx) + Double(ky * y) / Double(size.ny) + Double(kz * z) / Double(size.nz)
                    buffer.pointer[(z * size.ny + y) * buffer.paddedRowLength + x] = Float(cos(2 * Double.pi * phase))
                }
            }
        }
        buffer.forward()
        let cx = buffer.complexRowLength
        var peak = 0.0, elsewhere = 0.0
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                for x in 0..<cx {
                    let i = 2 * ((z * size.ny + y) * cx + x)
                    let magnitude = (Double(buffer.pointer[i]) * Double(buffer.pointer[i]) + Double(buffer.pointer[i + 1]) * Double(buffer.pointer[i + 1])).squareRoot()
                    if x == kx && y == ky && z == kz { peak = magnitude } else { elsewhere = max(elsewhere, magnitude) }
                }
            }
        }
        let half = Double(size.count) / 2
        #expect(abs(peak - half) < 1e-3 * half, "peak \(peak), expected \(half)")
        #expect(elsewhere < 1e-3 * half, "largest other coefficient \(elsewhere)")
    }
}
