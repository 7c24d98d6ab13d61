import ForgeCore
import Foundation
import ZIPFoundation

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
                                                to: scratch.appendingPathComponent(Self.fileName(k)))
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
        try AtomicFile.write(to: url) { temporary in
            do {
                let archive = try Archive(url: temporary, accessMode: .create)
                try archive.addEntry(with: "manifest.json", type: .file, uncompressedSize: Int64(manifestData.count),
                                     compressionMethod: .deflate) { position, size in
                    manifestData.subdata(in: Int(position)..<Int(position) + size)
                }
                for k in 0..<layers {
                    try archive.addEntry(with: Self.fileName(k), relativeTo: scratch, compressionMethod: .none)
                }
            } catch {
                throw FormatError.cannotWrite(path: url.path, reason: "\(error)")
            }
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

extension ScalarGrid {
    /// Trilinear value at a point in mm; −1 (void) outside the box.
    public func interpolated(atMM p: SIMD3<Double>) -> Float {
        let extent = extentMM
        guard p.x >= 0, p.y >= 0, p.z >= 0, p.x <= extent.x, p.y <= extent.y, p.z <= extent.z else { return -1 }
        let u = p / voxelSizeMM - 0.5
        func split(_ v: Double, _ n: Int) -> (Int, Int, Float) {
            let c = min(max(v, 0), Double(n - 1))
            let i = min(Int(c), max(n - 2, 0))
            return (i, min(i + 1, n - 1), Float(c - Double(i)))
        }
        let (x0, x1, fx) = split(u.x, size.nx), (y0, y1, fy) = split(u.y, size.ny), (z0, z1, fz) = split(u.z, size.nz)
        func lerp(_ a: Float, _ b: Float, _ t: Float) -> Float { a + (b - a) * t }
        let c00 = lerp(self[x0, y0, z0], self[x1, y0, z0], fx), c10 = lerp(self[x0, y1, z0], self[x1, y1, z0], fx)
        let c01 = lerp(self[x0, y0, z1], self[x1, y0, z1], fx), c11 = lerp(self[x0, y1, z1], self[x1, y1, z1], fx)
        return lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz)
    }
}
