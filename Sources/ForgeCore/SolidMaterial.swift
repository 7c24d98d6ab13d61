/// The isotropic linear-elastic material a design is printed in (the pores are empty).
///
/// Recipe key `material`: a preset name (`SolidMaterial.presets`) or a mapping
/// `{name, youngs_modulus_gpa, poisson_ratio}`. Young's modulus E in GPa, E > 0; Poisson's
/// ratio ν in (−1, 0.5), the range where the material is stable and compressible.
public struct SolidMaterial: Sendable, Equatable, Codable {
    public var name: String
    public var youngsModulusGPa: Double
    public var poissonRatio: Double

    enum CodingKeys: String, CodingKey {
        case name
        case youngsModulusGPa = "youngs_modulus_gpa"
        case poissonRatio = "poisson_ratio"
    }

    public init(name: String, youngsModulusGPa: Double, poissonRatio: Double) {
        self.name = name
        self.youngsModulusGPa = youngsModulusGPa
        self.poissonRatio = poissonRatio
    }

    /// Lamé's first parameter λ = Eν / ((1 + ν)(1 − 2ν)), GPa.
    public var lambdaGPa: Double {
        youngsModulusGPa * poissonRatio / ((1 + poissonRatio) * (1 - 2 * poissonRatio))
    }

    /// Shear modulus μ = E / (2(1 + ν)), GPa.
    public var shearModulusGPa: Double { youngsModulusGPa / (2 * (1 + poissonRatio)) }

    /// Bulk modulus K = E / (3(1 − 2ν)), GPa.
    public var bulkModulusGPa: Double { youngsModulusGPa / (3 * (1 - 2 * poissonRatio)) }

    /// Throws a `RecipeError` naming the key when E or ν is outside its range.
    public func validate() throws {
        guard youngsModulusGPa.isFinite, youngsModulusGPa > 0, youngsModulusGPa <= 10_000 else {
            throw RecipeError.outOfRange(key: "material.youngs_modulus_gpa", value: "\(youngsModulusGPa)",
                                         rule: "must be a Young's modulus in GPa above 0 (resin ≈ 2.8, Ti-6Al-4V ≈ 114)")
        }
        guard poissonRatio.isFinite, poissonRatio > -1, poissonRatio < 0.5 else {
            throw RecipeError.outOfRange(key: "material.poisson_ratio", value: "\(poissonRatio)",
                                         rule: "must lie strictly between -1 and 0.5 (most solids: 0.25–0.4)")
        }
        guard !name.isEmpty, name.count <= 80 else {
            throw RecipeError.outOfRange(key: "material.name", value: "\"\(name.prefix(20))…\"",
                                         rule: "must be 1 to 80 characters")
        }
    }

    /// The default: a typical photopolymer resin.
    public static let resin = SolidMaterial(name: "resin", youngsModulusGPa: 2.8, poissonRatio: 0.35)

    /// Presets with their sources (room temperature, as printed or wrought):
    /// - `resin`: a standard SLA photopolymer, E = 2.8 GPa (Formlabs Clear Resin V4 datasheet,
    ///   tensile modulus after post-cure); ν = 0.35, typical of cured acrylates.
    /// - `pla`: E = 3.5 GPa (NatureWorks Ingeo 4043D datasheet, tensile modulus), ν = 0.36.
    /// - `pa12`: nylon 12, laser-sintered, E = 1.65 GPa (EOS PA 2200 datasheet, tensile
    ///   modulus), ν = 0.39.
    /// - `ti64`: Ti-6Al-4V (grade 5), E = 113.8 GPa, ν = 0.342 (ASM Handbook vol. 2, titanium alloys).
    /// - `ss316l`: 316L stainless steel, E = 193 GPa, ν = 0.30 (ASM Handbook vol. 1, wrought
    ///   austenitic stainless steels).
    public static let presets: [SolidMaterial] = [
        resin,
        SolidMaterial(name: "pla", youngsModulusGPa: 3.5, poissonRatio: 0.36),
        SolidMaterial(name: "pa12", youngsModulusGPa: 1.65, poissonRatio: 0.39),
        SolidMaterial(name: "ti64", youngsModulusGPa: 113.8, poissonRatio: 0.342),
        SolidMaterial(name: "ss316l", youngsModulusGPa: 193, poissonRatio: 0.30),
    ]

    /// Other names users write for the presets.
    public static let aliases: [String: String] = [
        "photopolymer": "resin", "sla_resin": "resin", "standard_resin": "resin",
        "nylon": "pa12", "nylon12": "pa12", "nylon_12": "pa12", "pa_12": "pa12", "pa2200": "pa12",
        "ti_6al_4v": "ti64", "ti6al4v": "ti64", "titanium": "ti64", "ti_64": "ti64",
        "316l": "ss316l", "ss_316l": "ss316l", "steel": "ss316l", "stainless_steel": "ss316l",
        "316l_steel": "ss316l", "polylactide": "pla",
    ]

    /// The preset called `text` (case, spaces and hyphens ignored), or nil.
    public static func preset(named text: String) -> SolidMaterial? {
        let key = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        let name = aliases[key] ?? key
        return presets.first { $0.name == name }
    }

    /// Decodes a preset name or a mapping; a mapping's missing name reads "custom".
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            guard let preset = Self.preset(named: text) else {
                let names = Self.presets.map(\.name)
                throw RecipeError.unknownChoice(key: "material", value: text, known: names,
                                                suggestion: closestMatch(to: text.lowercased(), in: names))
            }
            self = preset
            return
        }
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in c.allKeys where CodingKeys(stringValue: key.stringValue) == nil {
            throw RecipeError.outOfRange(key: "material", value: "{\(key.stringValue): …}",
                                         rule: "has an unknown key: write a preset name or {name, youngs_modulus_gpa, poisson_ratio}")
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        name = try keyed.decodeIfPresent(String.self, forKey: .name) ?? "custom"
        guard let e = try? keyed.decode(Double.self, forKey: .youngsModulusGPa) else {
            throw RecipeError.wrongType(key: "material.youngs_modulus_gpa", expected: "a number (GPa)")
        }
        guard let nu = try? keyed.decode(Double.self, forKey: .poissonRatio) else {
            throw RecipeError.wrongType(key: "material.poisson_ratio", expected: "a number between -1 and 0.5")
        }
        youngsModulusGPa = e
        poissonRatio = nu
    }
}
