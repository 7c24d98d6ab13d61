import CephaloForge
import Foundation
import Testing

@Suite("Designs rebuilt from a picture", .serialized)
struct ImageDesignTests {
    /// A two-phase 256² test picture (solid white) written to a PNG; returns its path.
    static func picture(_ name: String, _ solid: (Int, Int) -> Bool) throws -> URL {
        let n = 256
        var pixels = [UInt16](repeating: 0, count: n * n)
        for y in 0..<n { for x in 0..<n where solid(x, y) { pixels[(n - 1 - y) * n + x] = 255 } }
        let url = TestSupport.temporaryFolder().appendingPathComponent(name + ".png")
        try PNGCodec.write(GrayImage(width: n, height: n, bitDepth: 8, pixels: pixels), to: url)
        return url
    }

    /// The level cut of a 2D field made from a recipe (no cleanup): a pure two-phase texture.
    static func fieldPicture(_ prompt: String, fraction: Double, rotateDeg: Double = 0) throws -> URL {
        var recipe = try LocalDescriber().describe(prompt).recipe
        recipe.size = GridSize(nx: 256, ny: 256, nz: 1)
        var g = try FieldSynthesis.field(for: recipe)
        _ = g.threshold(toSolidFraction: fraction)
        return try picture(LocalDescriber.slug(prompt)) { g[$0, $1, 0] > 0 }
    }

    static func design(_ image: URL, prompt: String, size: Int = 96, pixelMM: Double? = nil) throws -> DesignMetrics {
        let folder = TestSupport.temporaryFolder()
        var request = RecipeRequest(prompt: prompt, size: GridSize(cube: size))
        request.image = ImageReference(path: image.path, pixelMM: pixelMM)
        let resolved = try RecipeResolver.resolve(request)
        var options = DesignOptions(maxTriangles: 0)
        options.images = ImageOptions(enabled: false)
        return try DesignGenerator.generate(resolved.recipe, into: OutputLayout(folder: folder), options: options).metrics
    }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a / b - 1) }

    @Test("an isotropic spinodal and a blob picture: fraction exact, in-plane lengths within 20%, aspect kept",
          arguments: ["spinodal, wavelength 2 mm, 10 mm", "blob particles, wavelength 2.4 mm, 10 mm"])
    func isotropic(prompt: String) throws {
        let image = try Self.fieldPicture(prompt, fraction: 0.4)
        let m = try Self.design(image, prompt: "40% solid, 10 mm cube")
        let match = try #require(m.image)
        #expect(abs(m.solidFraction - 0.4) < 0.005)
        for axis in 0..<2 {
            #expect(Self.relative(match.generated.correlationLengthsMM[axis], match.image.correlationLengthsMM[axis]) < 0.2,
                    "axis \(axis): \(match.generated.correlationLengthsMM) vs \(match.image.correlationLengthsMM)")
        }
        // Near-isotropic pictures stay so: the lobe's aspect matches the picture's.
        #expect(Self.relative(match.generated.anisotropyRatio, match.image.anisotropyRatio) < 0.25,
                "\(match.image.anisotropyRatio) \(match.generated.anisotropyRatio) \(match.generated.correlationLengthsMM) vs \(match.image.correlationLengthsMM)")
    }

    @Test("lamellae at 30°: the structure keeps their direction and strength")
    func lamellar() throws {
        // Stripes of period 24 px across the direction 30° + 90°, their phase wandering slowly.
        let angle = 30.0 * .pi / 180
        var recipe = try LocalDescriber().describe("blob, wavelength 4 mm, 10 mm").recipe
        recipe.size = GridSize(nx: 256, ny: 256, nz: 1)
        let wander = try FieldSynthesis.field(for: recipe)
        let image = try Self.picture("lamellae") { x, y in
            let across = -Double(x) * sin(angle) + Double(y) * cos(angle)
            return sin(2 * .pi * across / 24 + 1.2 * Double(wander[x, y, 0])) > 0
        }
        let m = try Self.design(image, prompt: "50% solid, 10 mm cube")
        let match = try #require(m.image)
        #expect(abs(m.solidFraction - 0.5) < 0.005)
        #expect(abs(match.image.anisotropyAngleDeg - 30) < 8, "image angle \(match.image.anisotropyAngleDeg)")
        #expect(abs(match.generated.anisotropyAngleDeg - match.image.anisotropyAngleDeg) < 10,
                "angles \(match.generated.anisotropyAngleDeg) vs \(match.image.anisotropyAngleDeg)")
        #expect(match.image.anisotropyRatio > 2)
        #expect(Self.relative(match.generated.anisotropyRatio, match.image.anisotropyRatio) < 0.25,
                "ratios \(match.generated.anisotropyRatio) vs \(match.image.anisotropyRatio)")
    }

    @Test("with the pixel size set, lengths are right in millimetres")
    func pixelSize() throws {
        let image = try Self.fieldPicture("spinodal, wavelength 1 mm, 10 mm", fraction: 0.35)
        // 256 px of 0.02 mm: the picture covers 5.12 mm of a 10 mm volume.
        let m = try Self.design(image, prompt: "35% solid, 10 mm cube", size: 128, pixelMM: 0.02)
        // (128 voxels of 0.078 mm resolve the 0.11 mm lengths; 96 would not.)
        let match = try #require(m.image)
        #expect(abs(match.image.pixelMM - 0.02) < 1e-12)
        let expected = match.image.correlationLengthsMM.reduce(0, +) / 2
        // The picture's own lengths are about 0.22 mm at 0.039 mm per pixel, so half at 0.02.
        #expect(expected > 0.08 && expected < 0.15, "\(expected)")
        for axis in 0..<2 {
            #expect(Self.relative(match.generated.correlationLengthsMM[axis], match.image.correlationLengthsMM[axis]) < 0.2,
                    "\(match.generated.correlationLengthsMM) vs \(match.image.correlationLengthsMM)")
        }
    }

    @Test("a real photograph (CC0 gravel, Fixtures/gravel.png) gives its fraction and in-plane lengths within 20%")
    func photograph() throws {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        folder.appendPathComponent("Fixtures/gravel.png")
        let m = try Self.design(folder, prompt: "40% solid, 10 mm cube", size: 96)
        let match = try #require(m.image)
        #expect(abs(m.solidFraction - 0.4) < 0.005)
        for axis in 0..<2 {
            #expect(Self.relative(match.generated.correlationLengthsMM[axis], match.image.correlationLengthsMM[axis]) < 0.2,
                    "\(match.generated.correlationLengthsMM) vs \(match.image.correlationLengthsMM)")
        }
    }

    @Test("a large picture is resampled to at most 512 pixels, its pixel size scaled to match")
    func resampling() throws {
        // 1100 × 700 stripes of period 33 px: after resampling by 3, period 11 px.
        let w = 1100, h = 700
        var pixels = [UInt16](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w where (x / 11) % 3 == 0 { pixels[y * w + x] = 255 } }
        let url = TestSupport.temporaryFolder().appendingPathComponent("large.png")
        try PNGCodec.write(GrayImage(width: w, height: h, bitDepth: 8, pixels: pixels), to: url)
        let a = try ImageAnalysis(ImageReference(path: url.path, pixelMM: 0.01), fraction: nil, extentMM: 10)
        #expect(a.resampling == 3 && a.width == 366 && a.height == 233)
        #expect(abs(a.pixelMM - 0.03) < 1e-12)
        // Otsu splits the two levels (pixels straddling an edge count once); the stripes keep
        // their period in mm: S₂ along x peaks again first at 11 px = 0.33 mm.
        #expect(abs(a.fraction - 1.0 / 3) < 0.05)
        let s = a.statistics
        let period = (6...16).max { s.value(dx: $0, dy: 0) < s.value(dx: $1, dy: 0) }!
        #expect(abs(Double(period) * a.pixelMM - 0.33) < 0.04, "period \(period) px")
    }

    @Test("bad pictures get clear errors", arguments: [("tiny", "at least 32"), ("flat", "too little contrast"), ("jpeg", "not a PNG")])
    func refusals(kind: String, message: String) throws {
        let folder = TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("\(kind).png")
        switch kind {
        case "tiny": try PNGCodec.write(GrayImage(width: 16, height: 16, bitDepth: 8, pixels: (0..<256).map { UInt16($0 % 2 * 255) }), to: url)
        case "flat": try PNGCodec.write(GrayImage(width: 64, height: 64, bitDepth: 8, pixels: [UInt16](repeating: 128, count: 4096)), to: url)
        default: try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46]).write(to: url)
        }
        #expect { try Self.design(url, prompt: "40% solid") } throws: { "\($0)".contains(message) }
    }
}

@Suite("Pictures through Cephalo", .serialized)
struct ImageCephaloTests {
    @Test("the picture reaches Cephalo as a PNG data URL; the reply's kind merges with the picture's numbers")
    func pictureToCephalo() throws {
        var fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        fixture.appendPathComponent("Fixtures/gravel.png")
        let reply = """
            This micrograph shows packed angular particles, like a granular bed. As a recipe:
            ```json
            {"family": "blob", "mode": "network", "solid_fraction": 0.9, "wavelength_mm": 7, "name": "gravel bed",}
            ```
            """
        let server = try ScriptedChatServer([.completion(reply)])
        let cli = CLIRunner()
        let out = TestSupport.temporaryFolder().appendingPathComponent("gravel")
        let r = try cli.run(["generate", "a structure like this, 10 mm cube", "--image", fixture.path, "--size", "48",
                             "--out", out.path, "--quiet", "--no-images", "--cephalo-url", server.baseURL.absoluteString])
        #expect(r.status == 0, "\(r.stderr)")
        let sent = try #require(server.received.first).json
        let parts = try #require((sent["messages"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])
        #expect(parts.count == 2)
        #expect((parts[0]["text"] as? String)?.hasPrefix("<|image_1|>") == false)
        let url = try #require((parts[1]["image_url"] as? [String: Any])?["url"] as? String)
        let sentFile = TestSupport.temporaryFolder().appendingPathComponent("sent.png")
        try #require(Data(base64Encoded: String(url.dropFirst("data:image/png;base64,".count)))).write(to: sentFile)
        #expect(try PNGCodec.readRGB(sentFile) == PNGCodec.readRGB(fixture))  // 192 px: sent at its own size
        let recipe = try RecipeFile.decode(out.appendingPathComponent("recipe.json"))
        #expect(recipe.family == .blob)
        #expect(recipe.name == "gravel-bed")
        #expect(recipe.image?.threshold == .otsu)
        // The numbers come from the picture, not the reply: Otsu's fraction, its lengths.
        #expect(recipe.solidFraction != 0.9 && recipe.solidFraction > 0.2 && recipe.solidFraction < 0.8)
        #expect(recipe.wavelengthMM < 7)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("describe-reply.json").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("image_input.png").path))
        // describe says where each value came from.
        let d = try cli.run(["describe", "a structure like this, 10 mm cube", "--image", fixture.path,
                             "--cephalo-url", server.baseURL.absoluteString])
        #expect(d.stderr.contains("family: cephalo: blob"))
        #expect(d.stderr.contains("solid_fraction: image (Otsu's threshold)"))
        #expect(d.stderr.contains("wavelength_mm: image statistics"))
        // describe.json records where each value came from.
        let record = try String(contentsOf: out.appendingPathComponent("describe.json"), encoding: .utf8)
        #expect(record.contains("\"family\" : \"cephalo: blob\""))
    }

    @Test("a large picture goes to Cephalo scaled down to 512 pixels, its aspect kept")
    func describePictureIsScaled() throws {
        var image = RGBImage(width: 1200, height: 600)
        for x in 0..<600 { image.fill(x: x, y: 0, width: 1, height: 600, color: SIMD3(0, 0, 0)) }
        let file = TestSupport.temporaryFolder().appendingPathComponent("wide.png")
        try PNGCodec.write(image, to: file)
        let sent = try ModelPictures.describePicture(at: file.path)
        let back = TestSupport.temporaryFolder().appendingPathComponent("back.png")
        try sent.png.write(to: back)
        let decoded = try PNGCodec.readRGB(back)
        #expect(decoded.width == 512 && decoded.height == 256)
        #expect(decoded[10, 100] == SIMD3(0, 0, 0) && decoded[500, 100] == SIMD3(255, 255, 255))
    }
}
