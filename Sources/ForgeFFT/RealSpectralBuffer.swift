import CFFTW
import ForgeCore

/// An in-place real ↔ half-complex Fourier workspace for one grid size (2D or 3D),
/// backed by FFTW's aligned memory and its transforms on every core: FFTW's own plans for
/// grids up to 128³ and for band-limited synthesis, 1D passes plane by plane and slab by
/// slab above (`SlabPasses`).
///
/// Real layout: rows of `paddedRowLength = 2 (nx/2 + 1)` floats, x fastest; the first `nx`
/// of each row are the samples. Complex layout: `(nx/2 + 1) × ny × nz` interleaved
/// (re, im) pairs over the same memory. Transforms are unnormalised:
/// inverse(forward(f)) = nx·ny·nz · f.
public final class RealSpectralBuffer: @unchecked Sendable {
    public let size: GridSize
    /// Floats per real row (x), including FFTW's padding.
    public let paddedRowLength: Int
    /// Complex values per row: nx/2 + 1.
    public let complexRowLength: Int
    /// The storage, `paddedRowLength · ny · nz` floats.
    public let pointer: UnsafeMutablePointer<Float>
    /// The forward plan (nil for a synthesis buffer, or where `passes` run the transform).
    private let forwardPlan: OpaquePointer?
    /// The full inverse plan, made only when neither band plans nor `passes` stand in for it.
    private let inversePlan: OpaquePointer?
    /// Plans for `inverse()` when the spectrum is known to be band-limited (see `init`).
    private let bandPlans: [OpaquePointer]
    /// The transform as 1D passes, for 3D grids above `passesAbove` samples.
    private let passes: SlabPasses?

    /// Samples above which a full 3D transform runs as `SlabPasses` (128³).
    public static let passesAbove = 1 << 21

    /// The part of a 3D half spectrum that may be nonzero: columns kx < `columns` of rows
    /// with |ky| ≤ `rows` (any kz).
    public struct Band: Sendable, Equatable {
        public let columns: Int
        public let rows: Int
        public init(columns: Int, rows: Int) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// Allocates and plans (planning leaves the contents alone).
    /// With `inverseBand`, the buffer is for synthesis: there is no `forward()`, and
    /// `inverse()` assumes every coefficient outside the band is zero and skips the
    /// transforms of those columns: one pass along z over the band's columns and rows, one
    /// along y over its columns, and the complex-to-real pass along x. For a band-pass
    /// spectrum at 256³ that is well under half the work of the full transform.
    public init(size: GridSize, inverseBand: Band? = nil) throws {
        self.size = size
        complexRowLength = size.nx / 2 + 1
        paddedRowLength = 2 * complexRowLength
        let count = paddedRowLength * size.ny * size.nz
        guard let raw = fftwf_malloc(count * MemoryLayout<Float>.stride) else {
            throw FFTError.outOfMemory(bytes: count * MemoryLayout<Float>.stride)
        }
        MemoryPages.adviseHuge(raw, bytes: count * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: count)
        let cx = complexRowLength
        let band = inverseBand.flatMap { band in
            !size.isPlanar && (band.columns < cx || 2 * band.rows + 1 < size.ny) ? band : nil
        }
        let dimensions = size.isPlanar ? [size.ny, size.nx] : [size.nz, size.ny, size.nx]
        let wantsForward = inverseBand == nil
        do {
            if let band {
                bandPlans = try FFTWPlanner.makeBandPlans(size: size, columns: min(max(band.columns, 1), cx),
                                                          rows: max(band.rows, 0), buffer: pointer)
                (forwardPlan, inversePlan, passes) = (nil, nil, nil)
            } else if !size.isPlanar && size.count > Self.passesAbove {
                passes = try SlabPasses(size: size, forward: wantsForward)
                (forwardPlan, inversePlan, bandPlans) = (nil, nil, [])
            } else {
                (forwardPlan, inversePlan) = try FFTWPlanner.makePlans(dimensions: dimensions, buffer: pointer,
                                                                       forward: wantsForward, inverse: true)
                (bandPlans, passes) = ([], nil)
            }
        } catch {
            fftwf_free(raw)
            throw error
        }
    }

    deinit {
        if let forwardPlan { FFTWPlanner.destroy(forwardPlan) }
        if let inversePlan { FFTWPlanner.destroy(inversePlan) }
        for plan in bandPlans { FFTWPlanner.destroy(plan) }
        fftwf_free(pointer)
    }

    /// Number of floats in the buffer.
    public var floatCount: Int { paddedRowLength * size.ny * size.nz }

    /// Hands the whole pages inside floats `range` back to the system; they read as zero
    /// afterwards. For contents copied out and never read again, so that the copy and the
    /// buffer are not both resident in full.
    public func discard(floats range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= floatCount)
        MemoryPages.release(UnsafeMutableRawPointer(pointer + range.lowerBound), bytes: range.count * MemoryLayout<Float>.stride)
    }

    /// Real → half-complex, in place (not for a buffer made with `inverseBand`).
    public func forward() {
        if let passes { return passes.forward(pointer) }
        guard let forwardPlan else { preconditionFailure("a synthesis buffer has no forward transform") }
        fftwf_execute(forwardPlan)
    }

    /// Half-complex → real, in place (unnormalised).
    public func inverse() {
        if let passes { return passes.inverse(pointer) }
        if let inversePlan {
            fftwf_execute(inversePlan)
        } else {
            for plan in bandPlans { fftwf_execute(plan) }
        }
    }
}
