import Foundation
import ForgeCore

/// Depth-based effects applied to a rendered frame: ambient occlusion (creases and pores
/// darken where nearby surface stands in front of the tangent plane) and outlines (silhouettes and depth steps),
/// then a box filter down to the output size. Deterministic: a fixed sample pattern.
struct ScreenSpaceEffects {
    /// Frame size in pixels (the supersampled size).
    let width: Int
    let height: Int
    /// Pixels per mm in the frame.
    let pixelsPerMM: Double
    var occlusion = true
    var outlines = true

    static let outlineColor = SIMD3<Float>(38, 38, 44)

    /// `rgba` and `viewDistanceMM` (infinity for background) are top row first.
    func apply(rgba: inout [UInt8], viewDistanceMM distance: [Float], supersampling s: Int) -> RGBImage {
        var shade = [Float](repeating: 1, count: width * height)
        if occlusion { occlusionFactors(distance, into: &shade) }
        var edge = [Bool](repeating: false, count: width * height)
        if outlines { markOutlines(distance, step: max(1, s), into: &edge) }
        return downsampled(rgba, shade: shade, edge: edge, factor: max(1, s))
    }

    private func occlusionFactors(_ distance: [Float], into shade: inout [Float]) {
        let w = width, h = height
        let radius = max(4.0, 0.03 * Double(min(w, h)))
        let rangeMM = Float(radius / pixelsPerMM)
        let count = 16
        let offsets: [(Int, Int)] = (0..<count).map { i in
            let angle = Double(i) * 2.399963229728653
            let r = radius * ((Double(i) + 0.5) / Double(count)).squareRoot()
            return (Int((r * cos(angle)).rounded()), Int((r * sin(angle)).rounded()))
        }
        let epsilon = Float(0.5 / pixelsPerMM)
        distance.withUnsafeBufferPointer { dRaw in
            shade.withUnsafeMutableBufferPointer { sRaw in
                let d = SendableReadOnlyPointer(dRaw.baseAddress!), out = SendablePointer(sRaw.baseAddress!)
                parallelForRanges(h, minimumChunk: 16) { rows in
                    for y in rows {
                        for x in 0..<w {
                            let centre = d[y * w + x]
                            guard centre.isFinite else { continue }
                            // The surface's own slope: a sample counts as occluding only where
                            // it stands in front of the tangent plane, so planes and convex
                            // surfaces (which fall away from it) are never darkened.
                            func slope(_ before: Float, _ after: Float) -> Float {
                                let back = centre - before, ahead = after - centre
                                switch (back.isFinite, ahead.isFinite) {
                                case (true, true): return abs(back) < abs(ahead) ? back : ahead
                                case (true, false): return back
                                case (false, true): return ahead
                                default: return 0
                                }
                            }
                            let gx = slope(x > 0 ? d[y * w + x - 1] : .infinity, x + 1 < w ? d[y * w + x + 1] : .infinity)
                            let gy = slope(y > 0 ? d[(y - 1) * w + x] : .infinity, y + 1 < h ? d[(y + 1) * w + x] : .infinity)
                            var occluded: Float = 0
                            for (dx, dy) in offsets {
                                let sx = x + dx, sy = y + dy
                                guard sx >= 0, sx < w, sy >= 0, sy < h else { continue }
                                let plane = centre + gx * Float(dx) + gy * Float(dy)
                                let nearer = plane - d[sy * w + sx]
                                if nearer > epsilon && nearer.isFinite {
                                    occluded += nearer < rangeMM ? 1 : max(0, 2 - nearer / rangeMM)
                                }
                            }
                            out[y * w + x] = 1 - 0.55 * occluded / Float(count)
                        }
                    }
                }
            }
        }
    }

    /// Marks pixels on the near side of a silhouette or a depth step.
    private func markOutlines(_ distance: [Float], step: Int, into edge: inout [Bool]) {
        let w = width, h = height
        let jump = Float(6.0 * Double(step) / pixelsPerMM)
        for y in 0..<h {
            for x in 0..<w {
                let centre = distance[y * w + x]
                guard centre.isFinite else { continue }
                var marked = false
                for (dx, dy) in [(step, 0), (-step, 0), (0, step), (0, -step)] {
                    let sx = min(max(x + dx, 0), w - 1), sy = min(max(y + dy, 0), h - 1)
                    let other = distance[sy * w + sx]
                    if !other.isFinite || other - centre > jump {
                        marked = true
                        break
                    }
                }
                edge[y * w + x] = marked
            }
        }
    }

    private func downsampled(_ rgba: [UInt8], shade: [Float], edge: [Bool], factor s: Int) -> RGBImage {
        let ow = width / s, oh = height / s
        var pixels = [UInt8](repeating: 0, count: 3 * ow * oh)
        let weight = 1 / Float(s * s)
        for oy in 0..<oh {
            for ox in 0..<ow {
                var sum = SIMD3<Float>.zero
                for y in (oy * s)..<(oy * s + s) {
                    for x in (ox * s)..<(ox * s + s) {
                        let i = y * width + x
                        var c = SIMD3(Float(rgba[4 * i]), Float(rgba[4 * i + 1]), Float(rgba[4 * i + 2])) * shade[i]
                        if edge[i] { c = c * 0.15 + Self.outlineColor * 0.85 }
                        sum += c
                    }
                }
                let c = sum * weight + 0.5
                let o = 3 * (oy * ow + ox)
                pixels[o] = UInt8(min(c.x, 255))
                pixels[o + 1] = UInt8(min(c.y, 255))
                pixels[o + 2] = UInt8(min(c.z, 255))
            }
        }
        return RGBImage(width: ow, height: oh, pixels: pixels)
    }
}
