/// The measured numbers a critic judges a design by.
public struct DesignMeasures: Codable, Sendable, Equatable {
    public var solidFraction: Double
    public var characteristicLengthMM: Double
    public var correlationLengthsMM: [Double]
    public var anisotropyRatio: Double
    public var layerSolidFractions: [Double]?
    public var solidBodies: Int
    public var enclosedVoids: Int
    public var solidThicknessP5MM: Double?
    public var poreThicknessP5MM: Double?
    public var watertight: Bool?
    public var printable: Bool
    public var printabilityReasons: [String]
    /// A lattice's cell read from the spectrum (characteristic length × the family's cell
    /// per leading period), mm; nil for other families.
    public var latticeCellMM: Double?
    /// What the structure does (stiffness, flow), when its properties were computed.
    public var properties: PropertyMeasures?

    public init(solidFraction: Double, characteristicLengthMM: Double, correlationLengthsMM: [Double],
                anisotropyRatio: Double, layerSolidFractions: [Double]?, solidBodies: Int, enclosedVoids: Int,
                solidThicknessP5MM: Double?, poreThicknessP5MM: Double?, watertight: Bool?, printable: Bool,
                printabilityReasons: [String]) {
        self.solidFraction = solidFraction
        self.characteristicLengthMM = characteristicLengthMM
        self.correlationLengthsMM = correlationLengthsMM
        self.anisotropyRatio = anisotropyRatio
        self.layerSolidFractions = layerSolidFractions
        self.solidBodies = solidBodies
        self.enclosedVoids = enclosedVoids
        self.solidThicknessP5MM = solidThicknessP5MM
        self.poreThicknessP5MM = poreThicknessP5MM
        self.watertight = watertight
        self.printable = printable
        self.printabilityReasons = printabilityReasons
    }

    enum CodingKeys: String, CodingKey {
        case solidFraction = "solid_fraction"
        case characteristicLengthMM = "characteristic_length_mm"
        case correlationLengthsMM = "correlation_lengths_mm"
        case anisotropyRatio = "anisotropy_ratio"
        case layerSolidFractions = "layer_solid_fractions"
        case solidBodies = "solid_bodies"
        case enclosedVoids = "enclosed_voids"
        case solidThicknessP5MM = "solid_thickness_p5_mm"
        case poreThicknessP5MM = "pore_thickness_p5_mm"
        case watertight
        case printable
        case printabilityReasons = "printability_reasons"
        case latticeCellMM = "lattice_cell_mm"
        case properties
    }
}
