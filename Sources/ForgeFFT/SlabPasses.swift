import CFFTW
import ForgeCore
import Foundation

/// The passes of an in-place real ↔ half-complex 3D transform of a grid in
/// `RealSpectralBuffer`'s layout, run on the cores in parallel with single-threaded 1D plans:
/// along x (real rows) and y (complex columns) plane by plane, each plane's data lying
/// together; along z one x–z slab at a time, its columns gathered into a contiguous block
/// first — columns a power of two apart in memory would land in the same cache sets. On
/// large grids this runs 2–4× faster than FFTW's estimated 3D plan and about as fast as its
/// measured one (BENCHMARKS.md); on grids that fit the caches FFTW's own plan is faster.
final class SlabPasses: @unchecked Sendable {
    let size: GridSize
    let complexRowLength: Int
    private var plans: [OpaquePointer] = []
    private var rowsForward: OpaquePointer?, columnsForward: OpaquePointer?, slabForward: OpaquePointer?
    private var rowsInverse: OpaquePointer?, columnsInverse: OpaquePointer?, slabInverse: OpaquePointer?
    /// One contiguous block per task of the z pass, for a slab's columns.
    private var slabBlocks: [UnsafeMutablePointer<fftwf_complex>] = []

    /// `forward`: whether `forward()` will be used.
    init(size: GridSize, forward: Bool) throws {
        precondition(!size.isPlanar)
        self.size = size
        let cx = size.nx / 2 + 1
        complexRowLength = cx
        let (nx, ny, nz) = (Int32(size.nx), Int32(size.ny), Int32(size.nz))
        let c32 = Int32(cx)
        // Plans are made on arrays of the shapes they run on: a plane's scratch, and the
        // first of the blocks the z pass gathers slabs into (one per task, kept, so that
        // transforming allocates nothing). Plane passes run at any plane's offset, so they
        // make no alignment assumptions.
        let planeFloats = 2 * cx * size.ny, slabComplex = cx * size.nz
        guard let planeScratch = fftwf_malloc(planeFloats * MemoryLayout<Float>.stride) else {
            throw FFTError.outOfMemory(bytes: planeFloats * MemoryLayout<Float>.stride)
        }
        defer { fftwf_free(planeScratch) }
        let real = planeScratch.bindMemory(to: Float.self, capacity: planeFloats)
        let complex = planeScratch.bindMemory(to: fftwf_complex.self, capacity: planeFloats / 2)
        func make(_ build: (UInt32) -> OpaquePointer?) throws -> OpaquePointer {
            guard let plan = FFTWPlanner.plan({ build($0 | UInt32(FFTW_UNALIGNED)) }) else {
                throw FFTError.planFailed(dimensions: [size.nz, size.ny, size.nx])
            }
            plans.append(plan)
            return plan
        }
        func columns(_ sign: Int32) throws -> OpaquePointer {
            var along = fftwf_iodim(n: ny, is: c32, os: c32)
            var many = fftwf_iodim(n: c32, is: 1, os: 1)
            return try make { fftwf_plan_guru_dft(1, &along, 1, &many, complex, complex, sign, $0) }
        }
        func slabColumns(_ sign: Int32) throws -> OpaquePointer {
            let slab = slabBlocks[0]
            var along = fftwf_iodim(n: nz, is: c32, os: c32)
            var many = fftwf_iodim(n: c32, is: 1, os: 1)
            return try make { fftwf_plan_guru_dft(1, &along, 1, &many, slab, slab, sign, $0) }
        }
        do {
            let tasks = max(1, min(ProcessInfo.processInfo.activeProcessorCount, size.ny))
            for _ in 0..<tasks {
                guard let block = fftwf_malloc(slabComplex * MemoryLayout<fftwf_complex>.stride) else {
                    throw FFTError.outOfMemory(bytes: tasks * slabComplex * MemoryLayout<fftwf_complex>.stride)
                }
                slabBlocks.append(block.bindMemory(to: fftwf_complex.self, capacity: slabComplex))
            }
            var length = nx
            if forward {
                rowsForward = try make { fftwf_plan_many_dft_r2c(1, &length, ny, real, nil, 1, 2 * c32, complex, nil, 1, c32, $0) }
                columnsForward = try columns(FFTW_FORWARD)
                slabForward = try slabColumns(FFTW_FORWARD)
            }
            rowsInverse = try make { fftwf_plan_many_dft_c2r(1, &length, ny, complex, nil, 1, c32, real, nil, 1, 2 * c32, $0) }
            columnsInverse = try columns(FFTW_BACKWARD)
            slabInverse = try slabColumns(FFTW_BACKWARD)
        } catch {
            for plan in plans { FFTWPlanner.destroy(plan) }
            for block in slabBlocks { fftwf_free(block) }
            (plans, slabBlocks) = ([], [])
            throw error
        }
    }

    deinit {
        for plan in plans { FFTWPlanner.destroy(plan) }
        for block in slabBlocks { fftwf_free(block) }
    }

    /// Real → half-complex of the grid at `pointer`, in place.
    func forward(_ pointer: UnsafeMutablePointer<Float>) {
        guard let rows = rowsForward.map(Plan.init) else { preconditionFailure("a synthesis buffer has no forward transform") }
        let planeFloats = 2 * complexRowLength * size.ny
        let base = SendablePointer(pointer)
        let columns = columnsForward.map(Plan.init)
        parallelForRanges(size.nz) { zs in
            for z in zs {
                let plane = base.base + z * planeFloats
                let complex = UnsafeMutableRawPointer(plane).assumingMemoryBound(to: fftwf_complex.self)
                fftwf_execute_dft_r2c(rows.plan, plane, complex)
                if let columns { fftwf_execute_dft(columns.plan, complex, complex) }
            }
        }
        if let slabForward { alongZ(pointer, plan: Plan(slabForward)) }
    }

    /// Half-complex → real of the grid at `pointer`, in place (unnormalised).
    func inverse(_ pointer: UnsafeMutablePointer<Float>) {
        if let slabInverse { alongZ(pointer, plan: Plan(slabInverse)) }
        let planeFloats = 2 * complexRowLength * size.ny
        let base = SendablePointer(pointer)
        guard let rows = rowsInverse.map(Plan.init) else { return }
        let columns = columnsInverse.map(Plan.init)
        parallelForRanges(size.nz) { zs in
            for z in zs {
                let plane = base.base + z * planeFloats
                let complex = UnsafeMutableRawPointer(plane).assumingMemoryBound(to: fftwf_complex.self)
                if let columns { fftwf_execute_dft(columns.plan, complex, complex) }
                fftwf_execute_dft_c2r(rows.plan, complex, plane)
            }
        }
    }

    /// The z pass: for each row y, its complex columns along z are gathered into a block,
    /// transformed by `plan` and put back.
    private func alongZ(_ pointer: UnsafeMutablePointer<Float>, plan: Plan) {
        let cx = complexRowLength, ny = size.ny, nz = size.nz
        let base = SendablePointer(UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: fftwf_complex.self))
        let blocks = slabBlocks.map { SendablePointer($0) }
        parallelForChunks(ny, chunks: blocks.count) { task, ys in
            let block = blocks[task].base
            for y in ys {
                for z in 0..<nz { (block + z * cx).update(from: base.base + (z * ny + y) * cx, count: cx) }
                fftwf_execute_dft(plan.plan, block, block)
                for z in 0..<nz { (base.base + (z * ny + y) * cx).update(from: block + z * cx, count: cx) }
            }
        }
    }

    /// A plan handed to the threads that run it (running a plan on new arrays is thread-safe).
    private struct Plan: @unchecked Sendable {
        let plan: OpaquePointer
        init(_ plan: OpaquePointer) { self.plan = plan }
    }
}
