import CephaloForge
import ForgeFFT
import Testing

@Suite("FFTW workspace")
struct FFTTests {
    @Test(arguments: [GridSize(nx: 16, ny: 12, nz: 10), GridSize(nx: 32, ny: 32, nz: 1)])
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
}
