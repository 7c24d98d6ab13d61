import ForgeCore
import ForgeMorphology
import Foundation

/// The mean-intercept-length (MIL) fabric tensor of the solid (Harrigan & Mann 1984), the
/// standard measure of trabecular bone's orientation and anisotropy.
///
/// Along each of the 13 lattice directions d (the axes, the face and the body diagonals;
/// the 4 in the plane for a 2D field), every pair of neighbours p, p + d inside the box is
/// a step of |d| voxels of test line, and a pair whose phases differ an intercept with the
/// solid's surface: MIL(d) = line length / intercepts. The quadratic form M with
/// uᵀ M u = 1 / MIL(u)² is fitted to the 13 unit directions by least squares; its
/// eigenvectors are the principal directions, 1/√λ the principal MILs (infinite where
/// λ ≤ 0: no surface across that direction), and the degree of anisotropy
/// DA = 1 − MIL_min / MIL_max: 0 for an isotropic structure, 1 for layers.
public struct FabricTensor: Sendable, Codable, Equatable {
    /// MIL along x, y, z (mm; nil where no line crosses the surface).
    public var axisMILMM: [Double?]
    /// M, row-major (mm⁻²).
    public var tensor: [Double]
    /// Principal MILs, longest first (mm; nil where infinite), and their unit directions.
    public var principalMILMM: [Double?]
    public var principalDirections: [[Double]]
    public var degreeOfAnisotropy: Double

    enum CodingKeys: String, CodingKey {
        case axisMILMM = "axis_mil_mm"
        case tensor
        case principalMILMM = "principal_mil_mm"
        case principalDirections = "principal_directions"
        case degreeOfAnisotropy = "degree_of_anisotropy"
    }

    public init(of mask: VoxelMask, voxelSizeMM h: Double) {
        let planar = mask.size.isPlanar
        var directions: [SIMD3<Int>] = [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(1, 1, 0), SIMD3(1, -1, 0)]
        if !planar {
            directions += [SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(1, 0, -1), SIMD3(0, 1, 1), SIMD3(0, 1, -1),
                           SIMD3(1, 1, 1), SIMD3(1, 1, -1), SIMD3(1, -1, 1), SIMD3(-1, 1, 1)]
        }
        let dimension = planar ? 2 : 3
        var rows: [[Double]] = [], targets: [Double] = []
        var axisMIL: [Double?] = [nil, nil, nil]
        for d in directions {
            let (steps, intercepts) = Self.intercepts(mask, direction: d)
            let length = Double(steps) * (Double((d &* d).wrappedSum()).squareRoot()) * h
            let mil = intercepts > 0 ? length / Double(intercepts) : nil
            if d == SIMD3(1, 0, 0) { axisMIL[0] = mil }
            if d == SIMD3(0, 1, 0) { axisMIL[1] = mil }
            if d == SIMD3(0, 0, 1) { axisMIL[2] = mil }
            let u = SIMD3<Double>(d) / Double((d &* d).wrappedSum()).squareRoot()
            // uᵀ M u in the unknowns Mxx, Myy, Mzz, Mxy, Mxz, Myz (or Mxx, Myy, Mxy in 2D).
            rows.append(dimension == 3 ? [u.x * u.x, u.y * u.y, u.z * u.z, 2 * u.x * u.y, 2 * u.x * u.z, 2 * u.y * u.z]
                                       : [u.x * u.x, u.y * u.y, 2 * u.x * u.y])
            targets.append(mil.map { 1 / ($0 * $0) } ?? 0)
        }
        let m = Self.leastSquares(rows, targets)
        let matrix: [[Double]] = dimension == 3
            ? [[m[0], m[3], m[4]], [m[3], m[1], m[5]], [m[4], m[5], m[2]]]
            : [[m[0], m[2], 0], [m[2], m[1], 0], [0, 0, 0]]
        axisMILMM = Array(axisMIL.prefix(dimension))
        tensor = matrix.prefix(dimension).flatMap { Array($0.prefix(dimension)) }
        var (values, vectors) = Self.symmetricEigen(matrix)
        if dimension == 2 {
            // The third eigenpair is the unused z axis.
            let keep = (0..<3).filter { abs(vectors[$0][2]) < 0.5 }
            values = keep.map { values[$0] }
            vectors = keep.map { Array(vectors[$0].prefix(2)) }
        }
        // Longest MIL (smallest λ) first.
        let order = values.indices.sorted { values[$0] < values[$1] }
        principalMILMM = order.map { values[$0] > 1e-12 ? 1 / values[$0].squareRoot() : nil }
        principalDirections = order.map { vectors[$0] }
        let largest = values.max() ?? 0, smallest = max(values.min() ?? 0, 0)
        degreeOfAnisotropy = largest > 0 ? 1 - (smallest / largest).squareRoot() : 0
    }

    /// Neighbour pairs (p, p + d) inside the box, and those whose phases differ.
    static func intercepts(_ mask: VoxelMask, direction d: SIMD3<Int>) -> (steps: Int, intercepts: Int) {
        let size = mask.size
        let (nx, ny, nz) = (size.nx, size.ny, size.nz)
        let xs = max(0, -d.x)..<min(nx, nx - d.x), ys = max(0, -d.y)..<min(ny, ny - d.y), zs = max(0, -d.z)..<min(nz, nz - d.z)
        guard !xs.isEmpty, !ys.isEmpty, !zs.isEmpty else { return (0, 0) }
        let offset = d.x + nx * (d.y + ny * d.z)
        let chunks = parallelChunkCount(zs.count, minimumChunk: 2)
        let parts = ChunkSlots(count: max(chunks, 1), initial: 0)
        mask.bits.withUnsafeBufferPointer { buffer in
            let bits = SendableReadOnlyPointer(buffer.baseAddress!)
            parallelForChunks(zs.count, chunks: chunks) { chunk, range in
                var differing = 0
                for k in range {
                    let z = zs.lowerBound + k
                    for y in ys {
                        let row = bits.base + (z * ny + y) * nx
                        var x = xs.lowerBound
                        while x < xs.upperBound {
                            differing &+= Int(row[x] ^ row[x &+ offset])
                            x &+= 1
                        }
                    }
                }
                parts.store(differing, at: chunk)
            }
        }
        return (xs.count * ys.count * zs.count, parts.values.reduce(0, +))
    }

    /// The x minimising |A x − b|² (normal equations, Gaussian elimination with pivoting).
    static func leastSquares(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let n = a[0].count
        var m = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
        for (row, target) in zip(a, b) {
            for i in 0..<n {
                for j in 0..<n { m[i][j] += row[i] * row[j] }
                m[i][n] += row[i] * target
            }
        }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            guard abs(m[col][col]) > 1e-300 else { continue }
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                for c in col...n { m[r][c] -= f * m[col][c] }
            }
        }
        return (0..<n).map { abs(m[$0][$0]) > 1e-300 ? m[$0][n] / m[$0][$0] : 0 }
    }

    /// Eigenvalues and unit eigenvectors of a symmetric 3 × 3 matrix (cyclic Jacobi).
    static func symmetricEigen(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
        var a = matrix
        var v: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        for _ in 0..<50 {
            let off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2]
            if off < 1e-30 { break }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] where abs(a[p][q]) > 1e-300 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<3 {
                    let (akp, akq) = (a[k][p], a[k][q])
                    a[k][p] = c * akp - s * akq
                    a[k][q] = s * akp + c * akq
                }
                for k in 0..<3 {
                    let (apk, aqk) = (a[p][k], a[q][k])
                    a[p][k] = c * apk - s * aqk
                    a[q][k] = s * apk + c * aqk
                }
                for k in 0..<3 {
                    let (vkp, vkq) = (v[k][p], v[k][q])
                    v[k][p] = c * vkp - s * vkq
                    v[k][q] = s * vkp + c * vkq
                }
            }
        }
        return ((0..<3).map { a[$0][$0] }, (0..<3).map { j in (0..<3).map { v[$0][j] } })
    }
}
