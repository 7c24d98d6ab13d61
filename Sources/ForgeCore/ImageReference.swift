/// A picture the structure is rebuilt from: its two-point statistics set the field's
/// correlation, in the x–y plane and (extended by the in-plane direction) along z.
public struct ImageReference: Codable, Sendable, Equatable {
    /// Path of the PNG file.
    public var path: String
    /// Physical size of one pixel in mm; nil spans the image across the volume's x extent.
    public var pixelMM: Double?
    /// The dark phase is solid (default: the bright phase).
    public var invert: Bool
    /// How the image is made two-phase: at the recipe's solid fraction, or by Otsu's method.
    public var threshold: Threshold

    public enum Threshold: String, Codable, Sendable {
        case fraction, otsu
    }

    public init(path: String, pixelMM: Double? = nil, invert: Bool = false, threshold: Threshold = .fraction) {
        self.path = path
        self.pixelMM = pixelMM
        self.invert = invert
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey {
        case path, invert, threshold
        case pixelMM = "pixel_mm"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        pixelMM = try c.decodeIfPresent(Double.self, forKey: .pixelMM)
        invert = try c.decodeIfPresent(Bool.self, forKey: .invert) ?? false
        threshold = try c.decodeIfPresent(Threshold.self, forKey: .threshold) ?? .fraction
    }
}
