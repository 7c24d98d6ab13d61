import ForgeCore
import Foundation

/// The four Minkowski functionals of the solid (Hadwiger's complete set of additive,
/// motion-invariant measures of a body), read from its closed mesh:
/// - `volumeMM3` V, the enclosed volume;
/// - `surfaceMM2` S, the boundary area (caps on the box faces included: they bound the solid);
/// - `meanCurvatureMM` M = ∫ H dS with H = (κ₁ + κ₂)/2, for a polyhedron ½ Σ over edges of
///   length × exterior dihedral angle (positive at convex edges, negative at concave ones):
///   4πR for a ball of radius R, π(a + b + c) for an a × b × c box;
/// - `eulerCharacteristic` χ = (V − E + F)/2 of the boundary surfaces.
/// Per box volume they are the densities (`…_density`) porous-media codes report.
public struct MinkowskiFunctionals: Sendable, Codable, Equatable {
    public var volumeMM3: Double
    public var surfaceMM2: Double
    public var meanCurvatureMM: Double
    public var eulerCharacteristic: Int
    /// The same per box volume: mm⁰, mm⁻¹, mm⁻², mm⁻³.
    public var volumeDensity: Double
    public var surfaceDensityPerMM: Double
    public var meanCurvatureDensityPerMM2: Double
    public var eulerDensityPerMM3: Double

    enum CodingKeys: String, CodingKey {
        case volumeMM3 = "volume_mm3"
        case surfaceMM2 = "surface_mm2"
        case meanCurvatureMM = "integral_mean_curvature_mm"
        case eulerCharacteristic = "euler_characteristic"
        case volumeDensity = "volume_density"
        case surfaceDensityPerMM = "surface_density_per_mm"
        case meanCurvatureDensityPerMM2 = "mean_curvature_density_per_mm2"
        case eulerDensityPerMM3 = "euler_density_per_mm3"
    }

    public init(volumeMM3: Double, surfaceMM2: Double, meanCurvatureMM: Double, eulerCharacteristic: Int, boxVolumeMM3: Double) {
        self.volumeMM3 = volumeMM3
        self.surfaceMM2 = surfaceMM2
        self.meanCurvatureMM = meanCurvatureMM
        self.eulerCharacteristic = eulerCharacteristic
        volumeDensity = volumeMM3 / boxVolumeMM3
        surfaceDensityPerMM = surfaceMM2 / boxVolumeMM3
        meanCurvatureDensityPerMM2 = meanCurvatureMM / boxVolumeMM3
        eulerDensityPerMM3 = Double(eulerCharacteristic) / boxVolumeMM3
    }
}

extension Mesh {
    /// ∫ H dS of a closed, consistently oriented mesh: ½ Σ over its edges of length ×
    /// exterior dihedral angle, signed by convexity. Each edge is read once, from its
    /// smaller vertex, through the vertex's fan (`VertexFans`).
    public func integralMeanCurvature(fans: VertexFans) -> Double {
        let vertexCount = self.vertexCount
        let chunks = parallelChunkCount(vertexCount, minimumChunk: 4096)
        let parts = ChunkSlots(count: max(chunks, 1), initial: 0.0)
        positions.withUnsafeBufferPointer { pos in
            indices.withUnsafeBufferPointer { ix in
                fans.start.withUnsafeBufferPointer { st in
                    fans.buckets.withUnsafeBufferPointer { bk in
                        let p = SendableReadOnlyPointer(pos.baseAddress!), corners = SendableReadOnlyPointer(ix.baseAddress!)
                        let s = SendableReadOnlyPointer(st.baseAddress!), b = SendableReadOnlyPointer(bk.baseAddress!)
                        @Sendable @inline(__always) func point(_ v: UInt32) -> SIMD3<Double> {
                            let k = Int(v) &* 3
                            return SIMD3(Double(p.base[k]), Double(p.base[k &+ 1]), Double(p.base[k &+ 2]))
                        }
                        @Sendable @inline(__always) func cross(_ u: SIMD3<Double>, _ w: SIMD3<Double>) -> SIMD3<Double> {
                            SIMD3(u.y * w.z - u.z * w.y, u.z * w.x - u.x * w.z, u.x * w.y - u.y * w.x)
                        }
                        parallelForChunks(vertexCount, chunks: chunks) { chunk, range in
                            var sum = 0.0
                            for v in range {
                                let begin = Int(s.base[v]), end = Int(s.base[v &+ 1])
                                for i in begin..<end {
                                    let h = b.base[i], c = h % 3
                                    let a = corners.base[Int(c == 2 ? h &- 2 : h &+ 1)]
                                    guard UInt32(v) < a else { continue }
                                    let third = corners.base[Int(c == 0 ? h &+ 2 : h &- 1)]
                                    // The triangle across v–a holds a → v: from v, it is (v, y, a).
                                    var y: UInt32?
                                    for j in begin..<end {
                                        let g = b.base[j], d = g % 3
                                        if corners.base[Int(d == 0 ? g &+ 2 : g &- 1)] == a {
                                            y = corners.base[Int(d == 2 ? g &- 2 : g &+ 1)]
                                            break
                                        }
                                    }
                                    guard let y else { continue }
                                    let pv = point(UInt32(v)), pa = point(a)
                                    let n1 = cross(pa - pv, point(third) - pv), n2 = cross(point(y) - pv, pa - pv)
                                    let l1 = (n1 * n1).sum().squareRoot(), l2 = (n2 * n2).sum().squareRoot()
                                    guard l1 > 0, l2 > 0 else { continue }
                                    let u1 = n1 / l1, u2 = n2 / l2
                                    let across = cross(u1, u2)
                                    let angle = atan2((across * across).sum().squareRoot(), (u1 * u2).sum())
                                    let convex = (u1 * (point(y) - pv)).sum() <= 0
                                    let length = ((pa - pv) * (pa - pv)).sum().squareRoot()
                                    sum += (convex ? 0.5 : -0.5) * length * angle
                                }
                            }
                            parts.store(sum, at: chunk)
                        }
                    }
                }
            }
        }
        return parts.values.reduce(0, +)
    }
}
