import CephaloForge
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Whether this machine can make an offscreen GL context (EGL + Mesa or a GPU driver).
let glAvailable = (try? MeshRenderer.rendererName()) != nil

@Suite("Offscreen renders", .enabled(if: glAvailable, "offscreen OpenGL (EGL with Mesa or a GPU driver) is not available here"))
struct RenderTests {
    /// A marching-cubes sphere of `radiusMM` at `centreMM` in a 6 mm box of 48³ voxels.
    static func sphere(radiusMM r: Double, centreMM c: SIMD3<Double>) -> Mesh {
        MarchingCubes.mesh(TestSupport.grid(48, voxelMM: 0.125) { x, y, z in
            r - ((x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) + (z - c.z) * (z - c.z)).squareRoot()
        })
    }

    /// A solid box with half-extents `half` (mm) centred in a 6 mm box of 48³ voxels.
    static func box(half: SIMD3<Double>) -> Mesh {
        MarchingCubes.mesh(TestSupport.grid(48, voxelMM: 0.125) { x, y, z in
            min(half.x - abs(x - 3), half.y - abs(y - 3), half.z - abs(z - 3))
        })
    }

    static func plain(_ view: ViewDirection, size: Int = 256, coloring: SurfaceColoring = .uniform) -> RenderOptions {
        var options = RenderOptions(width: size, height: size, view: view, coloring: coloring)
        options.decorations = false
        return options
    }

    static func isBackground(_ c: SIMD3<UInt8>) -> Bool { c == RenderOptions.background }

    /// Foreground pixels: count, bounding box, mean position.
    static func foreground(_ image: RGBImage) -> (count: Int, minX: Int, maxX: Int, minY: Int, maxY: Int, meanX: Double, meanY: Double) {
        var count = 0, minX = Int.max, maxX = -1, minY = Int.max, maxY = -1, sx = 0.0, sy = 0.0
        for y in 0..<image.height {
            for x in 0..<image.width where !isBackground(image[x, y]) {
                count += 1
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                sx += Double(x); sy += Double(y)
            }
        }
        return (count, minX, maxX, minY, maxY, sx / Double(max(count, 1)), sy / Double(max(count, 1)))
    }

    static func luminance(_ c: SIMD3<UInt8>) -> Double { 0.2126 * Double(c.x) + 0.7152 * Double(c.y) + 0.0722 * Double(c.z) }

    @Test("a sphere at a known camera covers a disc of area π(r·scale)²", arguments: [ViewDirection.front, .iso, .top])
    func sphereArea(view: ViewDirection) throws {
        let mesh = Self.sphere(radiusMM: 2, centreMM: SIMD3(3, 3, 3))
        let camera = Camera(view: view, centreMM: SIMD3(3, 3, 3), pixelsPerMM: 40, width: 256, height: 256)
        let image = try MeshRenderer.render(mesh, options: Self.plain(view), camera: camera).image
        let fg = Self.foreground(image)
        let expected = Double.pi * 80 * 80
        #expect(abs(Double(fg.count) - expected) / expected < 0.03, "\(fg.count) pixels, expected \(expected)")
        #expect(abs(fg.meanX - 128) < 1.5 && abs(fg.meanY - 128) < 1.5)
        // Corners are background, the centre is not.
        for (x, y) in [(0, 0), (255, 0), (0, 255), (255, 255)] { #expect(Self.isBackground(image[x, y])) }
        #expect(!Self.isBackground(image[128, 128]))
    }

    @Test("views are oriented: +x is right in front and top, +y is up in top, +z is up in front and side")
    func orientation() throws {
        let camera = { (view: ViewDirection) in
            Camera(view: view, centreMM: SIMD3(3, 3, 3), pixelsPerMM: 30, width: 256, height: 256)
        }
        let right = Self.sphere(radiusMM: 0.8, centreMM: SIMD3(4.5, 3, 3))
        let back = Self.sphere(radiusMM: 0.8, centreMM: SIMD3(3, 4.5, 3))
        let high = Self.sphere(radiusMM: 0.8, centreMM: SIMD3(3, 3, 4.5))
        func centre(_ mesh: Mesh, _ view: ViewDirection) throws -> (Double, Double) {
            let fg = Self.foreground(try MeshRenderer.render(mesh, options: Self.plain(view), camera: camera(view)).image)
            return (fg.meanX, fg.meanY)
        }
        #expect(try centre(right, .front).0 > 160)
        #expect(try centre(right, .top).0 > 160)
        #expect(try centre(back, .top).1 < 96)
        #expect(try centre(back, .side).0 > 160)
        #expect(try centre(high, .front).1 < 96)
        #expect(try centre(high, .side).1 < 96)
        #expect(try centre(high, .iso).1 < 96)
    }

    @Test("a part taller than wide is taller than wide in the front and side views, square from the top")
    func aspect() throws {
        let tower = Self.box(half: SIMD3(0.75, 0.75, 2.5))
        for view in [ViewDirection.front, .side] {
            let fg = Self.foreground(try MeshRenderer.render(tower, options: Self.plain(view)).image)
            let ratio = Double(fg.maxY - fg.minY + 1) / Double(fg.maxX - fg.minX + 1)
            #expect(abs(ratio - 5.0 / 1.5) < 0.2, "\(view): height/width \(ratio)")
        }
        let fg = Self.foreground(try MeshRenderer.render(tower, options: Self.plain(.top)).image)
        #expect(abs(Double(fg.maxY - fg.minY) / Double(fg.maxX - fg.minX) - 1) < 0.05)
    }

    @Test("shading varies across a curved surface; the key light comes from the upper left")
    func shading() throws {
        let mesh = Self.sphere(radiusMM: 2, centreMM: SIMD3(3, 3, 3))
        let camera = Camera(view: .front, centreMM: SIMD3(3, 3, 3), pixelsPerMM: 40, width: 256, height: 256)
        let image = try MeshRenderer.render(mesh, options: Self.plain(.front), camera: camera).image
        var values: [Double] = []
        for y in 0..<256 {
            for x in 0..<256 where !Self.isBackground(image[x, y]) { values.append(Self.luminance(image[x, y])) }
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(sd > 15, "luminance sd \(sd)")
        let upperLeft = Self.luminance(image[128 - 40, 128 - 40]), lowerRight = Self.luminance(image[128 + 40, 128 + 40])
        #expect(upperLeft > lowerRight + 20)
    }

    @Test("colour by height: the top of a tower is yellow, its foot violet")
    func heightColours() throws {
        let tower = Self.box(half: SIMD3(0.75, 0.75, 2.5))
        let image = try MeshRenderer.render(tower, options: Self.plain(.front, coloring: .height)).image
        let fg = Self.foreground(image)
        let x = (fg.minX + fg.maxX) / 2
        let top = image[x, fg.minY + 4], foot = image[x, fg.maxY - 4]
        #expect(top.x > top.z && top.y > top.z, "top \(top)")
        #expect(foot.z > foot.y, "foot \(foot)")
    }

    @Test("renders are deterministic, and decorations draw a scale bar in the bottom band")
    func deterministic() throws {
        let mesh = Self.sphere(radiusMM: 2, centreMM: SIMD3(3, 3, 3))
        var options = RenderOptions(width: 320, height: 320)
        let a = try MeshRenderer.render(mesh, options: options)
        let b = try MeshRenderer.render(mesh, options: options)
        #expect(a.image == b.image)
        // The bar's ink lies below the part's framing region.
        var ink = 0
        for y in 288..<320 {
            for x in 0..<160 where Self.luminance(a.image[x, y]) < 80 { ink += 1 }
        }
        #expect(ink > 50)
        options.decorations = false
        let plain = try MeshRenderer.render(mesh, options: options, camera: a.camera).image
        ink = 0
        for y in 288..<320 {
            for x in 0..<160 where Self.luminance(plain[x, y]) < 80 { ink += 1 }
        }
        #expect(ink == 0)
    }

    @Test("bad sizes and mismatched colourings are refused")
    func refusals() throws {
        let mesh = Self.sphere(radiusMM: 1, centreMM: SIMD3(3, 3, 3))
        #expect(throws: RenderError.badImageSize(width: 10, height: 10)) {
            try MeshRenderer.render(mesh, options: RenderOptions(width: 10, height: 10))
        }
        #expect(throws: RenderError.emptyMesh) { try MeshRenderer.render(Mesh(), options: RenderOptions()) }
        let coloring = SurfaceColoring.thickness(valuesMM: [1, 2])
        #expect(throws: RenderError.colourValuesMismatch(values: 2, vertices: mesh.vertexCount)) {
            try MeshRenderer.render(mesh, options: RenderOptions(width: 128, height: 128, coloring: coloring))
        }
    }
}

@Suite("Images without GL")
struct ImageTests {
    @Test("text is drawn where asked, as wide as the font says")
    func text() {
        var image = RGBImage(width: 120, height: 30)
        image.draw(text: "0.5 mm", x: 10, y: 8, scale: 2, color: SIMD3(0, 0, 0))
        var minX = Int.max, maxX = -1, minY = Int.max, maxY = -1
        for y in 0..<30 {
            for x in 0..<120 where image[x, y] == SIMD3(0, 0, 0) {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        #expect(minX == 10 && minY == 8)
        #expect(maxX - minX + 1 <= RGBImage.textWidth("0.5 mm", scale: 2))
        #expect(maxX - minX + 1 > RGBImage.textWidth("0.5 mm", scale: 2) - 12)
        #expect(maxY - minY + 1 <= RGBImage.textHeight(scale: 2))
    }

    @Test("the montage shows each slice the right way up: solid where the mask is solid")
    func montage() {
        // Solid for x < 8 and for y ≥ 12: an L seen from above.
        let size = GridSize(nx: 16, ny: 16, nz: 8)
        var bits = [UInt8](repeating: 0, count: size.count)
        for z in 0..<8 { for y in 0..<16 { for x in 0..<16 where x < 8 || y >= 12 { bits[(z * 16 + y) * 16 + x] = 1 } } }
        let mask = VoxelMask(size: size, bits: bits)
        let image = SliceMontage.render(mask, voxelSizeMM: 0.5, panelPixels: 160, columns: 4, zSlices: 4)
        // First panel: left edge 12, top 12 + label; zoom 10.
        let zoom = 10, left = 12, top = 12 + RGBImage.textHeight(scale: 2) + 8
        func voxel(_ x: Int, _ y: Int) -> SIMD3<UInt8> { image[left + x * zoom + 5, top + (15 - y) * zoom + 5] }
        #expect(voxel(2, 2) == SliceMontage.solid)
        #expect(voxel(12, 2) == SliceMontage.pore)
        #expect(voxel(12, 14) == SliceMontage.solid)
        #expect(SliceMontage.zIndices(depth: 8, count: 4) == [1, 3, 5, 7])
        #expect(image.width == 12 + 4 * (160 + 12))
        // The legend under the panels: a swatch of each phase's colour, solid first.
        let swatch = RGBImage.textHeight(scale: 2), legendTop = image.height - swatch - 12
        #expect(image[12 + swatch / 2, legendTop + swatch / 2] == SliceMontage.solid)
        let second = 12 + swatch + 6 + RGBImage.textWidth("solid", scale: 2) + 36
        #expect(image[second + swatch / 2, legendTop + swatch / 2] == SliceMontage.pore)
    }

    @Test("SVG plots are well-formed XML with one line per series")
    func plots() throws {
        var plot = SVGPlot(title: "S2 <test> & more", xLabel: "r (mm)", yLabel: "S2")
        plot.reference = (0.1, "φ²")
        let svg = plot.lines([
            .init(name: "x", x: [0, 1, 2], y: [0.3, 0.12, 0.1], color: "#f00"),
            .init(name: "y", x: [0, 1, 2], y: [0.3, 0.14, 0.09], color: "#0f0"),
        ])
        let delegate = ElementCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        #expect(parser.parse())
        #expect(delegate.counts["polyline"] == 2)
        #expect(delegate.counts["svg"] == 1)
        #expect(SVGPlot.ticks(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
