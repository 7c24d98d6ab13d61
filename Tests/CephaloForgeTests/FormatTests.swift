import CephaloForge
import Foundation
import Testing

@Suite("Formats")
struct FormatTests {
    @Test func png8RoundTripWithText() throws {
        let folder = TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("a.png")
        let pixels = (0..<(16 * 16)).map { UInt16(($0 * 37) % 256) }
        let image = GrayImage(width: 16, height: 16, pixels: pixels)
        try PNGCodec.write(image, to: url, textKey: "recipe", text: #"{"seed": 1}"#)
        #expect(try PNGCodec.read(url) == image)
        #expect(try PNGCodec.textChunks(url)["recipe"] == #"{"seed": 1}"#)
    }

    @Test func png16RoundTrip() throws {
        let url = TestSupport.temporaryFolder().appendingPathComponent("b.png")
        let image = GrayImage(width: 7, height: 5, bitDepth: 16, pixels: (0..<35).map { UInt16($0 * 1871) })
        try PNGCodec.write(image, to: url)
        #expect(try PNGCodec.read(url) == image)
    }

    @Test func sliceStackRoundTrips() throws {
        let folder = TestSupport.temporaryFolder()
        var g = ScalarGrid(size: GridSize(nx: 12, ny: 10, nz: 3), voxelSizeMM: 1)
        for i in g.values.indices { g.values[i] = (i * 7919) % 5 == 0 ? 1 : -1 }
        try SliceStackWriter.write(g, to: folder, textKey: "recipe", text: "r")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["z0000.png", "z0001.png", "z0002.png"])
        for z in 0..<3 {
            let image = try PNGCodec.read(folder.appendingPathComponent(names[z]))
            #expect(image.width == 12 && image.height == 10 && image.bitDepth == 8)
            for y in 0..<10 {
                for x in 0..<12 {
                    // First row is the largest y: the layer seen from above.
                    #expect(image.pixels[x + 12 * (9 - y)] == (g[x, y, z] > 0 ? 255 : 0))
                }
            }
        }
    }

    @Test func pngErrorsLeaveNoFile() throws {
        let folder = TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("missing-folder/a.png")
        #expect(throws: FormatError.self) {
            try PNGCodec.write(GrayImage(width: 2, height: 2, pixels: [0, 1, 2, 3]), to: url)
        }
        #expect(throws: FormatError.self) { try PNGCodec.read(folder.appendingPathComponent("none.png")) }
    }

    /// A ball at 12³ fits one chunk of the writer; a gyroid at 64³ (about 10 MB) spans many,
    /// formatted and written side by side.
    @Test(arguments: [12, 64])
    func binarySTLRoundTrip(n: Int) throws {
        let g = n == 12
            ? TestSupport.grid(12, voxelMM: 0.25) { x, y, z in
                1.1 - ((x - 1.5) * (x - 1.5) + (y - 1.5) * (y - 1.5) + (z - 1.5) * (z - 1.5)).squareRoot()
            }
            : TestSupport.grid(n, voxelMM: 0.25) { x, y, z in
                let a = 2 * Double.pi / 2.5
                return sin(a * x) * cos(a * y) + sin(a * y) * cos(a * z) + sin(a * z) * cos(a * x)
            }
        let mesh = MarchingCubes.mesh(g)
        let url = TestSupport.temporaryFolder().appendingPathComponent("m.stl")
        try BinarySTLWriter.write(mesh, to: url)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int
        #expect(size == 84 + 50 * mesh.triangleCount)
        #expect(n == 12 || mesh.triangleCount > 4 << 14, "the gyroid spans more than four chunks of 16 384 triangles")
        let back = try BinarySTLReader.read(url)
        #expect(back.triangleCount == mesh.triangleCount)
        #expect(back.vertexCount == mesh.vertexCount)
        #expect(abs(back.signedVolume - mesh.signedVolume) < 1e-9 * max(1, mesh.signedVolume))
        let corners = (0..<(3 * mesh.triangleCount)).allSatisfy {
            back.vertex(Int(back.indices[$0])) == mesh.vertex(Int(mesh.indices[$0]))
        }
        #expect(corners, "every corner reads back at its written position")
        #expect(MeshIntegrity(of: back).isClosedManifold)
        // Stored normals agree with the winding.
        let data = try Data(contentsOf: url)
        let normalZ = data.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 84 + 8, as: UInt32.self))) }
        let p = (0..<3).map { back.vertex(Int(back.indices[$0])) }
        let u = p[1] - p[0], v = p[2] - p[0]
        let nz = u.x * v.y - u.y * v.x
        #expect((normalZ >= 0) == (nz >= 0) || abs(nz) < 1e-9)
    }

    /// A write that fails part way (a full disk: /dev/full behind the temporary name) throws
    /// a one-line error naming the file asked for, and leaves nothing under either name.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full to stand for a full disk"))
    func fullDiskLeavesNoFile() throws {
        let url = TestSupport.temporaryFolder().appendingPathComponent("full.stl")
        let temporary = AtomicFile.temporaryURL(for: url)
        try FileManager.default.createSymbolicLink(atPath: temporary.path, withDestinationPath: "/dev/full")
        let mesh = MarchingCubes.mesh(TestSupport.grid(24, voxelMM: 0.25) { x, y, z in
            1.5 - ((x - 3) * (x - 3) + (y - 3) * (y - 3) + (z - 3) * (z - 3)).squareRoot()
        })
        #expect { try BinarySTLWriter.write(mesh, to: url) } throws: { error in
            let line = "\(error)"
            return line.contains(url.path) && line.contains("No space left") && !line.contains("\n")
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: temporary.path)) == nil)
    }

    @Test func jsonIsStable() throws {
        let a = try JSONFile.encode(["b": 1, "a": 2])
        #expect(String(decoding: a, as: UTF8.self) == "{\n  \"a\" : 2,\n  \"b\" : 1\n}\n")
    }
}
