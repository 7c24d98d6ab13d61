import ForgeCore
import ForgeFormats
import ForgeMetrics
import ForgeMorphology
import ForgeSynthesis
import Foundation

/// A picture made two-phase and measured: what `generate --image` rebuilds.
public struct ImageAnalysis: Sendable {
    /// The image width and height in pixels after resampling.
    public let width: Int
    public let height: Int
    /// 1 = solid, x fastest, y up: row 0 is the bottom of the picture (as in slices).
    public let solid: [UInt8]
    /// mm per pixel.
    public let pixelMM: Double
    /// Solid fraction of the two-phase image.
    public let fraction: Double
    /// How many source pixels make one analysed pixel along each axis.
    public let resampling: Int
    public let statistics: PlanarTwoPoint

    /// Images are analysed at most this many pixels on their longer side.
    public static let maximumSide = 512
    public static let minimumSide = 32

    /// Reads `reference.path` (PNG, 8/16-bit, gray or colour → luminance), resamples it
    /// to at most `maximumSide` pixels, makes it two-phase — at `fraction` when given,
    /// else by Otsu's method; bright is solid unless `invert` — and measures it.
    /// `extentMM` (the volume's x extent) sets the pixel size when the reference has none.
    public init(_ reference: ImageReference, fraction: Double?, extentMM: Double) throws {
        let url = URL(fileURLWithPath: reference.path)
        guard !reference.path.isEmpty else { throw ImageError.unreadable(path: "\"\"", reason: "the path is empty") }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ImageError.unreadable(path: url.path, reason: "no such file")
        }
        do { try InputFile.requireRegular(url) } catch { throw ImageError.unreadable(path: url.path, reason: "\(error)") }
        let head = (try? InputFile.head(url, bytes: 8)) ?? Data()
        guard head == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw ImageError.notPNG(path: url.path)
        }
        let image: GrayImage
        do { image = try PNGCodec.read(url) } catch { throw ImageError.unreadable(path: url.path, reason: "\(error)") }
        guard image.width >= Self.minimumSide, image.height >= Self.minimumSide else {
            throw ImageError.tooSmall(path: url.path, width: image.width, height: image.height)
        }
        let top = Float(image.bitDepth == 16 ? 65535 : 255)
        // Box-filter down to at most `maximumSide` pixels on the longer side.
        let factor = max(1, (max(image.width, image.height) + Self.maximumSide - 1) / Self.maximumSide)
        let w = image.width / factor, h = image.height / factor
        guard min(w, h) >= Self.minimumSide / 4 else {
            throw ImageError.tooElongated(path: url.path, width: image.width, height: image.height)
        }
        var luminance = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var sum: Float = 0
                for sy in (y * factor)..<(y * factor + factor) {
                    for sx in (x * factor)..<(x * factor + factor) { sum += Float(image.pixels[sy * image.width + sx]) }
                }
                luminance[(h - 1 - y) * w + x] = sum / Float(factor * factor) / top
            }
        }
        if reference.invert { for i in luminance.indices { luminance[i] = 1 - luminance[i] } }
        let mean = luminance.reduce(0, +) / Float(luminance.count)
        let spread = (luminance.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(luminance.count)).squareRoot()
        guard spread >= 0.02 else { throw ImageError.lowContrast(path: url.path, spread: Double(spread)) }

        // A picture with few grey levels (an already segmented micrograph) cannot be cut at
        // an arbitrary fraction: ties are broken by a light blur (σ = 1 pixel) first.
        if fraction != nil, reference.threshold == .fraction, Set(luminance.prefix(65536)).count < 16 {
            luminance = Self.blurred(luminance, width: w, height: h)
        }
        var grid = ScalarGrid(size: GridSize(nx: w, ny: h, nz: 1), voxelSizeMM: 1, values: luminance)
        if let fraction, reference.threshold == .fraction {
            _ = grid.threshold(toSolidFraction: fraction)
        } else {
            let t = OtsuThreshold.level(of: luminance)
            for i in grid.values.indices { grid.values[i] -= t }
        }
        solid = grid.values.map { $0 > 0 ? 1 : 0 }
        let count = solid.reduce(0) { $0 + Int($1) }
        guard count > 0, count < solid.count else { throw ImageError.lowContrast(path: url.path, spread: Double(spread)) }
        width = w
        height = h
        resampling = factor
        self.fraction = Double(count) / Double(solid.count)
        pixelMM = reference.pixelMM.map { $0 * Double(factor) } ?? extentMM / Double(w)
        statistics = try PlanarTwoPoint(solid: solid, width: w, height: h)
    }

    /// A separable Gaussian blur with σ = 1 pixel (edges clamped).
    static func blurred(_ values: [Float], width w: Int, height h: Int) -> [Float] {
        let kernel: [Float] = (-3...3).map { exp(-Float($0 * $0) / 2) }
        let norm = kernel.reduce(0, +)
        var rows = [Float](repeating: 0, count: values.count), out = rows
        for y in 0..<h {
            for x in 0..<w {
                var sum: Float = 0
                for k in -3...3 { sum += kernel[k + 3] * values[y * w + min(max(x + k, 0), w - 1)] }
                rows[y * w + x] = sum / norm
            }
        }
        for y in 0..<h {
            for x in 0..<w {
                var sum: Float = 0
                for k in -3...3 { sum += kernel[k + 3] * rows[min(max(y + k, 0), h - 1) * w + x] }
                out[y * w + x] = sum / norm
            }
        }
        return out
    }

    /// The correlation a Gaussian field needs for its cut at `fraction` to have this image's
    /// two-point statistics.
    public func correlationMap() -> PlanarCorrelationMap {
        let cut = LevelCutCorrelation(fraction: fraction)
        let s = statistics
        let values = s.s2.map { cut.correlation(twoPoint: $0) }
        return PlanarCorrelationMap(values: values, radiusX: s.radiusX, radiusY: s.radiusY, pixelMM: pixelMM)
    }

    /// In-plane correlation lengths (mm) along x and y, and the anisotropy of the image.
    public var summary: ImageStatistics {
        ImageStatistics(statistics, pixelMM: pixelMM, width: width, height: height)
    }

    /// The two-phase image as 8-bit gray (solid white), top row first like the picture.
    public var binarised: GrayImage {
        var pixels = [UInt16](repeating: 0, count: solid.count)
        for y in 0..<height {
            for x in 0..<width where solid[y * width + x] == 1 { pixels[(height - 1 - y) * width + x] = 255 }
        }
        return GrayImage(width: width, height: height, bitDepth: 8, pixels: pixels)
    }
}

/// What was measured on an image (or on the x–y sections of a structure), for metrics.json.
public struct ImageStatistics: Codable, Sendable, Equatable {
    public var fraction: Double
    public var pixelMM: Double
    public var widthPixels: Int
    public var heightPixels: Int
    /// Where the normalised S₂ first falls below 1/e along x and along y.
    public var correlationLengthsMM: [Double]
    /// Long axis of the central correlation lobe, degrees from +x.
    public var anisotropyAngleDeg: Double
    /// Long over short extent of that lobe.
    public var anisotropyRatio: Double

    /// The measures of `s`, taken on an image of `width` × `height` pixels of `pixelMM`.
    init(_ s: PlanarTwoPoint, pixelMM: Double, width: Int, height: Int) {
        let lengths = s.correlationLengthsPixels, a = s.anisotropy
        fraction = s.fraction
        self.pixelMM = pixelMM
        widthPixels = width
        heightPixels = height
        correlationLengthsMM = [lengths.x * pixelMM, lengths.y * pixelMM]
        anisotropyAngleDeg = a.angleDeg
        anisotropyRatio = a.ratio
    }

    enum CodingKeys: String, CodingKey {
        case fraction
        case pixelMM = "pixel_mm"
        case widthPixels = "width_px"
        case heightPixels = "height_px"
        case correlationLengthsMM = "correlation_lengths_mm"
        case anisotropyAngleDeg = "anisotropy_angle_deg"
        case anisotropyRatio = "anisotropy_ratio"
    }
}

public enum ImageError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notPNG(path: String)
    case tooSmall(path: String, width: Int, height: Int)
    case lowContrast(path: String, spread: Double)
    case tooElongated(path: String, width: Int, height: Int)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read image \(path): \(reason)"
        case let .notPNG(path):
            return "\(path) is not a PNG file; convert it first, e.g. `convert in.jpg out.png` (ImageMagick) "
                + "or `python3 -c \"from PIL import Image; Image.open('in.tif').save('out.png')\"`"
        case let .tooSmall(path, width, height):
            return "image \(path) is \(width)×\(height) pixels; it needs at least \(ImageAnalysis.minimumSide) on each side"
        case let .tooElongated(path, width, height):
            return "image \(path) is \(width)×\(height) pixels: scaled to \(ImageAnalysis.maximumSide) pixels on its long side, "
                + "its short side would be under \(ImageAnalysis.minimumSide / 4); crop it nearer to square"
        case let .lowContrast(path, spread):
            return String(format: "image %@ has too little contrast (luminance spread %.3f) to tell two phases apart; "
                + "use a picture with distinct phases", path, spread)
        }
    }
}
