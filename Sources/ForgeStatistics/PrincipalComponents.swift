import COpenBLAS

/// Principal component analysis by singular value decomposition (LAPACK dgesvd through
/// OpenBLAS): the rows of `data` are observations, the columns features. Each feature is
/// centred on its mean; no scaling.
public struct PrincipalComponents: Sendable {
    /// Observation coordinates on the first `count` components: scores[i][k].
    public let scores: [[Double]]
    /// Unit component directions in feature space: components[k][j].
    public let components: [[Double]]
    /// Share of the total variance on each returned component.
    public let explainedVarianceRatio: [Double]

    public init(_ data: [[Double]], count: Int = 2) throws(StatisticsError) {
        let n = data.count
        guard n >= 2 else { throw .tooFewObservations(n) }
        let m = data[0].count
        guard m >= 1, data.allSatisfy({ $0.count == m }) else { throw .raggedRows }
        guard data.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw .notFinite }
        // Centre, column-major n × m.
        var a = [Double](repeating: 0, count: n * m)
        for j in 0..<m {
            let mean = data.reduce(0) { $0 + $1[j] } / Double(n)
            for i in 0..<n { a[j * n + i] = data[i][j] - mean }
        }
        let k = min(n, m)
        var s = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: n * k)
        var vt = [Double](repeating: 0, count: k * m)
        var rows = Int32(n), cols = Int32(m), lda = Int32(n), ldu = Int32(n), ldvt = Int32(k), info: Int32 = 0
        var jobu = CChar(UInt8(ascii: "S")), jobvt = CChar(UInt8(ascii: "S"))
        // Workspace query, then the decomposition.
        var size = 0.0, query: Int32 = -1
        dgesvd_(&jobu, &jobvt, &rows, &cols, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &size, &query, &info)
        var lwork = Int32(size)
        var work = [Double](repeating: 0, count: max(1, Int(lwork)))
        dgesvd_(&jobu, &jobvt, &rows, &cols, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &info)
        guard info == 0 else { throw .lapack(info: Int(info)) }
        let total = s.reduce(0) { $0 + $1 * $1 }
        let kept = min(count, k)
        scores = (0..<n).map { i in (0..<kept).map { c in u[c * n + i] * s[c] } }
        components = (0..<kept).map { c in (0..<m).map { j in vt[j * k + c] } }
        explainedVarianceRatio = (0..<kept).map { total > 0 ? s[$0] * s[$0] / total : 0 }
    }
}

public enum StatisticsError: Error, CustomStringConvertible, Equatable {
    case tooFewObservations(Int)
    case raggedRows
    case notFinite
    case lapack(info: Int)

    public var description: String {
        switch self {
        case let .tooFewObservations(n): return "PCA needs at least two observations, got \(n)"
        case .raggedRows: return "PCA needs every observation to have the same number of features"
        case .notFinite: return "PCA input holds a value that is not finite"
        case let .lapack(info): return "LAPACK dgesvd failed (info \(info))"
        }
    }
}
