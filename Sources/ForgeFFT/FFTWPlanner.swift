import CFFTW
import ForgeCore
import Foundation

/// The single place where FFTW plans are made: planning is not thread-safe, so it happens
/// behind one lock; threads are initialised once; wisdom is loaded from and saved to a
/// cache folder so that a measured plan costs seconds only the first time per size.
///
/// Measuring is unlimited up to 512³ samples (tens of seconds once per size, then free:
/// FFTW keeps no wisdom for a plan cut short, so a limit would cost its seconds on every
/// run and leave a slower plan); above that it is limited to `planningTimeLimitS` seconds.
///
/// Environment: `CEPHALO_FFTW_PLANNER` = `measure` (default), `estimate` or `patient`;
/// `CEPHALO_FORGE_CACHE` overrides the cache folder (default `$XDG_CACHE_HOME/cephalo-forge`
/// or `~/.cache/cephalo-forge`).
enum FFTWPlanner {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var prepared = false

    static var effortFlag: UInt32 {
        switch ProcessInfo.processInfo.environment["CEPHALO_FFTW_PLANNER"]?.lowercased() {
        case "estimate": return UInt32(FFTW_ESTIMATE)
        case "patient": return UInt32(FFTW_PATIENT)
        default: return UInt32(FFTW_MEASURE)
        }
    }

    static var wisdomURL: URL {
        let threads = ProcessInfo.processInfo.activeProcessorCount
        return CacheFolder.url().appendingPathComponent("fftw3f-wisdom-\(threads)t.txt")
    }

    /// Makes a forward (r2c) and inverse (c2r) in-place plan for `buffer`.
    /// `dimensions` are slowest first (z, y, x). Overwrites the buffer when measuring.
    static func makePlans(dimensions: [Int], buffer: UnsafeMutablePointer<Float>, inverse wantsInverse: Bool = true) throws
        -> (forward: OpaquePointer, inverse: OpaquePointer?)
    {
        lock.lock()
        defer { lock.unlock() }
        prepareOnce()
        let threads = Int32(ProcessInfo.processInfo.activeProcessorCount)
        fftwf_plan_with_nthreads(threads)
        let n = dimensions.map(Int32.init)
        let complex = UnsafeMutableRawPointer(buffer).bindMemory(to: fftwf_complex.self, capacity: 1)
        let rank = Int32(n.count)
        let effort = effortFlag
        let samples = dimensions.reduce(1, *)
        fftwf_set_timelimit(samples <= 1 << 27 ? -1 : planningTimeLimitS)
        var learned = false
        func plan(_ make: (UInt32) -> OpaquePointer?) -> OpaquePointer? {
            if effort != UInt32(FFTW_ESTIMATE), let p = make(effort | UInt32(FFTW_WISDOM_ONLY)) { return p }
            learned = learned || effort != UInt32(FFTW_ESTIMATE)
            return make(effort)
        }
        let forward = n.withUnsafeBufferPointer { dims in
            plan { fftwf_plan_dft_r2c(rank, dims.baseAddress, buffer, complex, $0) }
        }
        let inverse = !wantsInverse ? nil : n.withUnsafeBufferPointer { dims in
            plan { fftwf_plan_dft_c2r(rank, dims.baseAddress, complex, buffer, $0) }
        }
        guard let forward, inverse != nil || !wantsInverse else {
            if let forward { fftwf_destroy_plan(forward) }
            if let inverse { fftwf_destroy_plan(inverse) }
            throw FFTError.planFailed(dimensions: dimensions)
        }
        if learned { saveWisdom() }
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
        prepareOnce()
        fftwf_plan_with_nthreads(Int32(ProcessInfo.processInfo.activeProcessorCount))
        let (nx, ny, nz) = (Int32(size.nx), Int32(size.ny), Int32(size.nz))
        let cx = nx / 2 + 1
        let complex = UnsafeMutableRawPointer(buffer).bindMemory(to: fftwf_complex.self, capacity: 1)
        let effort = effortFlag
        var learned = false
        func plan(_ make: (UInt32) -> OpaquePointer?) -> OpaquePointer? {
            if effort != UInt32(FFTW_ESTIMATE), let p = make(effort | UInt32(FFTW_WISDOM_ONLY)) { return p }
            learned = learned || effort != UInt32(FFTW_ESTIMATE)
            return make(effort)
        }
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
        if learned { saveWisdom() }
        return plans.map { $0! }
    }

    static func destroy(_ plan: OpaquePointer) {
        lock.lock()
        defer { lock.unlock() }
        fftwf_destroy_plan(plan)
    }

    /// Upper bound on the time FFTW spends measuring one plan above 512³ samples.
    static let planningTimeLimitS = 4.0

    private static func prepareOnce() {
        guard !prepared else { return }
        prepared = true
        fftwf_init_threads()
        _ = fftwf_import_wisdom_from_filename(wisdomURL.path)
    }

    /// Writes wisdom to a temporary file and renames it, so readers never see half a file.
    private static func saveWisdom() {
        let url = wisdomURL
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                 withIntermediateDirectories: true)
        let temporary = url.path + ".\(getpid()).tmp"
        if fftwf_export_wisdom_to_filename(temporary) != 0 {
            _ = rename(temporary, url.path)
        } else {
            unlink(temporary)
        }
    }
}
