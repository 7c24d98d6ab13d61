import ForgeCore
import Foundation

/// The computed properties a critic judges targets by (from metrics.json `properties`).
public struct PropertyMeasures: Codable, Sendable, Equatable {
    /// Young's modulus of the solid material, GPa.
    public var solidModulusGPa: Double
    /// Young's modulus along x, y, z, GPa.
    public var youngsModulusGPa: [Double]
    /// Shear modulus on yz, xz, xy, GPa.
    public var shearModulusGPa: [Double]
    /// Permeability along x, y, z, m² (nil when transport was not computed).
    public var permeabilityM2: [Double]?
    /// Tortuosity factor along x, y, z; nil entries where the pores do not cross.
    public var tortuosityFactor: [Double?]?

    public init(solidModulusGPa: Double, youngsModulusGPa: [Double], shearModulusGPa: [Double],
                permeabilityM2: [Double]?, tortuosityFactor: [Double?]?) {
        self.solidModulusGPa = solidModulusGPa
        self.youngsModulusGPa = youngsModulusGPa
        self.shearModulusGPa = shearModulusGPa
        self.permeabilityM2 = permeabilityM2
        self.tortuosityFactor = tortuosityFactor
    }

    enum CodingKeys: String, CodingKey {
        case solidModulusGPa = "solid_youngs_modulus_gpa"
        case youngsModulusGPa = "youngs_modulus_gpa"
        case shearModulusGPa = "shear_modulus_gpa"
        case permeabilityM2 = "permeability_m2"
        case tortuosityFactor = "tortuosity_factor"
    }

    /// E / E_solid along x, y, z.
    public var relativeYoungsModulus: [Double] { youngsModulusGPa.map { $0 / solidModulusGPa } }

    /// The value of `target`'s quantity on this design; nil when it was not computed
    /// (infinity for the tortuosity of pores that do not cross).
    public func value(of target: PropertyTarget) -> Double? {
        let axis = target.axisIndex
        func axial(_ values: [Double]) -> Double {
            axis.map { values[$0] } ?? values.reduce(0, +) / Double(values.count)
        }
        switch target.quantity {
        case .youngsModulusGPa: return axial(youngsModulusGPa)
        case .relativeYoungsModulus: return axial(relativeYoungsModulus)
        case .stiffnessRatio:
            guard let a = axis else { return nil }
            let others = [0, 1, 2].filter { $0 != a }
            let below = target.over.flatMap { ["x", "y", "z"].firstIndex(of: $0) }.map { youngsModulusGPa[$0] }
                ?? others.map { youngsModulusGPa[$0] }.reduce(0, +) / 2
            return below > 0 ? youngsModulusGPa[a] / below : .infinity
        case .stiffnessAnisotropy:
            let lo = youngsModulusGPa.min() ?? 0, hi = youngsModulusGPa.max() ?? 0
            return lo > 0 ? hi / lo : .infinity
        case .shearModulusGPa:
            let plane = target.axis.flatMap { ["yz", "xz", "xy"].firstIndex(of: $0) }
            return plane.map { shearModulusGPa[$0] } ?? shearModulusGPa.reduce(0, +) / 3
        case .permeabilityM2:
            guard let k = permeabilityM2 else { return nil }
            if let axis { return k[axis] }
            guard k.allSatisfy({ $0 > 0 }) else { return 0 }
            return exp(k.map { log($0) }.reduce(0, +) / 3)
        case .tortuosityFactor:
            guard let t = tortuosityFactor else { return nil }
            let values = t.map { $0 ?? .infinity }
            return axis.map { values[$0] } ?? values.reduce(0, +) / 3
        }
    }

    /// `target`'s measured value as written in tables ("∞" for pores that do not cross) and
    /// whether it is within the target.
    public func reading(of target: PropertyTarget) -> (text: String, met: Bool) {
        guard let v = value(of: target) else { return ("not computed", false) }
        return (v.isFinite ? PropertyTarget.number(v) : "∞", target.range.contains(v))
    }
}
