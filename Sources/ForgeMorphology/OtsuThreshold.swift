/// Otsu's method (1979): the level that maximises the between-class variance of a
/// two-class split of the values' 256-bin histogram over their range.
public enum OtsuThreshold {
    public static func level(of values: [Float]) -> Float {
        guard let lo = values.min(), let hi = values.max(), hi > lo else { return values.first ?? 0 }
        let bins = 256
        var histogram = [Double](repeating: 0, count: bins)
        let scale = Float(bins - 1) / (hi - lo)
        for v in values { histogram[Int((v - lo) * scale)] += 1 }
        let total = Double(values.count)
        let weightedTotal = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var below = 0.0, weightedBelow = 0.0, best = -1.0, bestBin = 0
        for i in 0..<(bins - 1) {
            below += histogram[i]
            weightedBelow += Double(i) * histogram[i]
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let meanBelow = weightedBelow / below, meanAbove = (weightedTotal - weightedBelow) / above
            let between = below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best {
                best = between
                bestBin = i
            }
        }
        // Values in bins 0…bestBin are the lower class: cut just above that bin.
        return lo + (Float(bestBin) + 1) / scale
    }
}
