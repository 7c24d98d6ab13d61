import CFFTW
import ForgeCore
import Foundation

/// The single place where FFTW plans are made and destroyed: planning is not thread-safe,
/// so it happens behind one lock (running a plan on new arrays is, and the transforms run
/// their plans from several threads at once).
///
/// Every plan is made by FFTW's estimate: at once, with the arrays left untouched, and the
/// same plan, so the same bits, on every run and every machine with the same FFTW and core
/// count. Measuring plans would cost seconds per size (3.5 s at 128³, tens of seconds at
/// 256³–512³) for transforms that run a handful of times per design or, in the solvers,
/// take a small share of the time; where estimated 3D plans are slow (large grids), the
/// transform runs as 1D passes instead (`SlabPasses`). No wisdom is kept.
enum FFTWPlanner {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var threadsReady = false

    /// A single-threaded plan from `make`, given FFTW's planner flags.
    static func plan(_ make: (UInt32) -> OpaquePointer?) -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        prepareThreads()
        fftwf_plan_with_nthreads(1)
        return make(UInt32(FFTW_ESTIMATE))
    }

    /// In-place forward (r2c) and inverse (c2r) plans of the whole grid at `buffer`, each
    /// only when asked for, run on every core. `dimensions` are slowest first (z, y, x).
    static func makePlans(dimensions: [Int], buffer: UnsafeMutablePointer<Float>, forward wantsForward: Bool,
                          inverse wantsInverse: Bool) throws -> (forward: OpaquePointer?, inverse: OpaquePointer?)
    {
        lock.lock()
        defer { lock.unlock() }
        prepareThreads()
        fftwf_plan_with_nthreads(Int32(ProcessInfo.processInfo.activeProcessorCount))
        let n = dimensions.map(Int32.init)
        let complex = UnsafeMutableRawPointer(buffer).bindMemory(to: fftwf_complex.self, capacity: 1)
        let rank = Int32(n.count), flags = UInt32(FFTW_ESTIMATE)
        let forward = !wantsForward ? nil : n.withUnsafeBufferPointer { fftwf_plan_dft_r2c(rank, $0.baseAddress, buffer, complex, flags) }
        let inverse = !wantsInverse ? nil : n.withUnsafeBufferPointer { fftwf_plan_dft_c2r(rank, $0.baseAddress, complex, buffer, flags) }
        guard forward != nil || !wantsForward, inverse != nil || !wantsInverse else {
            if let forward { fftwf_destroy_plan(forward) }
            if let inverse { fftwf_destroy_plan(inverse) }
            throw FFTError.planFailed(dimensions: dimensions)
        }
        return (forward, inverse)
    }

    /// Plans for an inverse transform of a half spectrum that is zero outside `band`
    /// (3D only), in the order they run: inverse DFTs along z for the columns kx < `columns`
    /// of the rows |ky| ≤ `rows` (one plan per run of rows), along y for the columns
    /// kx < `columns` of every z, and complex-to-real along x for every row.
    static func makeBandPlans(size: GridSize, columns: Int, rows: Int, buffer: UnsafeMutablePointer<Float>) throws
        -> [OpaquePointer]
    {
        lock.lock()
        defer { lock.unlock() }
        prepareThreads()
        fftwf_plan_with_nthreads(Int32(ProcessInfo.processInfo.activeProcessorCount))
        let (nx, ny, nz) = (Int32(size.nx), Int32(size.ny), Int32(size.nz))
        let cx = nx / 2 + 1
        let complex = UnsafeMutableRawPointer(buffer).bindMemory(to: fftwf_complex.self, capacity: 1)
        func plan(_ make: (UInt32) -> OpaquePointer?) -> OpaquePointer? { make(UInt32(FFTW_ESTIMATE)) }
        let across = Int32(columns)
        var runs: [(first: Int32, count: Int32)] = [(0, ny)]
        if 2 * rows + 1 < size.ny {
            runs = [(0, Int32(rows) + 1)]
            if rows > 0 { runs.append((ny - Int32(rows), Int32(rows))) }
        }
        var plans: [OpaquePointer?] = runs.map { run in
            let start = complex + Int(run.first * cx)
            var along = fftwf_iodim(n: nz, is: ny * cx, os: ny * cx)
            var many = [fftwf_iodim(n: run.count, is: cx, os: cx), fftwf_iodim(n: across, is: 1, os: 1)]
            return plan { flags in fftwf_plan_guru_dft(1, &along, 2, &many, start, start, FFTW_BACKWARD, flags) }
        }
        var alongY = fftwf_iodim(n: ny, is: cx, os: cx)
        var manyY = [fftwf_iodim(n: nz, is: ny * cx, os: ny * cx), fftwf_iodim(n: across, is: 1, os: 1)]
        plans.append(plan { flags in fftwf_plan_guru_dft(1, &alongY, 2, &manyY, complex, complex, FFTW_BACKWARD, flags) })
        var length = nx
        plans.append(plan { flags in
            fftwf_plan_many_dft_c2r(1, &length, ny * nz, complex, nil, 1, cx, buffer, nil, 1, 2 * cx, flags)
        })
        guard plans.allSatisfy({ $0 != nil }) else {
            for case let p? in plans { fftwf_destroy_plan(p) }
            throw FFTError.planFailed(dimensions: [size.nz, size.ny, size.nx])
        }
        return plans.map { $0! }
    }

    private static func prepareThreads() {
        guard !threadsReady else { return }
        threadsReady = true
        fftwf_init_threads()
    }

    static func destroy(_ plan: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        fftwf_destroy_plan(plan)
    }
}
