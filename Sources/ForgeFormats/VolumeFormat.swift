import ForgeCore
import Foundation

/// Volume files for analysis tools (ParaView, VTK, 3D Slicer): the level set as Float32,
/// solid where > 0, voxel centres at ((i + ½)h, (j + ½)h, (k + ½)h) mm.
public enum VolumeFormat: String, CaseIterable, Sendable {
    /// `volume.nhdr` (detached NRRD header) + `volume.raw` (little-endian Float32, x fastest).
    case nrrd
    /// `volume.vti`: VTK XML ImageData, raw appended data, point data "level_set".
    case vti

    /// Parses a comma-separated list such as `nrrd,vti`.
    public static func list(_ text: String) throws -> [VolumeFormat] { try formatList(text) }

    /// The files `write` makes, the first being the one tools open.
    public var fileNames: [String] { fileNames(base: "volume") }

    /// The files `write(_:into:base:…)` makes for `base`.
    public func fileNames(base: String) -> [String] {
        switch self {
        case .nrrd: [base + ".nhdr", base + ".raw"]
        case .vti: [base + ".vti"]
        }
    }

    /// Writes `field` into `folder` as `base` (volume.nhdr, volume.vti…): `quantity` names the
    /// values (VTK's array name) and `comment` describes them in the NRRD header.
    public func write(_ field: ScalarGrid, into folder: URL, base: String = "volume", quantity: String = "level_set",
                      comment: String = "CephaloForge level set: solid where > 0, millimetres") throws {
        let url = folder.appendingPathComponent(fileNames(base: base)[0])
        switch self {
        case .nrrd: try NRRDVolume.write(field, header: url, comment: comment)
        case .vti: try VTIVolume.write(field, to: url, quantity: quantity)
        }
    }
}

/// NRRD 0004 with a detached raw file. The space is left-posterior-superior, ITK's own, so
/// ITK, SimpleITK and 3D Slicer (which reads STL models as LPS too) place voxel (i, j, k) at
/// ((i + ½)h, (j + ½)h, (k + ½)h) mm: on the mesh's coordinates, with no axis mirrored.
public enum NRRDVolume {
    public static func write(_ field: ScalarGrid, header: URL,
                             comment: String = "CephaloForge level set: solid where > 0, millimetres") throws {
        let rawURL = header.deletingPathExtension().appendingPathExtension("raw")
        let s = field.size, h = field.voxelSizeMM
        try FloatFile.write(field.values, to: rawURL)
        let text = """
            NRRD0004
            # \(comment)
            type: float
            dimension: 3
            sizes: \(s.nx) \(s.ny) \(s.nz)
            space: left-posterior-superior
            space directions: (\(h),0,0) (0,\(h),0) (0,0,\(h))
            space origin: (\(h / 2),\(h / 2),\(h / 2))
            space units: "mm" "mm" "mm"
            endian: little
            encoding: raw
            data file: \(rawURL.lastPathComponent)

            """
        try AtomicFile.write(Data(text.utf8), to: header)
    }

    /// Reads a header written by `write` and its raw file.
    public static func read(header: URL) throws -> ScalarGrid {
        let text: String
        do { text = try String(contentsOf: header, encoding: .utf8) } catch {
            throw FormatError.cannotRead(path: header.path, reason: error.localizedDescription)
        }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") where line.contains(": ") {
            let parts = line.split(separator: ":", maxSplits: 1)
            fields[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        guard let sizes = fields["sizes"]?.split(separator: " ").compactMap({ Int($0) }), sizes.count == 3,
              let file = fields["data file"], fields["type"] == "float",
              let spacing = fields["space directions"]?.split(separator: ",").first.flatMap({ Double($0.dropFirst()) })
        else { throw FormatError.cannotRead(path: header.path, reason: "not a float NRRD header") }
        let data = try Data(contentsOf: header.deletingLastPathComponent().appendingPathComponent(file))
        let values = floats(fromLittleEndian: data)
        let size = GridSize(nx: sizes[0], ny: sizes[1], nz: sizes[2])
        guard values.count == size.count else { throw FormatError.cannotRead(path: file, reason: "wrong length") }
        return ScalarGrid(size: size, voxelSizeMM: spacing, values: values)
    }
}

/// VTK XML ImageData (`.vti`) with raw appended Float32 point data.
public enum VTIVolume {
    public static func write(_ field: ScalarGrid, to url: URL, quantity: String = "level_set") throws {
        let s = field.size, h = field.voxelSizeMM
        let xml = """
            <?xml version="1.0"?>
            <VTKFile type="ImageData" version="1.0" byte_order="LittleEndian" header_type="UInt64">
              <ImageData WholeExtent="0 \(s.nx - 1) 0 \(s.ny - 1) 0 \(s.nz - 1)" Origin="\(h / 2) \(h / 2) \(h / 2)" Spacing="\(h) \(h) \(h)">
                <Piece Extent="0 \(s.nx - 1) 0 \(s.ny - 1) 0 \(s.nz - 1)">
                  <PointData Scalars="\(quantity)">
                    <DataArray type="Float32" Name="\(quantity)" NumberOfComponents="1" format="appended" offset="0"/>
                  </PointData>
                </Piece>
              </ImageData>
              <AppendedData encoding="raw">
                _
            """
        var head = Data(xml.utf8)
        withUnsafeBytes(of: UInt64(4 * field.values.count).littleEndian) { head.append(contentsOf: $0) }
        try FloatFile.write(field.values, prefix: head, suffix: Data("\n  </AppendedData>\n</VTKFile>\n".utf8), to: url)
    }

    /// Reads a file written by `write`.
    public static func read(_ url: URL) throws -> ScalarGrid {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        guard let marker = data.range(of: Data("<AppendedData encoding=\"raw\">".utf8)),
              let underscore = data[marker.upperBound...].firstIndex(of: UInt8(ascii: "_")) else {
            throw FormatError.cannotRead(path: url.path, reason: "no raw appended data")
        }
        let head = String(decoding: data[..<marker.lowerBound], as: UTF8.self)
        func attribute(_ name: String) -> [Double] {
            guard let r = head.range(of: name + "=\"") else { return [] }
            let rest = head[r.upperBound...]
            return rest[..<rest.firstIndex(of: "\"")!].split(separator: " ").compactMap { Double($0) }
        }
        let extent = attribute("WholeExtent").map(Int.init), spacing = attribute("Spacing")
        guard extent.count == 6, spacing.count == 3 else { throw FormatError.cannotRead(path: url.path, reason: "no extent") }
        let start = underscore + 1
        let count = data[start..<start + 8].withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        let values = floats(fromLittleEndian: data[(start + 8)..<(start + 8 + count)])
        let size = GridSize(nx: extent[1] + 1, ny: extent[3] + 1, nz: extent[5] + 1)
        guard values.count == size.count else { throw FormatError.cannotRead(path: url.path, reason: "wrong length") }
        return ScalarGrid(size: size, voxelSizeMM: spacing[0], values: values)
    }
}

func floats(fromLittleEndian data: Data) -> [Float] {
    data.withUnsafeBytes { raw in
        (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
}
