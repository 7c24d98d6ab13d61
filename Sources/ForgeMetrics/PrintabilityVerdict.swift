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

    /// The printers a verdict judged at `resolutionMM` speaks for, in words: the smallest
    /// feature each class reproduces is about its laser spot, pixel or nozzle width.
    public static func printerClass(resolutionMM: Double) -> String {
        switch resolutionMM {
        case ..<0.06: return "high-resolution resin printers (pixels of 50 µm or less)"
        case ..<0.2: return "resin (SLA, DLP, MSLA) and powder-bed (SLS, MJF, metal LPBF) printers; "
            + "for FDM with a 0.4 mm nozzle set printer_resolution_mm: 0.4"
        case ..<0.35: return "powder-bed printers and FDM with a 0.25 mm nozzle"
        default: return "FDM printers with a nozzle of about \(String(format: "%.2g", resolutionMM)) mm"
        }
    }

    /// "for printers resolving 0.1 mm: …".
    public var scope: String {
        String(format: "for printers resolving %.3g mm: ", printerResolutionMM) + Self.printerClass(resolutionMM: printerResolutionMM)
    }

    /// Below this many voxels across (the sub-voxel 5th percentile), features are not
    /// resolved: the voxels and the mesh made from them lose or break them.
    public static let resolvedVoxels = 1.5

    /// Judges features (5th percentile of local thickness of solid and pores, read below the
    /// voxel size where the level set was measured) against the printer resolution and
    /// against the voxel size, and counts islands and enclosed voids.
    public init(topology: Topology, solidThickness: LocalThickness?, poreThickness: LocalThickness?,
                watertight: Bool, printerResolutionMM: Double) {
        self.printerResolutionMM = printerResolutionMM
        var reasons: [String] = []
        func mm(_ x: Double) -> String { String(format: "%.3g mm", x) }
        if let t = solidThickness, t.judgedPercentile5MM < printerResolutionMM {
            let thinnest = t.subvoxel?.minimumMM ?? t.minimumMM, at = t.subvoxel?.thinnestAtMM ?? t.thinnestAtMM
            reasons.append("struts and walls too thin: 5% of the solid is under \(mm(t.judgedPercentile5MM)) "
                + "(printer resolution \(mm(printerResolutionMM))), thinnest \(mm(thinnest)) at "
                + at.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " mm")
        }
        if let t = poreThickness, t.judgedPercentile5MM < printerResolutionMM {
            reasons.append("pores too narrow: 5% of the void is under \(mm(t.judgedPercentile5MM)) "
                + "(printer resolution \(mm(printerResolutionMM)))")
        }
        for (name, t) in [("walls and struts", solidThickness), ("pores", poreThickness)] {
            guard let s = t?.subvoxel, s.percentile5Voxels < Self.resolvedVoxels else { continue }
            reasons.append(String(format: "%@ unresolved: 5%% are under %.2g voxels across (%@); the voxels and the mesh "
                + "lose or break them", name, s.percentile5Voxels, mm(s.percentile5MM)))
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
