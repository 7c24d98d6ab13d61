/// A small, fast, seedable generator (xoshiro256**, seeded through SplitMix64).
///
/// Deterministic on every platform; not for cryptography. Independent streams for
/// parallel work come from `SeededRandom(seed:stream:)`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        var mix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D
        s0 = Self.splitMix(&mix)
        s1 = Self.splitMix(&mix)
        s2 = Self.splitMix(&mix)
        s3 = Self.splitMix(&mix)
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in (0, 1], never zero (safe for logarithms).
    @inline(__always)
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) &+ 1) * 0x1p-53
    }

    /// Fills `buffer` with independent standard normal samples: Marsaglia's polar method in
    /// single precision, one 64-bit draw per attempt (two 24-bit uniforms in −1…1, kept when
    /// inside the unit disc: π/4 of attempts), two samples per kept pair.
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        let n = buffer.count
        let scale: Float = 0x1p-23
        while i < n {
            let bits = next()
            let u = Float(bits >> 40) * scale - 1
            let v = Float((bits >> 16) & 0xFF_FFFF) * scale - 1
            let s = u * u + v * v
            guard s < 1 && s > 0 else { continue }
            let factor = (-2 * _logf(s) / s).squareRoot()
            buffer[i] = u * factor
            if i + 1 < n { buffer[i + 1] = v * factor }
            i += 2
        }
    }
}

import Foundation

@inline(__always) private func _logf(_ x: Float) -> Float { Foundation.logf(x) }
