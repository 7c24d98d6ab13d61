import ForgeCore
import Foundation

/// A masked-SLA / DLP printer's layer images: the part resampled at the printer's pixel
/// size and layer height, centred on its screen, zipped with a manifest.
public struct PrinterSliceStack: Sendable, Equatable {
    /// Pixel edge on the build plate, micrometres.
    public var pixelUM: Double
    /// Layer height, micrometres.
    public var layerUM: Double
    /// Screen resolution in pixels (x, y).
    public var resolution: (x: Int, y: Int)
    /// Grey edges from 4 × 4 supersampling instead of hard 0/255.
    public var antiAliased: Bool

    public init(pixelUM: Double, layerUM: Double, resolution: (x: Int, y: Int), antiAliased: Bool = false) {
        self.pixelUM = pixelUM
        self.layerUM = layerUM
        self.resolution = resolution
        self.antiAliased = antiAliased
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.pixelUM == b.pixelUM && a.layerUM == b.layerUM && a.resolution == b.resolution && a.antiAliased == b.antiAliased
    }

    /// Checks that the part fits the printer and the settings make sense.
    public func validate(partMM: SIMD3<Double>) throws {
        guard pixelUM > 0, layerUM > 0, resolution.x > 0, resolution.y > 0 else {
            throw FormatError.printer("pixel size, layer height and resolution must be positive")
        }
        let screen = SIMD2(Double(resolution.x), Double(resolution.y)) * pixelUM / 1000
        guard partMM.x <= screen.x + 1e-9, partMM.y <= screen.y + 1e-9 else {
            throw FormatError.printer(String(format: "the part (%.2f × %.2f mm) does not fit the printer's %.2f × %.2f mm screen; "
                + "use a larger --printer-xy or --printer-pixel-um", partMM.x, partMM.y, screen.x, screen.y))
        }
        guard resolution.x * resolution.y <= 64_000_000 else {
            throw FormatError.printer("printer resolution above 64 megapixels")
        }
    }

    /// Number of layers for a part `heightMM` tall.
    public func layerCount(heightMM: Double) -> Int {
        max(1, Int((heightMM * 1000 / layerUM - 1e-9).rounded(.up)))
    }

    /// Writes `printer_slices.zip` (`0000.png`…, `manifest.json`) for the level set `field`
    /// (solid where > 0) into `url`, atomically.
    public func write(_ field: ScalarGrid, to url: URL, progress: (@Sendable (Double) -> Void)? = nil) throws {
        let part = field.extentMM
        try validate(partMM: part)
        let layers = layerCount(heightMM: part.z)
        let scratch = url.deletingLastPathComponent().appendingPathComponent(".printer-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let failures = FailureBox()
        let done = Counter()
        let settings = self
        parallelForRanges(layers) { range in
            var pixels = [UInt8](repeating: 0, count: settings.resolution.x * settings.resolution.y)
            for k in range where !failures.hasFailed {
                settings.render(layer: k, of: field, into: &pixels)
                do {
                    try pixels.withUnsafeBufferPointer {
                        try PNGCodec.writeGray8($0, width: settings.resolution.x, height: settings.resolution.y,
                                                to: scratch.appendingPathComponent(Self.fileName(k)),
                                                pixelMM: settings.pixelUM / 1000)
                    }
                } catch { failures.record(error) }
                progress?(Double(done.increment()) / Double(layers))
            }
        }
        if let error = failures.first { throw error }
        let manifest: [String: Any] = [
            "pixel_um": pixelUM, "layer_um": layerUM, "layers": layers,
            "resolution": [resolution.x, resolution.y], "anti_aliased": antiAliased,
            "part_mm": [part.x, part.y, part.z], "files": "0000.png … \(Self.fileName(layers - 1))",
        ]
        let manifestData = try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
        // The project's zip writer: every entry dated 1980-01-01 00:00, so one recipe always
        // gives the same bytes.
        try AtomicFile.write(to: url) { temporary in
            let zip = try ZipWriter(path: temporary.path)
            let manifestBytes = [UInt8](manifestData)
            try zip.add("manifest.json", pieces: 1, large: false) { _ in manifestBytes }
            for k in 0..<layers {
                let layer = scratch.appendingPathComponent(Self.fileName(k))
                guard let data = FileManager.default.contents(atPath: layer.path) else {
                    throw FormatError.cannotWrite(path: url.path, reason: "layer \(Self.fileName(k)) could not be read back")
                }
                try zip.add(Self.fileName(k), stored: [UInt8](data))
            }
            try zip.finish()
        }
    }

    public static func fileName(_ k: Int) -> String {
        String(repeating: "0", count: max(0, 4 - String(k).count)) + "\(k).png"
    }

    /// Layer k: pixel (i, j) samples the level set at its centre (trilinear), row 0 at the
    /// largest y; outside the part is void.
    func render(layer k: Int, of field: ScalarGrid, into pixels: inout [UInt8]) {
        let part = field.extentMM
        let pixel = pixelUM / 1000
        let origin = SIMD2((Double(resolution.x) * pixel - part.x) / 2, (Double(resolution.y) * pixel - part.y) / 2)
        let z = (Double(k) + 0.5) * layerUM / 1000
        let samples = antiAliased ? 4 : 1
        for j in 0..<resolution.y {
            for i in 0..<resolution.x {
                var inside = 0
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let x = (Double(i) + (Double(sx) + 0.5) / Double(samples)) * pixel - origin.x
                        let y = (Double(resolution.y - 1 - j) + (Double(sy) + 0.5) / Double(samples)) * pixel - origin.y
                        if field.interpolated(atMM: SIMD3(x, y, z)) > 0 { inside += 1 }
                    }
                }
                pixels[i + resolution.x * j] = UInt8(255 * inside / (samples * samples))
            }
        }
    }
}
