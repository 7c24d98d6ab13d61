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
}
