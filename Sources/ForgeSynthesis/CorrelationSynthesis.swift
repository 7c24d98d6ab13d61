import ForgeCore
import ForgeFFT
import Foundation

/// A measured in-plane correlation map ρ(dx, dy) of a Gaussian field, in pixels of
/// `pixelMM`.
public struct PlanarCorrelationMap: Sendable {
    /// ρ at (dx, dy), dx in −radiusX…radiusX fastest.
    public let values: [Double]
    public let radiusX: Int
    public let radiusY: Int
    public let pixelMM: Double

    public init(values: [Double], radiusX: Int, radiusY: Int, pixelMM: Double) {
        precondition(values.count == (2 * radiusX + 1) * (2 * radiusY + 1))
        self.values = values
        self.radiusX = radiusX
        self.radiusY = radiusY
        self.pixelMM = pixelMM
    }

    /// Lags out to 0.3 of the map's reach are trusted fully, beyond 0.6 not at all (far
    /// lags rest on few pixel pairs), with a Hann blend between.
    static let trust = (full: 0.3, none: 0.6)

    /// The map's value at an in-plane displacement in mm (bilinear between pixels) and how
    /// far it is trusted (1 … 0); outside the map, (0, 0).
    public func value(mm x: Double, _ y: Double) -> (rho: Double, trust: Double) {
        let px = x / pixelMM, py = y / pixelMM
        let reach = Double(min(radiusX, radiusY)), s = (px * px + py * py).squareRoot() / reach
        let (a0, a1) = Self.trust
        guard s < a1 else { return (0, 0) }
        let trust = s < a0 ? 1 : 0.5 * (1 + cos(.pi * (s - a0) / (a1 - a0)))
        let fx = px + Double(radiusX), fy = py + Double(radiusY)
        let x0 = min(Int(fx.rounded(.down)), 2 * radiusX - 1), y0 = min(Int(fy.rounded(.down)), 2 * radiusY - 1)
        let tx = fx - Double(x0), ty = fy - Double(y0), w = 2 * radiusX + 1
        let a = values[y0 * w + x0], b = values[y0 * w + x0 + 1]
        let c = values[(y0 + 1) * w + x0], d = values[(y0 + 1) * w + x0 + 1]
        return ((a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty, trust)
    }
}

extension SpectralSynthesis {
    /// Width of the kz spread relative to |kxy| (see `field(size:voxelSizeMM:correlation:seed:)`).
    static let zSpread = 0.7

    /// A unit-variance periodic field of `size` at `voxelSizeMM` whose x–y sections have the
    /// correlation `map`.
    ///
    /// The in-plane spectrum S₂D(kx, ky) is found by alternating projections between the
    /// map (where trusted) and valid spectra (non-negative, zero at k = 0). Along z each in-plane
    /// wave vector's power is spread over kz with weights ∝ exp(−kz² / 2(0.7 |kxy|)²), normalised
    /// to sum to one, so every x–y section keeps S₂D exactly, features along z are about as
    /// long as across the plane, and the in-plane orientation is kept.
    public static func field(size: GridSize, voxelSizeMM h: Double, correlation map: PlanarCorrelationMap,
                             seed: UInt64) throws -> ScalarGrid {
        let plane = try RealSpectralBuffer(size: GridSize(nx: size.nx, ny: size.ny, nz: 1))
        let row = plane.paddedRowLength, cx = plane.complexRowLength, cells = size.nx * size.ny
        var target = [Double](repeating: 0, count: cells), trust = target
        for y in 0..<size.ny {
            let dy = Double(y <= size.ny / 2 ? y : y - size.ny) * h
            for x in 0..<size.nx {
                let v = map.value(mm: Double(x <= size.nx / 2 ? x : x - size.nx) * h, dy)
                target[y * size.nx + x] = v.rho
                trust[y * size.nx + x] = v.trust
            }
        }
        // Alternating projections: a correlation must have a non-negative spectrum with no
        // power at k = 0 (the field has zero mean), and should equal the map where the map
        // is trusted. Start from the trusted map, project onto valid spectra, put the trusted
        // lags back, and repeat; far lags come out as the valid extension of near ones.
        var input = zip(target, trust).map { $0 * $1 }
        var power = [Double](repeating: 0, count: cx * size.ny)
        for round in 0..<24 {
            for y in 0..<size.ny {
                for x in 0..<row { plane.pointer[y * row + x] = x < size.nx ? Float(input[y * size.nx + x]) : 0 }
            }
            plane.forward()
            // Noise in the map spreads over all wave vectors with either sign; clipping would
            // keep its positive half as spurious fine-scale power. Its level, read where a
            // smooth correlation has no power (beyond half the Nyquist wave number), is taken
            // off first.
            var noise = 0.0, outer = 0.0
            for y in 0..<size.ny {
                let fy = Double(min(y, size.ny - y)) / Double(size.ny / 2)
                for x in 0..<cx {
                    let fx = Double(x) / Double(size.nx / 2)
                    if fx * fx + fy * fy > 0.25 {
                        noise += abs(Double(plane.pointer[2 * (y * cx + x)]))
                        outer += 1
                    }
                }
            }
            let floor = outer > 0 ? noise / outer : 0
            for c in 0..<power.count { power[c] = max(Double(plane.pointer[2 * c]) - floor, 0) }
            power[0] = 0
            guard round < 23 else { break }
            for c in 0..<power.count {
                plane.pointer[2 * c] = Float(power[c])
                plane.pointer[2 * c + 1] = 0
            }
            plane.inverse()
            let origin = max(Double(plane.pointer[0]), 1e-12)
            for y in 0..<size.ny {
                for x in 0..<size.nx {
                    let i = y * size.nx + x, valid = Double(plane.pointer[y * row + x]) / origin
                    input[i] = trust[i] * target[i] + (1 - trust[i]) * valid
                }
            }
        }
        let kx2 = waveNumbersSquared(count: size.nx, lengthMM: Double(size.nx) * h, half: true)
        let ky2 = waveNumbersSquared(count: size.ny, lengthMM: Double(size.ny) * h)
        let kz2 = waveNumbersSquared(count: size.nz, lengthMM: Double(size.nz) * h)
        var amplitudes = [Float](repeating: 0, count: cx * size.ny * size.nz)
        var weights = [Double](repeating: 0, count: size.nz)
        for y in 0..<size.ny {
            for x in 0..<cx {
                let power = power[y * cx + x]
                guard power > 0 else { continue }
                let planar2 = kx2[x] + ky2[y]
                var total = 0.0
                for z in 0..<size.nz {
                    weights[z] = planar2 > 0 ? exp(-kz2[z] / (2 * Self.zSpread * Self.zSpread * planar2)) : (z == 0 ? 1 : 0)
                    total += weights[z]
                }
                for z in 0..<size.nz {
                    amplitudes[(z * size.ny + y) * cx + x] = Float((power * weights[z] / total).squareRoot())
                }
            }
        }
        amplitudes[0] = 0
        return try field(size: size, voxelSizeMM: h, amplitudes: amplitudes, seed: seed)
    }
}
