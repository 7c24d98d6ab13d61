import ForgeCore
import ForgeFFT
import ForgeMorphology
import Foundation

/// Two-point statistics of a two-phase voxel structure, computed by FFT with periodic
/// boundaries: S₂(r) = IFFT(|FFT(I)|²)/N for the solid indicator I, so S₂(0) = φ and
/// S₂(r) → φ² at large r.
public struct TwoPointStatistics: Sendable, Codable, Equatable {
    /// Distances in mm for the axis curves: 0, h, 2h, …, (n/2)h.
    public var distanceMM: [Double]
    /// S₂ along x, y and z (z empty for a 2D field).
    public var s2X: [Double]
    public var s2Y: [Double]
    public var s2Z: [Double]
    /// S₂ averaged over all directions, in shells of one voxel.
    public var s2Radial: [Double]
    /// Distance (mm) at which (S₂ − φ²)/(φ − φ²) first falls below 1/e, per axis (x, y[, z]);
    /// half the box along an axis where it does not (see `correlationDecays`).
    public var correlationLengthsMM: [Double]
    /// Per axis, whether the normalised S₂ falls below 1/e within half the box. Where it does
    /// not (layers along their plane, fibres along their axis), the length is a lower bound
    /// and so is `anisotropyRatio`.
    public var correlationDecays: [Bool]?
    /// Longest over shortest correlation length (1 = isotropic).
    public var anisotropyRatio: Double
    /// Period of the strongest wave in the indicator's spectrum, in mm: the spectrum is
    /// averaged in shells of one wave number, and the peak read as the power-weighted mean
    /// wave number of the peak shell and its two neighbours (so a lattice's {110} modes at
    /// |m| = 4√2 read 4√2, not the shell 6). When the spectrum has no interior peak (it falls
    /// from the lowest wave number, as for blobs and layers averaged over directions), the
    /// period at the spectrum's centroid instead. Graded designs leave out the modes along
    /// the grading axis alone (their change of fraction).
    public var characteristicLengthMM: Double
    /// Interface area per volume from S₂: 4(φ − S₂(h))/h averaged over the axes (mm⁻¹;
    /// in 2D, perimeter per area π(φ − S₂(h))/h).
    public var specificSurfaceMM: Double

    enum CodingKeys: String, CodingKey {
        case distanceMM = "distance_mm"
        case s2X = "s2_x"
        case s2Y = "s2_y"
        case s2Z = "s2_z"
        case s2Radial = "s2_radial"
        case correlationLengthsMM = "correlation_lengths_mm"
        case correlationDecays = "correlation_decays"
        case anisotropyRatio = "anisotropy_ratio"
        case characteristicLengthMM = "characteristic_length_mm"
        case specificSurfaceMM = "specific_surface_mm"
    }

    /// `trendAxis`: the axis a graded design changes its fraction along, whose modes are
    /// left out of the spectrum the characteristic length is read from.
    public init(of mask: VoxelMask, voxelSizeMM h: Double, trendAxis: Axis? = nil) throws {
        let size = mask.size
        let buffer = try RealSpectralBuffer(size: size)
        let row = buffer.paddedRowLength
        let p = buffer.pointer
        let target = SendablePointer(p)
        mask.bits.withUnsafeBufferPointer { bits in
            let source = SendableReadOnlyPointer(bits.baseAddress!)
            parallelForRanges(size.ny * size.nz) { rows in
                for r in rows {
                    for x in 0..<size.nx { target.base[r &* row &+ x] = Float(source.base[r &* size.nx &+ x]) }
                }
            }
        }
        buffer.forward()
        // Power spectrum, radially binned in units of 2π/Lx, then |c|² in place; z ranges
        // run in parallel, each with its own shell sums.
        let cx = buffer.complexRowLength
        let ratioY = Double(size.nx) / Double(size.ny), ratioZ = Double(size.nx) / Double(size.nz)
        let shells = size.nx / 2 + 1
        // The modes along the trend axis alone (the other two wave indices 0) carry a graded
        // design's change of fraction, not its features: they are left out of the spectrum.
        let trend = trendAxis.map { $0 == .x ? 0 : $0 == .y ? 1 : 2 }
        let sums = ShellSums.collect(shells: shells, arrays: 3, over: size.nz) { zs, arrays in
            let power = arrays, weight = arrays + shells, moment = arrays + 2 * shells
            for z in zs {
                let mz = Double(z <= size.nz / 2 ? z : z - size.nz) * ratioZ
                for y in 0..<size.ny {
                    let my = Double(y <= size.ny / 2 ? y : y - size.ny) * ratioY
                    let yz = my * my + mz * mz
                    for x in 0..<cx {
                        let i = 2 &* ((z &* size.ny &+ y) &* cx &+ x)
                        let re = Double(target.base[i]), im = Double(target.base[i &+ 1])
                        let radius = (Double(x &* x) + yz).squareRoot()
                        let m = Int(radius.rounded())
                        let onTrend = trend.map { t in
                            t == 0 ? (y == 0 && z == 0) : t == 1 ? (x == 0 && z == 0) : (x == 0 && y == 0)
                        } ?? false
                        if m < shells && !onTrend {
                            let p = re * re + im * im
                            power[m] += p
                            weight[m] += 1
                            moment[m] += p * radius
                        }
                        target.base[i] = Float(re * re + im * im)
                        target.base[i &+ 1] = 0
                    }
                }
            }
        }
        let (power, weight, moment) = (sums[0], sums[1], sums[2])
        buffer.inverse()
        let n = Double(size.count)
        let s2: @Sendable (Int, Int, Int) -> Double = { x, y, z in
            Double(target.base[(z &* size.ny &+ y) &* row &+ x]) / (n * n)
        }
        let values = SendableReadOnlyPointer(UnsafePointer(p))

        let half = [size.nx, size.ny, size.nz].map { $0 / 2 }
        let axes = size.isPlanar ? 2 : 3
        distanceMM = (0...half.max()!).map { Double($0) * h }
        s2X = (0...half[0]).map { s2($0, 0, 0) }
        s2Y = (0...half[1]).map { s2(0, $0, 0) }
        s2Z = size.isPlanar ? [] : (0...half[2]).map { s2(0, 0, $0) }
        s2Radial = Self.radial(size: size, shells: half.filter { $0 > 0 }.min()!, values: values, rowLength: row)
            .map { $0 / (n * n) }
        let phi = s2X[0]
        let curves = [s2X, s2Y, s2Z].prefix(axes)
        correlationLengthsMM = curves.map { Self.correlationLength($0, phi: phi) * h }
        anisotropyRatio = correlationLengthsMM.max()! / max(correlationLengthsMM.min()!, 1e-12)
        let spectrum = zip(power, weight).map { $1 > 0 ? $0 / $1 : 0 }
        characteristicLengthMM = Double(size.nx) * h / Self.peak(spectrum, power: power, moment: moment)
        correlationDecays = curves.map { Self.decays($0, phi: phi) }
        let drop = curves.map { phi - $0[1] }.reduce(0, +) / Double(axes)
        specificSurfaceMM = (size.isPlanar ? Double.pi : 4) * drop / h
    }

    /// Shell averages of `values` (rows of `rowLength`) over |r| (in voxels, rounded), r up
    /// to `shells`. The shell of each squared distance is looked up, not rounded from a
    /// square root; rows wholly beyond the last shell are passed over.
    private static func radial(size: GridSize, shells: Int, values: SendableReadOnlyPointer<Float>,
                               rowLength: Int) -> [Double] {
        let half = (size.nx / 2, size.ny / 2, size.nz / 2)
        let farthest = half.0 * half.0 + half.1 * half.1 + half.2 * half.2
        let shellOf = (0...farthest).map { Int32(Double($0).squareRoot().rounded()) }
        let (sum, count) = shellOf.withUnsafeBufferPointer { table in
            let shell = SendableReadOnlyPointer(table.baseAddress!)
            return ShellSums.collect(shells: shells + 1, over: size.nz) { zs, sum, count in
                for z in zs {
                    let dz = z <= half.2 ? z : z - size.nz
                    for y in 0..<size.ny {
                        let dy = y <= half.1 ? y : y - size.ny
                        let across = dy &* dy &+ dz &* dz
                        guard Int(shell.base[across]) <= shells else { continue }
                        let line = values.base + (z &* size.ny &+ y) &* rowLength
                        for x in 0..<size.nx {
                            let dx = x <= half.0 ? x : x &- size.nx
                            let r = Int(shell.base[dx &* dx &+ across])
                            if r <= shells {
                                sum[r] += Double(line[x])
                                count[r] += 1
                            }
                        }
                    }
                }
            }
        }
        return zip(sum, count).map { $1 > 0 ? $0 / $1 : 0 }
    }

    /// First distance (in samples, interpolated) where the normalised covariance < 1/e.
    static func correlationLength(_ curve: [Double], phi: Double) -> Double {
        let variance = phi - phi * phi
        guard variance > 0 else { return 0 }
        let c = curve.map { ($0 - phi * phi) / variance }
        let level = exp(-1.0)
        for i in 1..<c.count where c[i] < level {
            return Double(i - 1) + (c[i - 1] - level) / (c[i - 1] - c[i])
        }
        return Double(c.count - 1)
    }

    /// Whether the normalised covariance falls below 1/e along `curve`.
    static func decays(_ curve: [Double], phi: Double) -> Bool {
        let variance = phi - phi * phi
        guard variance > 0 else { return false }
        return curve.dropFirst().contains { ($0 - phi * phi) / variance < exp(-1.0) }
    }

    /// The wave number of the spectrum's peak: the shell with the largest mean power beyond
    /// index 0, refined to the power-weighted mean wave number of it and its neighbours
    /// (`power` and `moment`: per shell, the summed power and power × wave number); the
    /// power-weighted mean over all shells when the largest is at index 1.
    static func peak(_ values: [Double], power: [Double], moment: [Double]) -> Double {
        guard values.count > 2 else { return 1 }
        let m = (1..<values.count).max { values[$0] < values[$1] }!
        if m == 1 {
            let total = power.dropFirst().reduce(0, +)
            return total > 0 ? moment.dropFirst().reduce(0, +) / total : 1
        }
        let around = (m - 1)...min(m + 1, values.count - 1)
        let total = around.reduce(0.0) { $0 + power[$1] }
        return total > 0 ? around.reduce(0.0) { $0 + moment[$1] } / total : Double(m)
    }
}

/// Per-shell sums and counts gathered over z ranges in parallel, each range into its own
/// pair of arrays, added up in range order. The ranges are fixed (not one per core), so the
/// sums come out the same on any machine.
enum ShellSums {
    static func collect(shells: Int, over count: Int,
                        _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void)
        -> (sums: [Double], counts: [Double])
    {
        let all = collect(shells: shells, arrays: 2, over: count) { range, arrays in body(range, arrays, arrays + shells) }
        return (all[0], all[1])
    }

    /// `arrays` per-shell accumulators, laid out one after another (`arrays × shells`).
    static func collect(shells: Int, arrays: Int, over count: Int,
                        _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [[Double]] {
        let chunks = max(1, min(count, 16))
        let width = arrays * shells
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: width * chunks)
        storage.initialize(repeating: 0)
        defer { storage.deallocate() }
        let base = SendablePointer(storage.baseAddress!)
        parallelForChunks(count, chunks: chunks) { chunk, range in
            body(range, base.base + width * chunk)
        }
        var totals = [[Double]](repeating: [Double](repeating: 0, count: shells), count: arrays)
        for chunk in 0..<chunks {
            let own = storage.baseAddress! + width * chunk
            for a in 0..<arrays {
                for m in 0..<shells { totals[a][m] += own[a * shells + m] }
            }
        }
        return totals
    }
}
