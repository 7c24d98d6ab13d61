import ForgeCore
import Foundation

/// The property table a model critic reads: each target with its measured value, then the
/// computed properties along x, y and z.
public enum PropertyTable {
    public static func text(_ request: CritiqueRequest) -> String {
        guard let p = request.measures.properties else {
            return request.targets.isEmpty ? "not computed" : "not computed, so the targets below cannot be judged: "
                + request.targets.map(\.label).joined(separator: "; ")
        }
        var lines: [String] = []
        if !request.targets.isEmpty {
            lines.append("Targets (measured, then asked):")
            for t in request.targets {
                let (text, met) = p.reading(of: t)
                lines.append("- \(PropertySteps.symbol(t)): \(text) (asked \(t.label); \(met ? "met" : "not met"))")
            }
        }
        func row(_ name: String, _ values: [Double?]) -> String {
            "- \(name): " + values.map { $0.map(PropertyTarget.number) ?? "none (the pores do not cross)" }.joined(separator: ", ")
        }
        lines.append(String(format: "Computed (solid E_s = %@ GPa):", PropertyTarget.number(p.solidModulusGPa)))
        lines.append(row("Young's modulus E_x, E_y, E_z (GPa)", p.youngsModulusGPa))
        lines.append(row("relative E/E_s along x, y, z", p.relativeYoungsModulus))
        lines.append(row("shear modulus G_yz, G_xz, G_xy (GPa)", p.shearModulusGPa))
        if let k = p.permeabilityM2 { lines.append(row("permeability k_x, k_y, k_z (m²)", k)) }
        if let t = p.tortuosityFactor { lines.append(row("tortuosity factor τ_x, τ_y, τ_z", t)) }
        return lines.joined(separator: "\n")
    }
}
