import ForgeCore
import ForgeFFT
import Foundation

/// The inverse of the staggered-grid elasticity operator of a homogeneous reference material
/// (λ₀, μ₀), applied with three real FFTs forward and three back: the preconditioner of the
/// conjugate-gradient solve (Moulinec–Suquet's Green operator on the staggered grid).
///
/// With dₐ = e^{iξₐ} − 1 the symbol of the forward difference along axis a and s = Σ|dₐ|²,
/// the reference operator is μ₀ s I + (λ₀ + μ₀) w wᴴ with w = conj(d); its inverse, by
/// Sherman–Morrison, is (I − (λ₀ + μ₀)/((λ₀ + 2μ₀) s) · w wᴴ) / (μ₀ s). The zero frequency
/// (a rigid translation) maps to zero. Only λ₀/μ₀ matters to the solve: conjugate gradients
/// are blind to a scale factor in the preconditioner.
final class ReferencePreconditioner: @unchecked Sendable {
    let size: GridSize
    let buffers: [RealSpectralBuffer]
    private let lambda0: Double
    private let mu0: Double
    /// Per axis, per frequency index: Re dₐ, Im dₐ.
    private let differences: [[(Float, Float)]]

    init(size: GridSize, lambda0: Double, mu0: Double) throws {
        precondition(mu0 > 0)
        self.size = size
        self.lambda0 = lambda0
        self.mu0 = mu0
        buffers = try (0..<3).map { _ in try RealSpectralBuffer(size: size) }
        differences = [size.nx, size.ny, size.nz].map { n in
            (0..<n).map { k in
                let xi = 2 * Double.pi * Double(k) / Double(n)
                return (Float(cos(xi) - 1), Float(sin(xi)))
            }
        }
    }

    /// The row stride of the buffers (floats per x row, with FFTW's padding).
    var paddedRowLength: Int { buffers[0].paddedRowLength }

    /// Loads r into the buffers, and leaves z = M r in them (real layout, normalised).
    func apply(loading r: VectorField) {
        let nx = size.nx, rows = size.ny * size.nz, padded = paddedRowLength
        for c in 0..<3 {
            let source = SendableReadOnlyPointer(UnsafePointer(r.component(c)))
            let target = SendablePointer(buffers[c].pointer)
            parallelForRanges(rows, minimumChunk: 16) { range in
                for row in range {
                    (target.base + row * padded).update(from: source.base + row * nx, count: nx)
                }
            }
        }
        applyInPlace()
    }

    /// z = M r for r already in the buffers (real layout).
    func applyInPlace() {
        for buffer in buffers { buffer.forward() }
        multiplyBySymbol()
        for buffer in buffers { buffer.inverse() }
    }

    /// Per frequency of the half spectrum: 1/(μ₀ s N) and (λ₀ + μ₀)/((λ₀ + 2μ₀) s), computed once.
    private lazy var factors: (inverse: [Float], coupling: [Float]) = {
        let cx = size.nx / 2 + 1, ny = size.ny, nz = size.nz
        let scale = 1 / (Double(size.count) * mu0)
        let coupling = (lambda0 + mu0) / (lambda0 + 2 * mu0)
        var inverse = [Float](repeating: 0, count: cx * ny * nz), couple = inverse
        let dx = differences[0], dy = differences[1], dz = differences[2]
        for kz in 0..<nz {
            for ky in 0..<ny {
                for kx in 0..<cx {
                    let s = Double(dx[kx].0 * dx[kx].0 + dx[kx].1 * dx[kx].1 + dy[ky].0 * dy[ky].0 + dy[ky].1 * dy[ky].1
                        + dz[kz].0 * dz[kz].0 + dz[kz].1 * dz[kz].1)
                    guard s > 0 else { continue }
                    inverse[kx + cx * (ky + ny * kz)] = Float(scale / s)
                    couple[kx + cx * (ky + ny * kz)] = Float(coupling / s)
                }
            }
        }
        return (inverse, couple)
    }()

    private func multiplyBySymbol() {
        let cx = size.nx / 2 + 1, ny = size.ny, nz = size.nz
        let b = (0..<3).map { SendablePointer(buffers[$0].pointer) }
        let dx = differences[0], dy = differences[1], dz = differences[2]
        let (inverseFactors, couplingFactors) = factors
        inverseFactors.withUnsafeBufferPointer { inverseBuffer in
        couplingFactors.withUnsafeBufferPointer { couplingBuffer in
            let inverses = SendableReadOnlyPointer(inverseBuffer.baseAddress!)
            let couplings = SendableReadOnlyPointer(couplingBuffer.baseAddress!)
            parallelForRanges(nz) { zs in
                for kz in zs {
                    let (cz, sz) = dz[kz]
                    for ky in 0..<ny {
                        let (cy, sy) = dy[ky]
                        let base = 2 * cx * (ky + ny * kz), at = cx * (ky + ny * kz)
                        let (px, py, pz) = (b[0].base + base, b[1].base + base, b[2].base + base)
                        for kx in 0..<cx {
                            let (ax, sx) = dx[kx]
                            let j = 2 * kx
                            let inv = inverses[at + kx], c = couplings[at + kx]
                            let (rxr, rxi, ryr, ryi, rzr, rzi) = (px[j], px[j + 1], py[j], py[j + 1], pz[j], pz[j + 1])
                            // t = Σ dₐ rₐ; zₐ = (rₐ − c conj(dₐ) t) / (μ₀ s N)
                            let tr = ax * rxr - sx * rxi + cy * ryr - sy * ryi + cz * rzr - sz * rzi
                            let ti = ax * rxi + sx * rxr + cy * ryi + sy * ryr + cz * rzi + sz * rzr
                            let (ctr, cti) = (c * tr, c * ti)
                            px[j] = inv * (rxr - (ax * ctr + sx * cti)); px[j + 1] = inv * (rxi - (ax * cti - sx * ctr))
                            py[j] = inv * (ryr - (cy * ctr + sy * cti)); py[j + 1] = inv * (ryi - (cy * cti - sy * ctr))
                            pz[j] = inv * (rzr - (cz * ctr + sz * cti)); pz[j + 1] = inv * (rzi - (cz * cti - sz * ctr))
                        }
                    }
                }
            }
        }}
    }
}
