import CFFTW
import ForgeCore

/// An in-place real ↔ half-complex Fourier workspace for one grid size (2D or 3D),
/// backed by FFTW's aligned memory and its threaded, planned transforms.
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
    private let forwardPlan: OpaquePointer
    private let inversePlan: OpaquePointer

    /// Allocates and plans. Planning may overwrite the contents: fill after this returns.
    public init(size: GridSize) throws {
        self.size = size
        complexRowLength = size.nx / 2 + 1
        paddedRowLength = 2 * complexRowLength
        let count = paddedRowLength * size.ny * size.nz
        guard let raw = fftwf_malloc(count * MemoryLayout<Float>.stride) else {
            throw FFTError.outOfMemory(bytes: count * MemoryLayout<Float>.stride)
        }
        pointer = raw.bindMemory(to: Float.self, capacity: count)
        let dimensions = size.isPlanar ? [size.ny, size.nx] : [size.nz, size.ny, size.nx]
        do {
            (forwardPlan, inversePlan) = try FFTWPlanner.makePlans(dimensions: dimensions, buffer: pointer)
        } catch {
            fftwf_free(raw)
            throw error
        }
    }

    deinit {
        FFTWPlanner.destroy(forwardPlan)
        FFTWPlanner.destroy(inversePlan)
        fftwf_free(pointer)
    }

    /// Number of floats in the buffer.
    public var floatCount: Int { paddedRowLength * size.ny * size.nz }

    /// Real → half-complex, in place.
    public func forward() { fftwf_execute(forwardPlan) }

    /// Half-complex → real, in place (unnormalised).
    public func inverse() { fftwf_execute(inversePlan) }
}
