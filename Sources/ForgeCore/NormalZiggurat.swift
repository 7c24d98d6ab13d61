import Foundation

/// Tables for Marsaglia & Tsang's ziggurat method (2000) for standard normal samples:
/// 128 layers of equal area under the density, so about 99% of samples cost one random
/// draw, one comparison and one multiply. Built once, on first use.
struct NormalZiggurat: Sendable {
    static let shared = NormalZiggurat()

    static let layers = 128
    /// Where the base layer's tail starts.
    static let tailStart = 3.442619855899
    /// The area of each layer.
    static let layerArea = 9.91256303526217e-3

    /// A draw x = j · width[i] (j a signed 32-bit integer) lies inside layer i's rectangle
    /// when |j| < limit[i].
    let limit: [UInt32]
    let width: [Double]
    /// The density at each layer's outer edge.
    let density: [Double]

    private init() {
        let n = Self.layers, scale = 2_147_483_648.0
        var limit = [UInt32](repeating: 0, count: n), width = [Double](repeating: 0, count: n)
        var density = [Double](repeating: 0, count: n)
        var edge = Self.tailStart, previous = edge
        let q = Self.layerArea / exp(-0.5 * edge * edge)
        limit[0] = UInt32(edge / q * scale)
        limit[1] = 0
        width[0] = q / scale
        width[n - 1] = edge / scale
        density[0] = 1
        density[n - 1] = exp(-0.5 * edge * edge)
        for i in stride(from: n - 2, through: 1, by: -1) {
            edge = (-2 * log(Self.layerArea / edge + exp(-0.5 * edge * edge))).squareRoot()
            limit[i + 1] = UInt32(edge / previous * scale)
            previous = edge
            density[i] = exp(-0.5 * edge * edge)
            width[i] = edge / scale
        }
        self.limit = limit
        self.width = width
        self.density = density
    }

    /// One sample from the 64-bit draws of `random`: the low 7 bits pick the layer, the
    /// high 32 bits give the signed position in it.
    @inline(__always)
    func sample(_ random: inout SeededRandom) -> Double {
        while true {
            let bits = random.next()
            let layer = Int(bits & 0x7F)
            let j = Int32(truncatingIfNeeded: bits >> 32)
            if j.magnitude < limit[layer] { return Double(j) * width[layer] }
            if let x = edgeSample(j, layer: layer, random: &random) { return x }
        }
    }

    /// The rare case: a draw outside its layer's rectangle, kept if it falls under the
    /// density (or drawn from the tail beyond `tailStart` in the base layer); nil to retry.
    func edgeSample(_ j: Int32, layer: Int, random: inout SeededRandom) -> Double? {
        let x = Double(j) * width[layer]
        if layer == 0 {
            var tail = 0.0, y = 0.0
            repeat {
                tail = -log(random.nextOpenUnit()) / Self.tailStart
                y = -log(random.nextOpenUnit())
            } while 2 * y < tail * tail
            return j > 0 ? Self.tailStart + tail : -Self.tailStart - tail
        }
        let u = random.nextOpenUnit()
        return density[layer] + u * (density[layer - 1] - density[layer]) < exp(-0.5 * x * x) ? x : nil
    }
}
