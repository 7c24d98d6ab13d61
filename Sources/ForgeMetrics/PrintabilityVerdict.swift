import ForgeCore
import Foundation

/// Whether a design can be printed as it is, with the reasons when not.
public struct PrintabilityVerdict: Sendable, Codable, Equatable {
    public var printable: Bool
    public var reasons: [String]
    public var printerResolutionMM: Double

    enum CodingKeys: String, CodingKey {
        case printable, reasons
        case printerResolutionMM = "printer_resolution_mm"
    }

    /// Judges features (5th percentile of local thickness of solid and pores) against the
    /// printer resolution, and counts islands and enclosed voids.
    public init(topology: Topology, solidThickness: LocalThickness?, poreThickness: LocalThickness?,
                watertight: Bool, printerResolutionMM: Double) {
        self.printerResolutionMM = printerResolutionMM
        var reasons: [String] = []
        func mm(_ x: Double) -> String { String(format: "%.3g mm", x) }
        if let t = solidThickness, t.percentile5MM < printerResolutionMM {
            reasons.append("struts and walls too thin: 5% of the solid is under \(mm(t.percentile5MM)) "
                + "(printer resolution \(mm(printerResolutionMM))), thinnest \(mm(t.minimumMM)) at "
                + t.thinnestAtMM.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " mm")
        }
        if let t = poreThickness, t.percentile5MM < printerResolutionMM {
            reasons.append("pores too narrow: 5% of the void is under \(mm(t.percentile5MM)) "
                + "(printer resolution \(mm(printerResolutionMM)))")
        }
        if topology.solidComponents > 1 {
            reasons.append("\(topology.solidComponents) separate bodies: "
                + counted(topology.solidComponents - 1, "floating island", "floating islands"))
        }
        if topology.solidComponents == 0 { reasons.append("no solid") }
        if topology.voidsEnclosed > 0 {
            reasons.append(counted(topology.voidsEnclosed, "enclosed void traps", "enclosed voids trap") + " resin or powder "
                + String(format: "(%.3g%% of the volume)", 100 * topology.enclosedVoidFraction))
        }
        if !watertight { reasons.append("the mesh is not closed") }
        self.reasons = reasons
        printable = reasons.isEmpty
    }
}
