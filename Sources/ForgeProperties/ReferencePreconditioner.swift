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

    private func multiplyBySymbol() {
        let cx = size.nx / 2 + 1, ny = size.ny, nz = size.nz
        let scale = 1 / (Double(size.count) * mu0)
        let coupling = Float((lambda0 + mu0) / (lambda0 + 2 * mu0))
        let b = (0..<3).map { SendablePointer(buffers[$0].pointer) }
        let dx = differences[0], dy = differences[1], dz = differences[2]
        parallelForRanges(nz) { zs in
            for kz in zs {
                let (cz, sz) = dz[kz]
                for ky in 0..<ny {
                    let (cy, sy) = dy[ky]
                    let base = 2 * cx * (ky + ny * kz)
                    let (px, py, pz) = (b[0].base + base, b[1].base + base, b[2].base + base)
                    for kx in 0..<cx {
                        let (ax, sx) = dx[kx]
                        let s = ax * ax + sx * sx + cy * cy + sy * sy + cz * cz + sz * sz
                        let j = 2 * kx
                        if s == 0 {
                            px[j] = 0; px[j + 1] = 0; py[j] = 0; py[j + 1] = 0; pz[j] = 0; pz[j + 1] = 0
                            continue
                        }
                        let (rxr, rxi, ryr, ryi, rzr, rzi) = (px[j], px[j + 1], py[j], py[j + 1], pz[j], pz[j + 1])
                        // t = Σ dₐ rₐ
                        let tr = ax * rxr - sx * rxi + cy * ryr - sy * ryi + cz * rzr - sz * rzi
                        let ti = ax * rxi + sx * rxr + cy * ryi + sy * ryr + cz * rzi + sz * rzr
                        let inv = Float(scale) / s
                        let c = coupling / s
                        // zₐ = (rₐ − c conj(dₐ) t) / (μ₀ s N)
                        px[j] = inv * (rxr - c * (ax * tr + sx * ti)); px[j + 1] = inv * (rxi - c * (ax * ti - sx * tr))
                        py[j] = inv * (ryr - c * (cy * tr + sy * ti)); py[j + 1] = inv * (ryi - c * (cy * ti - sy * tr))
                        pz[j] = inv * (rzr - c * (cz * tr + sz * ti)); pz[j + 1] = inv * (rzi - c * (cz * ti - sz * tr))
                    }
                }
            }
        }
    }
}
