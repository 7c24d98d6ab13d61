import ForgeCore
import Foundation

/// Changes named recipe parameters from model replies and critiques, keeping every value
/// inside its bounds: an out-of-range value is clamped with a warning, an unknown
/// parameter or a value of the wrong type is reported and ignored.
public enum RecipeAdjuster {
    /// A new value: absolute, or a relative change ("-10%" → ×0.9; "+0.05" → +0.05).
    public enum Change: Sendable, Equatable {
        case set(ParameterValue)
        case scale(Double)
        case add(Double)
    }

    /// Parameters a reply or critique may change.
    public static let parameters = ["family", "mode", "solid_fraction", "wavelength_mm", "bandwidth", "extent_mm",
                                    "min_feature_mm", "axis", "cone_angle_deg", "cone_angles_deg", "cone_angle_x_deg", "cone_angle_y_deg", "cone_angle_z_deg",
                                    "beta", "printer_resolution_mm", "seed"]

    /// The spinodoid's per-axis cone parameters, x, y, z.
    public static let coneParameters = ["cone_angle_x_deg", "cone_angle_y_deg", "cone_angle_z_deg"]

    /// Parameters the user fixes: the part's size, the printer it is judged for and the
    /// seed. A critique changes them only when the user allows it (`--allow-adjust`).
    public static let userParameters = ["extent_mm", "printer_resolution_mm", "seed"]

    /// Parameters of the design itself, which a critique may always change.
    public static let designParameters = parameters.filter { !userParameters.contains($0) }

    /// The numeric bounds of `parameter` for `recipe` (some depend on its extent and size).
    public static func bounds(_ parameter: String, for recipe: Recipe) -> ClosedRange<Double>? {
        switch parameter {
        case "solid_fraction": return 0.05...0.95
        case "wavelength_mm": return (4 * recipe.voxelSizeMM)...recipe.extentMM
        case "bandwidth": return Recipe.Limits.bandwidth
        case "extent_mm": return 0.5...1000
        case "min_feature_mm": return 0...(recipe.extentMM / 4)
        case "cone_angle_deg": return 15...90
        case "cone_angle_x_deg", "cone_angle_y_deg", "cone_angle_z_deg": return 0...90
        case "beta": return 0...6
        case "printer_resolution_mm": return 0.005...5
        case "seed": return 0...Double(UInt32.max)
        default: return nil
        }
    }

    /// Parses a relative change: "-10%", "+15 %", "+0.05", "-0.1".
    public static func parseChange(_ text: String) -> Change? {
        let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        if t.hasSuffix("%"), let p = Double(t.dropLast()) { return .scale(1 + p / 100) }
        if let d = Double(t) { return .add(d) }
        return nil
    }

    /// Applies `change` to `parameter` of `recipe`. Returns a note for the log ("solid_fraction
    /// 0.5 → 0.3") or throws a reason the change was ignored; clamping adds a warning.
    @discardableResult
    public static func apply(_ parameter: String, _ change: Change, to recipe: inout Recipe,
                             warnings: inout [String]) throws(AdjustmentRejected) -> String {
        let key = parameter.lowercased().replacingOccurrences(of: " ", with: "_")
        guard parameters.contains(key) else {
            throw AdjustmentRejected(reason: "unknown parameter '\(parameter)' ignored (known: \(parameters.joined(separator: ", ")))")
        }
        switch key {
        case "cone_angles_deg":
            return try setCones(change, in: &recipe, warnings: &warnings)
        case "family", "mode", "axis":
            guard case .set(.text(let text)) = change else {
                throw AdjustmentRejected(reason: "\(key) needs a name, not \(change)")
            }
            return try setName(key, text, in: &recipe)
        default:
            let old = number(key, of: recipe)
            var value: Double
            switch change {
            case .set(.number(let v)): value = v
            case .set(.text(let text)):
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if key == "solid_fraction", trimmed.hasSuffix("%"), let p = Double(trimmed.dropLast()) {
                    value = p / 100
                } else if let v = Double(trimmed) {
                    value = v
                } else {
                    throw AdjustmentRejected(reason: "\(key) needs a number, not \"\(text)\"")
                }
            case .scale(let f): value = old * f
            case .add(let d): value = old + d
            }
            guard value.isFinite else { throw AdjustmentRejected(reason: "\(key) got a value that is not finite") }
            // A whole number of percent ("30" for 30%), as models often answer; 1.5 is not one.
            if key == "solid_fraction", value >= 2, value <= 98, value == value.rounded() { value /= 100 }
            let range = bounds(key, for: recipe)!
            let clamped = min(max(value, range.lowerBound), range.upperBound)
            if clamped != value {
                warnings.append(String(format: "%@ %.4g is outside %.4g…%.4g; clamped to %.4g", key, value,
                                       range.lowerBound, range.upperBound, clamped))
            }
            setNumber(key, clamped, in: &recipe)
            return String(format: "%@ %.4g → %.4g", key, old, number(key, of: recipe))
        }
    }

    static func number(_ key: String, of r: Recipe) -> Double {
        switch key {
        case "solid_fraction": return r.solidFraction
        case "wavelength_mm": return r.wavelengthMM
        case "bandwidth": return r.bandwidth
        case "extent_mm": return r.extentMM
        case "min_feature_mm": return r.minFeatureMM
        case "cone_angle_deg": return r.coneAngleDeg
        case "cone_angle_x_deg", "cone_angle_y_deg", "cone_angle_z_deg":
            return coneParameters.firstIndex(of: key).map { r.coneAnglesDeg[$0] } ?? .nan
        case "beta": return r.beta
        case "printer_resolution_mm": return r.printerResolutionMM
        case "seed": return Double(r.seed)
        default: return .nan
        }
    }

    /// The value of `key` in `r`, as written in notes and records.
    static func valueText(_ key: String, of r: Recipe) -> String {
        switch key {
        case "family": return r.family.rawValue
        case "cone_angles_deg": return r.coneAnglesDeg.map(format).joined(separator: ", ")
        case "mode": return r.mode.rawValue
        case "axis": return r.axis.rawValue
        default: return String(format: "%.4g", number(key, of: r))
        }
    }

    /// Whether `key` is the same in `a` and `b` (numbers to within 0.1%).
    static func sameValue(_ key: String, _ a: Recipe, _ b: Recipe) -> Bool {
        switch key {
        case "family", "mode", "axis": return valueText(key, of: a) == valueText(key, of: b)
        case "cone_angles_deg": return a.coneAnglesDeg == b.coneAnglesDeg
        default:
            let x = number(key, of: a), y = number(key, of: b)
            return abs(x - y) <= 1e-3 * max(abs(x), abs(y))
        }
    }

    static func setNumber(_ key: String, _ v: Double, in r: inout Recipe) {
        switch key {
        case "solid_fraction": r.solidFraction = v
        case "wavelength_mm": r.wavelengthMM = v
        case "bandwidth": r.bandwidth = v
        case "extent_mm":
            r.extentMM = v
            // Keep the wavelength representable at the new voxel size.
            r.wavelengthMM = min(max(r.wavelengthMM, 4 * r.voxelSizeMM), v)
        case "min_feature_mm": r.minFeatureMM = v
        case "cone_angle_deg": r.coneAngleDeg = v
        case "cone_angle_x_deg", "cone_angle_y_deg", "cone_angle_z_deg":
            // A spinodoid cone is off (0) or 15–90 degrees wide.
            if let i = coneParameters.firstIndex(of: key) { r.coneAnglesDeg[i] = v < 7.5 ? 0 : max(15, v) }
        case "beta": r.beta = v
        case "printer_resolution_mm": r.printerResolutionMM = v
        case "seed": r.seed = UInt64(v.rounded())
        default: break
        }
    }

    /// The spinodoid's three cones from "θx, θy, θz" (or "[θx, θy, θz]"), or one number for
    /// all three; each is snapped to 0 or 15–90 degrees.
    static func setCones(_ change: Change, in r: inout Recipe, warnings: inout [String]) throws(AdjustmentRejected) -> String {
        let old = r.coneAnglesDeg
        var angles: [Double]
        switch change {
        case .set(.number(let v)): angles = [v, v, v]
        case .set(.text(let text)):
            let parts = text.split(whereSeparator: { ",; []()".contains($0) })
            let values = parts.compactMap { Double($0) }
            guard parts.count == 3, values.count == 3 else {
                throw AdjustmentRejected(reason: "cone_angles_deg needs three angles such as \"30, 30, 0\", not \"\(text)\"")
            }
            angles = values
        case .scale(let f): angles = old.map { $0 * f }
        case .add(let d): angles = old.map { $0 == 0 ? 0 : $0 + d }
        }
        guard angles.allSatisfy(\.isFinite) else { throw AdjustmentRejected(reason: "cone_angles_deg got a value that is not finite") }
        let snapped = angles.map { min(90, $0 < 7.5 ? 0 : max(15, $0)) }
        guard snapped.contains(where: { $0 > 0 }) else {
            throw AdjustmentRejected(reason: "cone_angles_deg needs at least one cone above 0")
        }
        if snapped != angles {
            warnings.append("cone_angles_deg \(angles.map(format)) is outside 0 or 15…90; set to \(snapped.map(format))")
        }
        r.coneAnglesDeg = snapped
        return "cone_angles_deg \(old.map(format)) → \(snapped.map(format))"
    }

    private static func format(_ v: Double) -> String { String(format: "%.4g", v) }

    static func setName(_ key: String, _ text: String, in r: inout Recipe) throws(AdjustmentRejected) -> String {
        let name = text.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        switch key {
        case "family":
            guard let f = StructureFamily(rawValue: name) else {
                throw AdjustmentRejected(reason: "family '\(text)' is not one of "
                    + StructureFamily.allCases.map(\.rawValue).joined(separator: ", "))
            }
            defer { r.family = f }
            return "family \(r.family.rawValue) → \(f.rawValue)"
        case "mode":
            guard let m = PhaseMode(rawValue: name) else {
                throw AdjustmentRejected(reason: "mode '\(text)' is not network or sheet")
            }
            defer { r.mode = m }
            return "mode \(r.mode.rawValue) → \(m.rawValue)"
        default:
            guard let a = Axis(rawValue: name) else { throw AdjustmentRejected(reason: "axis '\(text)' is not x, y or z") }
            defer { r.axis = a }
            return "axis \(r.axis.rawValue) → \(a.rawValue)"
        }
    }
}

/// Why one adjustment was not applied.
public struct AdjustmentRejected: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

extension ParameterValue {
    /// From a JSONSerialization value (numbers, strings; booleans are not values).
    public init?(json: Any) {
        if let s = json as? String {
            self = .text(s)
        } else if let n = json as? NSNumber, !String(describing: type(of: n)).contains("Boolean") {
            self = .number(n.doubleValue)
        } else {
            return nil
        }
    }
}
