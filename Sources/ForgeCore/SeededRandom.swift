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

    /// One standard normal sample (ziggurat method).
    @inline(__always)
    public mutating func nextStandardNormal() -> Float {
        Float(NormalZiggurat.shared.sample(&self))
    }

    /// Fills `buffer` with independent standard normal samples (ziggurat method, single
    /// precision output).
    public mutating func fillStandardNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
        let ziggurat = NormalZiggurat.shared
        ziggurat.limit.withUnsafeBufferPointer { limit in
            ziggurat.width.withUnsafeBufferPointer { width in
                var i = 0
                let n = buffer.count
                while i < n {
                    let bits = next()
                    let layer = Int(bits & 0x7F)
                    let j = Int32(truncatingIfNeeded: bits >> 32)
                    if j.magnitude < limit[layer] {
                        buffer[i] = Float(Double(j) * width[layer])
                    } else {
                        var random = self
                        let x = ziggurat.edgeSample(j, layer: layer, random: &random) ?? ziggurat.sample(&random)
                        self = random
                        buffer[i] = Float(x)
                    }
                    i &+= 1
                }
            }
        }
    }
}
