/// Piecewise-linear colour ramps over t in 0…1 (values outside are clamped).
public struct Colormap: Sendable {
    let stops: [SIMD3<Float>]

    /// Dark violet → blue → teal → green → yellow: a perceptually ordered ramp for heights.
    public static let height = Colormap(stops: [
        SIMD3(68, 1, 84), SIMD3(59, 82, 139), SIMD3(33, 145, 140), SIMD3(94, 201, 98), SIMD3(253, 231, 37),
    ].map { $0 / 255 })

    /// Red (thin) → orange → yellow → green → blue (thick): thin walls stand out in red.
    public static let thickness = Colormap(stops: [
        SIMD3(200, 30, 30), SIMD3(240, 130, 40), SIMD3(235, 210, 70), SIMD3(110, 190, 110), SIMD3(50, 110, 200),
    ].map { $0 / 255 })

    /// The colour at `t` (0…1), each channel 0…1.
    public func color(at t: Float) -> SIMD3<Float> {
        let x = min(max(t.isNaN ? 0 : t, 0), 1) * Float(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Float(i)
        return stops[i] * (1 - f) + stops[i + 1] * f
    }

    /// The colour at `t` as 8-bit channels.
    public func bytes(at t: Float) -> SIMD3<UInt8> {
        let c = color(at: t) * 255 + 0.5
        return SIMD3(UInt8(c.x), UInt8(c.y), UInt8(c.z))
    }
}
