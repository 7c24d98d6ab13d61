import ForgeCore

/// Where the samples of one layer normal to an axis live in an x-fastest grid.
struct LayerIndexing: Sendable {
    let axis: Axis
    let nx: Int, ny: Int
    let layerSize: Int

    init(size: GridSize, axis: Axis) {
        self.axis = axis
        nx = size.nx
        ny = size.ny
        layerSize = size.count / size.count(along: axis)
    }

    /// Linear index of the j-th sample of layer i.
    @inline(__always)
    func index(layer i: Int, _ j: Int) -> Int {
        switch axis {
        case .z: return i * layerSize + j
        case .y: return (j % nx) + nx * (i + ny * (j / nx))
        case .x: return i + nx * j
        }
    }
}

extension ScalarGrid {
    /// Cuts every layer normal to `axis` at its own quantile: layer i keeps
    /// round(fractions[i] · layer size) samples above zero. The field becomes a level set
    /// whose cut varies from layer to layer (graded structures). Returns solid counts per layer.
    @discardableResult
    public mutating func threshold(layerFractions fractions: [Double], along axis: Axis) -> [Int] {
        let n = size.count(along: axis)
        precondition(fractions.count == n, "one fraction per layer")
        let layout = LayerIndexing(size: size, axis: axis)
        var counts = [Int](repeating: 0, count: n)
        values.withUnsafeMutableBufferPointer { buffer in
            counts.withUnsafeMutableBufferPointer { countBuffer in
                let p = SendablePointer(buffer.baseAddress!)
                let out = SendablePointer(countBuffer.baseAddress!)
                parallelForRanges(n) { layers in
                    let m = layout.layerSize
                    var scratch = [Float](repeating: 0, count: m)
                    for i in layers {
                        for j in 0..<m { scratch[j] = p[layout.index(layer: i, j)] }
                        let target = min(max(Int((fractions[i] * Double(m)).rounded()), 1), m - 1)
                        let t = scratch.withUnsafeBufferPointer { quantileCut(in: $0, keepingAbove: target) }
                        var above = 0
                        for j in 0..<m {
                            let k = layout.index(layer: i, j)
                            p[k] = voidAtZero(p[k] - t)
                            above += p[k] > 0 ? 1 : 0
                        }
                        out[i] = above
                    }
                }
            }
        }
        return counts
    }

    /// Solid (f > 0) fraction of each layer normal to `axis`.
    public func layerSolidFractions(along axis: Axis) -> [Double] {
        let layout = LayerIndexing(size: size, axis: axis)
        return (0..<size.count(along: axis)).map { i in
            var above = 0
            for j in 0..<layout.layerSize where values[layout.index(layer: i, j)] > 0 { above += 1 }
            return Double(above) / Double(layout.layerSize)
        }
    }
}

extension VoxelMask {
    /// Fraction of each layer normal to `axis` that is in the set.
    public func layerFractions(along axis: Axis) -> [Double] {
        let layout = LayerIndexing(size: size, axis: axis)
        return (0..<size.count(along: axis)).map { i in
            var inside = 0
            for j in 0..<layout.layerSize where bits[layout.index(layer: i, j)] != 0 { inside += 1 }
            return Double(inside) / Double(layout.layerSize)
        }
    }
}
