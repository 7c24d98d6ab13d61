import CephaloForge
import Foundation
import Testing

@Suite("Print-ready output")
struct PrintReadyTests {
    static func cell(_ family: StructureFamily = .spinodal, size: Int = 32, seed: UInt64 = 1,
                     fraction: Double = 0.4) throws -> (ScalarGrid, Recipe) {
        var recipe = FamilyTests.recipe(family, size: size, seed: seed)
        recipe.wavelengthMM = family.isLattice ? 5 : 2.5
        recipe.solidFraction = fraction
        let targets = FractionTargets(recipe: recipe)
        var g = try FieldSynthesis.field(for: recipe)
        g.threshold(to: targets)
        _ = PrintabilityCleanup.clean(&g, targets: targets, options: CleanupOptions(recipe: recipe))
        return (g, recipe)
    }

    @Test(arguments: [StructureFamily.spinodal, .blob, .lamellar, .columnar, .gyroid, .diamond, .neovius],
          [PhaseMode.network, .sheet])
    func meshesAreClosedOrientedAndOneBody(family: StructureFamily, mode: PhaseMode) throws {
        for seed in [3, 4] as [UInt64] {
            var recipe = FamilyTests.recipe(family, size: 32, seed: seed)
            recipe.wavelengthMM = family.isLattice ? 5 : 2.5
            recipe.mode = mode
            recipe.solidFraction = mode == .sheet ? 0.3 : 0.4
            let targets = FractionTargets(recipe: recipe)
            var g = try FieldSynthesis.field(for: recipe)
            g.threshold(to: targets)
            _ = PrintabilityCleanup.clean(&g, targets: targets, options: CleanupOptions())
            let mesh = MarchingCubes.mesh(g)
            let integrity = MeshIntegrity(of: mesh)
            #expect(integrity.isClosedManifold, "\(family) \(mode) seed \(seed): \(integrity)")
            let shells = TestSupport.shellVolumes(mesh)
            #expect(shells.count == 1 && shells[0] > 0, "\(family) \(mode) seed \(seed): shells \(shells)")
        }
    }

    @Test(arguments: [MeshFormat.stlASCII, .threeMF, .obj, .ply, .glb, .stl])
    func meshFormatsRoundTripThroughAssimp(format: MeshFormat) throws {
        let (g, _) = try Self.cell(size: 24)
        let mesh = MarchingCubes.mesh(g)
        let url = TestSupport.temporaryFolder().appendingPathComponent(format.fileName)
        try format.write(mesh, name: "cell", to: url)
        // Assimp keeps per-face normals on STL import, so equal positions are welded here; GLB
        // is in metres.
        var back = TestSupport.welded(try AssimpMeshIO.read(url))
        if format == .glb { back.positions = back.positions.map { $0 * 1000 } }
        #expect(back.triangleCount == mesh.triangleCount, "\(format)")
        #expect(abs(back.signedVolume - mesh.signedVolume) / mesh.signedVolume < 1e-4, "\(format)")
        #expect(abs(back.surfaceArea - mesh.surfaceArea) / mesh.surfaceArea < 1e-4, "\(format)")
        #expect(back.vertexCount == mesh.vertexCount, "\(format)")
        #expect(MeshIntegrity(of: back).isClosedManifold, "\(format)")
    }

    @Test func threeMFDeclaresMillimetresAndKeepsEveryCoordinate() throws {
        let (g, _) = try Self.cell(size: 16)
        let mesh = MarchingCubes.mesh(g)
        let url = TestSupport.temporaryFolder().appendingPathComponent("m.3mf")
        try MeshFormat.threeMF.write(mesh, name: "cell <&>", to: url)
        let listing = try Self.python("""
            import zipfile, sys, xml.etree.ElementTree as ET
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(" ".join(z.namelist()))
            root = ET.fromstring(z.read("3D/3dmodel.model"))
            ns = {"m": "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"}
            print(root.get("unit"), root.find("m:metadata", ns).text)
            print(" ".join(f"{float(v.get(a)):.9g}" for v in root.iter("{%s}vertex" % ns["m"]) for a in "xyz"))
            """, url.path)
        let lines = listing.split(separator: "\n").map(String.init)
        #expect(lines[0] == "[Content_Types].xml _rels/.rels 3D/3dmodel.model")
        #expect(lines[1] == "millimeter cell <&>")
        let read = lines[2].split(separator: " ").map { Float(String($0))! }
        #expect(read == mesh.positions)
        // The same mesh gives the same bytes (no timestamps).
        let again = TestSupport.temporaryFolder().appendingPathComponent("m.3mf")
        try MeshFormat.threeMF.write(mesh, name: "cell <&>", to: again)
        #expect(try Data(contentsOf: url) == Data(contentsOf: again))
    }

    /// Stored, deflated (several pieces) and ZIP64 entries, read back by Python's zipfile,
    /// which checks every CRC.
    @Test func zipArchivesReadBackInAnotherReader() throws {
        let url = TestSupport.temporaryFolder().appendingPathComponent("t.zip")
        let zip = try ZipWriter(path: url.path)
        let text = (0..<5).map { p in Array(String(repeating: "piece \(p) ", count: 900 * (p + 1)).utf8) }
        let binary = (0..<3).map { p in (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9 &+ p) } }
        try zip.add("a.txt", stored: Array("hello".utf8))
        try zip.add("b/pieces.txt", pieces: 5, large: false) { text[$0] }
        try zip.add("c.bin", pieces: 3, large: true) { binary[$0] }
        try zip.finish()
        let listing = try Self.python("""
            import zipfile, sys
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for i in z.infolist(): print(i.filename, i.file_size, sum(z.read(i)), i.compress_type)
            """, url.path)
        func sum(_ parts: [[UInt8]]) -> Int { parts.joined().reduce(0) { $0 + Int($1) } }
        #expect(listing == """
            a.txt 5 \(sum([Array("hello".utf8)])) 0
            b/pieces.txt \(text.joined().count) \(sum(text)) 8
            c.bin \(binary.joined().count) \(sum(binary)) 8

            """)
    }

    /// Runs a Python script with `argument` and returns what it printed.
    static func python(_ script: String, _ argument: String) throws -> String {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, argument]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// 20³ is written in blocks; 112³ (5.6 MB) is reserved and filled in place.
    @Test(arguments: [20, 112])
    func volumesReadBackWithTheSameValues(size: Int) throws {
        let (g, _) = try Self.cell(size: size)
        let folder = TestSupport.temporaryFolder()
        try VolumeFormat.nrrd.write(g, into: folder)
        try VolumeFormat.vti.write(g, into: folder)
        let nrrd = try NRRDVolume.read(header: folder.appendingPathComponent("volume.nhdr"))
        let vti = try VTIVolume.read(folder.appendingPathComponent("volume.vti"))
        for back in [nrrd, vti] {
            #expect(back.size == g.size && back.values == g.values)
            #expect(abs(back.voxelSizeMM - g.voxelSizeMM) < 1e-12)
        }
    }

    @Test func sixteenBitSlicesKeepTheLevelSet() throws {
        let (g, _) = try Self.cell(size: 16)
        let folder = TestSupport.temporaryFolder()
        try SliceStackWriter.write16(g, to: folder)
        let url = folder.appendingPathComponent(SliceStackWriter.fileName(z: 5))
        let image = try PNGCodec.read(url)
        #expect(image.bitDepth == 16)
        let range = try #require(PNGCodec.textChunks(url)["value_range"]).split(separator: " ").compactMap { Float($0) }
        for y in 0..<16 {
            for x in 0..<16 {
                let value = range[0] + Float(image.pixels[x + 16 * (15 - y)]) / 65535 * (range[1] - range[0])
                #expect(abs(value - g[x, y, 5]) <= (range[1] - range[0]) / 65535)
            }
        }
    }

    @Test func tilingWeldsCellsIntoOneBodyWithTheVolumeTimesTheCount() throws {
        let (cell, _) = try Self.cell(size: 32, seed: 9, fraction: 0.45)
        var tiled = cell.tiled([2, 2, 2])
        var report = CleanupReport()
        PrintabilityCleanup.tidy(&tiled, options: CleanupOptions(), report: &report)
        #expect(tiled.size == GridSize(cube: 64))
        #expect(tiled.positiveCount == 8 * cell.positiveCount, "tiling a cleaned cell adds no islands or voids")
        let one = MarchingCubes.mesh(cell), eight = MarchingCubes.mesh(tiled)
        #expect(MeshIntegrity(of: eight).isClosedManifold)
        let shells = TestSupport.shellVolumes(eight)
        #expect(shells.count == 1, "\(shells.count) shells")
        #expect(abs(eight.signedVolume - 8 * one.signedVolume) / (8 * one.signedVolume) < 0.01)
        // Seamless: the copy of sample 0 follows sample n − 1 exactly.
        #expect(tiled[32, 5, 7] == cell[0, 5, 7] && tiled[31, 5, 7] == cell[31, 5, 7])
    }

    @Test func taubinSmoothingKeepsVolumeClosureAndTheBox() throws {
        let (g, _) = try Self.cell(size: 32)
        let mesh = MarchingCubes.mesh(g)
        let box = SIMD3<Float>(g.extentMM)
        let smooth = mesh.smoothed(iterations: 10, box: box)
        #expect(MeshIntegrity(of: smooth).isClosedManifold)
        #expect(abs(smooth.signedVolume - mesh.signedVolume) / mesh.signedVolume < 0.01)
        #expect(smooth.bounds.min == mesh.bounds.min && smooth.bounds.max == mesh.bounds.max)
        #expect(smooth.surfaceArea < mesh.surfaceArea, "ripple removed")
    }

    @Test func printerSlicesResampleThePart() throws {
        // A solid 4 × 3 × 2 mm block on a 200 × 160 px screen of 50 µm pixels.
        let block = ScalarGrid(size: GridSize(nx: 16, ny: 12, nz: 8), voxelSizeMM: 0.25, repeating: 1)
        let stack = PrinterSliceStack(pixelUM: 50, layerUM: 100, resolution: (200, 160))
        let url = TestSupport.temporaryFolder().appendingPathComponent("p.zip")
        try stack.write(block, to: url)
        let folder = TestSupport.temporaryFolder()
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        unzip.arguments = ["python3", "-c", "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
                           url.path, folder.path]
        try unzip.run()
        unzip.waitUntilExit()
        try #require(unzip.terminationStatus == 0, "python3 could not unzip")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count == 21 && names.first == "0000.png" && names.last == "manifest.json")
        let layer = try PNGCodec.read(folder.appendingPathComponent("0010.png"))
        #expect(layer.width == 200 && layer.height == 160)
        #expect(layer.pixels.filter { $0 == 255 }.count == 80 * 60)
        #expect(layer.pixels[100 + 200 * 80] == 255 && layer.pixels[0] == 0)
        #expect(throws: FormatError.self) {
            try PrinterSliceStack(pixelUM: 10, layerUM: 50, resolution: (100, 100)).validate(partMM: SIMD3(4, 3, 2))
        }
    }
}

@Suite("Decimation")
struct DecimationTests {
    @Test(arguments: [StructureFamily.spinodal, .gyroid, .columnar], [11, 12] as [UInt64])
    func keepsEveryGuaranteeAndTheVolume(family: StructureFamily, seed: UInt64) throws {
        try checkDecimation(family, seed: seed, cells: 1)
    }

    /// The reduction in a grid of cells with their walls held, then in the shifted grid.
    @Test(arguments: [StructureFamily.spinodal, .gyroid, .columnar], [2, 3] as [Int])
    func cellsKeepEveryGuaranteeAndTheVolume(family: StructureFamily, cells: Int) throws {
        try checkDecimation(family, seed: 12, cells: cells)
        // The cells took part: the result differs from one made without them.
        let (g, _) = try PrintReadyTests.cell(family, size: 40, seed: 12)
        let mesh = MarchingCubes.mesh(g), box = SIMD3<Float>(g.extentMM)
        #expect(mesh.decimated(maxTriangles: mesh.triangleCount / 4, box: box, cells: cells).positions
            != mesh.decimated(maxTriangles: mesh.triangleCount / 4, box: box, cells: 1).positions)
    }

    /// The cells share the reduction by cost: on a flat floor with a dome on it, the floor's
    /// collapses cost nothing and go first in every cell, so the dome keeps far more of its
    /// triangles than the floor, as one queue over the whole mesh would have it.
    @Test func cellsShareTheReductionByCost() {
        let n = 64, h = 10.0 / Double(n)
        let (floor, radius) = (0.3 * 10.0, 0.22 * 10.0)
        var values = [Float](repeating: 0, count: n * n * n)
        for z in 0..<n {
            for y in 0..<n {
                for x in 0..<n {
                    let p = (SIMD3(Double(x), Double(y), Double(z)) + 0.5) * h
                    let d = p - SIMD3(5, 5, floor)
                    values[x + n * (y + n * z)] = Float(max(floor - p.z, radius - (d * d).sum().squareRoot()))
                }
            }
        }
        let g = ScalarGrid(size: GridSize(nx: n, ny: n, nz: n), voxelSizeMM: h, values: values)
        let mesh = MarchingCubes.mesh(g), box = SIMD3<Float>(g.extentMM)
        func counts(_ m: Mesh) -> (floor: Int, dome: Int) {
            var result = (floor: 0, dome: 0)
            for t in 0..<m.triangleCount {
                let corners = (0..<3).map { SIMD3<Double>(m.vertex(Int(m.indices[3 * t + $0]))) }
                if corners.allSatisfy({ abs($0.z - floor) < 1e-4 && $0.x > 0 && $0.x < 10 && $0.y > 0 && $0.y < 10 }) {
                    result.floor += 1
                } else if corners.allSatisfy({ $0.z > floor + h }) {
                    result.dome += 1
                }
            }
            return result
        }
        let before = counts(mesh)
        let small = mesh.decimated(maxTriangles: mesh.triangleCount / 8, box: box, cells: 3)
        let after = counts(small)
        #expect(small.triangleCount <= mesh.triangleCount / 8)
        #expect(before.floor > 5_000 && before.dome > 2_000, "\(before) → \(after)")
        #expect(Double(after.floor) < 0.1 * Double(before.floor), "floor \(before.floor) → \(after.floor)")
        #expect(Double(after.dome) > 0.2 * Double(before.dome), "dome \(before.dome) → \(after.dome)")
        #expect(MeshIntegrity(of: small).isClosedManifold && TestSupport.edgesArePairedOpposite(small))
    }

    func checkDecimation(_ family: StructureFamily, seed: UInt64, cells: Int) throws {
        let (g, _) = try PrintReadyTests.cell(family, size: 40, seed: seed)
        let mesh = MarchingCubes.mesh(g)
        let budget = mesh.triangleCount / 4
        let box = SIMD3<Float>(g.extentMM)
        let small = mesh.decimated(maxTriangles: budget, box: box, cells: cells)
        #expect(small.triangleCount <= budget, "\(family) seed \(seed): \(small.triangleCount) > \(budget)")
        let integrity = MeshIntegrity(of: small)
        #expect(integrity.isClosedManifold && integrity.nonManifoldVertices == 0, "\(family) seed \(seed): \(integrity)")
        #expect(TestSupport.edgesArePairedOpposite(small))
        #expect(TestSupport.shellVolumes(small).count == TestSupport.shellVolumes(mesh).count)
        #expect(abs(small.signedVolume - mesh.signedVolume) / mesh.signedVolume < 0.01, "\(family) seed \(seed)")
        #expect(small.bounds.min == mesh.bounds.min && small.bounds.max == mesh.bounds.max)
        #expect(small.solidEulerCharacteristic == mesh.solidEulerCharacteristic)
        // Vertices stay on the surface: the level set's first-order distance |f| / |∇f| at
        // every vertex of the reduced mesh more than a voxel inside the box (nearer the box,
        // the caps close the solid where f > 0) is within 0.3 of a voxel.
        var worst = 0.0
        let extent = SIMD3<Double>(g.extentMM)
        for v in 0..<small.vertexCount {
            let p = SIMD3<Double>(small.vertex(v))
            let margin = min(p.x, p.y, p.z, extent.x - p.x, extent.y - p.y, extent.z - p.z)
            guard margin > g.voxelSizeMM else { continue }
            worst = max(worst, Self.distanceToLevelSet(g, at: p))
        }
        #expect(worst < 0.3, "\(family) seed \(seed): a vertex lies \(worst) voxels off the surface")
    }

    /// |f| / |∇f| in voxels at `p` (mm), f interpolated trilinearly between voxel centres and
    /// its gradient by central differences of that interpolation.
    static func distanceToLevelSet(_ g: ScalarGrid, at p: SIMD3<Double>) -> Double {
        let h = g.voxelSizeMM
        func f(_ q: SIMD3<Double>) -> Double {
            let c = q / h - 0.5
            let limit = SIMD3(Double(g.size.nx - 1), Double(g.size.ny - 1), Double(g.size.nz - 1))
            let x = SIMD3(min(max(c.x, 0), limit.x), min(max(c.y, 0), limit.y), min(max(c.z, 0), limit.z))
            let i = SIMD3(min(Int(x.x), g.size.nx - 2), min(Int(x.y), g.size.ny - 2), min(Int(x.z), g.size.nz - 2))
            let t = x - SIMD3(Double(i.x), Double(i.y), Double(i.z))
            var sum = 0.0
            for dz in 0...1 {
                for dy in 0...1 {
                    for dx in 0...1 {
                        let w = (dx == 1 ? t.x : 1 - t.x) * (dy == 1 ? t.y : 1 - t.y) * (dz == 1 ? t.z : 1 - t.z)
                        sum += w * Double(g[i.x + dx, i.y + dy, i.z + dz])
                    }
                }
            }
            return sum
        }
        let e = 0.25 * h
        let gradient = SIMD3(f(p + SIMD3(e, 0, 0)) - f(p - SIMD3(e, 0, 0)), f(p + SIMD3(0, e, 0)) - f(p - SIMD3(0, e, 0)),
                             f(p + SIMD3(0, 0, e)) - f(p - SIMD3(0, 0, e))) / (2 * e)
        let length = (gradient * gradient).sum().squareRoot()
        return length > 0 ? abs(f(p)) / (length * h) : 0
    }
}
