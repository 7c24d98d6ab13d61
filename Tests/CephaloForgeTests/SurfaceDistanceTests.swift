import CephaloForge
import Foundation
import Testing

/// The surface-distance search (the same-part test's measure) against every triangle tried.
@Suite("Surface distance")
struct SurfaceDistanceTests {
    /// Random points around a marched surface: the search finds the exact nearest distance
    /// (capped at its radius), and with an `enough` it stops no farther than that exactly
    /// when some triangle is that close.
    @Test func matchesTheNearestOfEveryTriangle() {
        let grid = TestSupport.grid(20, voxelMM: 0.5) { x, y, z in
            3.2 - ((x - 5) * (x - 5) + (y - 5.2) * (y - 5.2) + (z - 4.9) * (z - 4.9)).squareRoot()
                + 0.4 * sin(2.1 * x) * cos(1.7 * y)
        }
        let mesh = MarchingCubes.mesh(grid)
        let radius = 0.6
        let search = SurfaceDistance(to: mesh, radius: radius)
        var generator = SeededRandom(seed: 7)
        var near = 0
        for _ in 0..<400 {
            // A vertex moved by up to 0.5 mm, so most points lie close to the surface.
            let v = SIMD3<Double>(mesh.vertex(Int.random(in: 0..<mesh.vertexCount, using: &generator)))
            let p = v + SIMD3(Double.random(in: -0.5...0.5, using: &generator), Double.random(in: -0.5...0.5, using: &generator),
                              Double.random(in: -0.5...0.5, using: &generator))
            let exact = Self.nearest(p, mesh)
            let full = search.distance(from: p)
            #expect(abs(full - min(exact, radius)) < 1e-5, "\(p): \(full) against \(exact)")
            for enough in [0.02, 0.1, 0.3] {
                let d = search.distance(from: p, unlessWithin: enough)
                if exact <= enough {
                    near += 1
                    #expect(d <= enough + 1e-6 && d >= exact - 1e-5, "\(p), enough \(enough): \(d) against \(exact)")
                } else {
                    #expect(abs(d - min(exact, radius)) < 1e-5, "\(p), enough \(enough): \(d) against \(exact)")
                }
            }
        }
        #expect(near > 200)
    }

    /// Distance from `p` to the nearest triangle of `mesh`: the plane where the foot falls
    /// inside the triangle, else the nearest edge.
    static func nearest(_ p: SIMD3<Double>, _ mesh: Mesh) -> Double {
        func dot(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Double { (u * v).sum() }
        func segment(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
            let t = min(max(dot(p - a, b - a) / max(dot(b - a, b - a), 1e-300), 0), 1)
            let d = p - (a + (b - a) * t)
            return dot(d, d).squareRoot()
        }
        var best = Double.infinity
        for t in 0..<mesh.triangleCount {
            let (a, b, c) = (SIMD3<Double>(mesh.vertex(Int(mesh.indices[3 * t]))), SIMD3<Double>(mesh.vertex(Int(mesh.indices[3 * t + 1]))),
                             SIMD3<Double>(mesh.vertex(Int(mesh.indices[3 * t + 2]))))
            let n = SIMD3(b.y - a.y, b.z - a.z, b.x - a.x) * SIMD3(c.z - a.z, c.x - a.x, c.y - a.y)
                - SIMD3(b.z - a.z, b.x - a.x, b.y - a.y) * SIMD3(c.y - a.y, c.z - a.z, c.x - a.x)
            let area2 = dot(n, n)
            var d = min(segment(a, b), segment(b, c), segment(c, a))
            if area2 > 0 {
                let foot = p - n * (dot(p - a, n) / area2)
                func side(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Double {
                    let e = v - u, w = foot - u
                    return dot(SIMD3(e.y * w.z - e.z * w.y, e.z * w.x - e.x * w.z, e.x * w.y - e.y * w.x), n)
                }
                if side(a, b) >= 0, side(b, c) >= 0, side(c, a) >= 0 { d = min(d, abs(dot(p - a, n)) / area2.squareRoot()) }
            }
            best = min(best, d)
        }
        return best
    }
}
