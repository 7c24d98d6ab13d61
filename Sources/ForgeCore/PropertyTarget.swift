/// One property the design should have: recipe key `targets`, a list of these.
///
/// Each names a `quantity`, optionally an `axis`, and either a `value` with a relative
/// `tolerance` (default 10%) or a window `[min, max]` (one side may be open):
/// ```yaml
/// targets:
///   - {quantity: stiffness_ratio, axis: z, over: x, value: 3}
///   - {quantity: youngs_modulus_gpa, min: 3, max: 20}
///   - {quantity: permeability_m2, min: 1e-9}
/// ```
/// Without `axis`, a per-axis quantity is the mean of x, y and z (the geometric mean for
/// permeability, which spans decades).
public struct PropertyTarget: Codable, Sendable, Equatable {
    public enum Quantity: String, Codable, Sendable, CaseIterable {
        /// Young's modulus E along an axis, GPa.
        case youngsModulusGPa = "youngs_modulus_gpa"
        /// E / E_solid along an axis.
        case relativeYoungsModulus = "relative_youngs_modulus"
        /// E along `axis` over E along `over` (default: the mean of the other two axes).
        case stiffnessRatio = "stiffness_ratio"
        /// The largest axial Young's modulus over the smallest (1 = isotropic along the axes).
        case stiffnessAnisotropy = "stiffness_anisotropy"
        /// Shear modulus G on a plane (yz, xz or xy; default their mean), GPa.
        case shearModulusGPa = "shear_modulus_gpa"
        /// Permeability along an axis, m².
        case permeabilityM2 = "permeability_m2"
        /// Tortuosity factor τ of the pores along an axis.
        case tortuosityFactor = "tortuosity_factor"

        /// The unit a value of this quantity is given in.
        public var unit: String {
            switch self {
            case .youngsModulusGPa, .shearModulusGPa: return "GPa"
            case .permeabilityM2: return "m²"
            default: return ""
            }
        }

        /// Whether the quantity comes from the elastic solve (else from the transport solve).
        public var isElastic: Bool { self != .permeabilityM2 && self != .tortuosityFactor }
    }

    public var quantity: Quantity
    /// x, y or z (yz, xz or xy for shear); nil for the mean over the axes.
    public var axis: String?
    /// The denominator axis of a stiffness ratio.
    public var over: String?
    public var value: Double?
    /// Relative half-width around `value` (0.1 = ±10%).
    public var tolerance: Double?
    public var min: Double?
    public var max: Double?

    public static let defaultTolerance = 0.1

    enum CodingKeys: String, CodingKey, CaseIterable {
        case quantity, axis, over, value, tolerance, min, max
    }

    /// Unknown keys and quantities are errors that name the closest known one.
    public init(from decoder: Decoder) throws {
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        let names = CodingKeys.allCases.map(\.rawValue)
        for key in any.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            let hint = closestMatch(to: key.stringValue, in: names).map { "did you mean '\($0)'? " } ?? ""
            throw RecipeError.outOfRange(key: "targets", value: "'\(key.stringValue)'",
                                         rule: "is not a target key: \(hint)keys are " + names.joined(separator: ", "))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        quantity = try Recipe.choice(try c.decode(String.self, forKey: .quantity), key: "targets.quantity")
        axis = try c.decodeIfPresent(String.self, forKey: .axis)?.lowercased()
        over = try c.decodeIfPresent(String.self, forKey: .over)?.lowercased()
        value = try c.decodeIfPresent(Double.self, forKey: .value)
        tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance)
        min = try c.decodeIfPresent(Double.self, forKey: .min)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
    }

    public init(_ quantity: Quantity, axis: String? = nil, over: String? = nil, value: Double? = nil,
                tolerance: Double? = nil, min: Double? = nil, max: Double? = nil) {
        self.quantity = quantity
        self.axis = axis
        self.over = over
        self.value = value
        self.tolerance = tolerance
        self.min = min
        self.max = max
    }

    /// The acceptable range: value ± tolerance, or the window.
    public var range: ClosedRange<Double> {
        if let value {
            let t = tolerance ?? Self.defaultTolerance
            return value * (1 - t)...value * (1 + t)
        }
        return (min ?? 0)...(max ?? .infinity)
    }

    /// The value aimed at when the design is outside the range: the value, or the window's
    /// geometric middle (its open side's edge ×/÷ 1.5 when it has one side only).
    public var aim: Double {
        if let value { return value }
        switch (min, max) {
        case let (lo?, hi?): return (lo * hi).squareRoot()
        case let (lo?, nil): return lo * 1.5
        case let (nil, hi?): return hi / 1.5
        default: return 1
        }
    }

    /// The axis indices this target reads (0, 1, 2), empty for the mean.
    public var axisIndex: Int? {
        guard let axis else { return nil }
        return ["x", "y", "z"].firstIndex(of: axis)
    }

    /// The axis names `axis` may take for this quantity.
    var allowedAxes: [String] {
        switch quantity {
        case .shearModulusGPa: return ["yz", "xz", "xy"]
        case .stiffnessAnisotropy: return []
        default: return ["x", "y", "z"]
        }
    }

    /// A short text for tables and logs: "E_z/E_x = 3 ± 10%", "k ≥ 1e-09 m²".
    public var label: String {
        let symbol: String
        let a = axis.map { "_" + $0 } ?? ""
        switch quantity {
        case .youngsModulusGPa: symbol = "E\(a)"
        case .relativeYoungsModulus: symbol = "E\(a)/E_s"
        case .stiffnessRatio: symbol = "E\(a)/E" + (over.map { "_" + $0 } ?? "_across")
        case .stiffnessAnisotropy: symbol = "E_max/E_min"
        case .shearModulusGPa: symbol = "G\(a)"
        case .permeabilityM2: symbol = "k\(a)"
        case .tortuosityFactor: symbol = "τ\(a)"
        }
        let unit = quantity.unit.isEmpty ? "" : " " + quantity.unit
        if let value {
            return "\(symbol) = \(Self.number(value))\(unit) ± \(Self.number((tolerance ?? Self.defaultTolerance) * 100))%"
        }
        switch (min, max) {
        case let (lo?, hi?): return "\(symbol) in \(Self.number(lo))–\(Self.number(hi))\(unit)"
        case let (lo?, nil): return "\(symbol) ≥ \(Self.number(lo))\(unit)"
        case let (nil, hi?): return "\(symbol) ≤ \(Self.number(hi))\(unit)"
        default: return symbol
        }
    }

    /// Four significant digits, exponent form for very small or large numbers.
    public static func number(_ v: Double) -> String {
        let a = Swift.abs(v)
        if a != 0, a < 1e-3 || a >= 1e5 { return String(format: "%.3g", v) }
        return String(format: "%.4g", v)
    }

    /// Throws a `RecipeError` naming the entry when a target cannot be judged.
    func validate(index: Int) throws {
        let key = "targets[\(index)]"
        func fail(_ rule: String) -> RecipeError {
            RecipeError.outOfRange(key: key, value: label, rule: rule)
        }
        if let axis, !allowedAxes.contains(axis) {
            throw fail(allowedAxes.isEmpty ? "takes no axis" : "needs axis " + allowedAxes.joined(separator: ", ") + " or none (the mean)")
        }
        if let over {
            guard quantity == .stiffnessRatio, ["x", "y", "z"].contains(over), over != axis, axis != nil else {
                throw fail("'over' belongs to a stiffness_ratio with an axis, and names another of x, y, z")
            }
        }
        if quantity == .stiffnessRatio, axis == nil { throw fail("needs the axis that should be stiffer or softer, e.g. axis: z") }
        switch (value, min, max) {
        case let (v?, nil, nil):
            guard v.isFinite, v > 0 else { throw fail("needs a value above 0") }
            let t = tolerance ?? Self.defaultTolerance
            guard t.isFinite, t > 0, t < 1 else { throw fail("needs a tolerance between 0 and 1 (0.1 = ±10%)") }
        case (nil, _, _) where min != nil || max != nil:
            guard tolerance == nil else { throw fail("gives a window; a tolerance belongs to a value") }
            for edge in [min, max].compactMap({ $0 }) where !(edge.isFinite && edge > 0) {
                throw fail("needs window edges above 0")
            }
            if let lo = min, let hi = max, !(lo < hi) { throw fail("needs min below max") }
        default:
            throw fail("needs either a value (with an optional tolerance) or a window min/max, not both")
        }
    }
}
