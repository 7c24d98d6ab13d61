import ForgeCore
import Foundation

/// 3MF (3MF Consortium core specification 1.x): an OPC zip package holding
/// `[Content_Types].xml`, `_rels/.rels` and `3D/3dmodel.model`, one mesh object in
/// millimetres placed once on the build plate. Coordinates are the shortest decimals that
/// read back as the same Float32, so the mesh round-trips exactly. The model is formatted
/// and deflated in pieces of 32 768 vertices or triangles, side by side.
public enum ThreeMFWriter {
    static let piece = 32_768

    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let vertexPieces = (mesh.vertexCount + piece - 1) / piece
        let trianglePieces = (mesh.triangleCount + piece - 1) / piece
        // At least one triangle piece, which opens <triangles>.
        let pieces = vertexPieces + max(1, trianglePieces)
        // A vertex line is at most 3 × 16 + 28 bytes, a triangle line 3 × 10 + 30.
        let bound = 80 * mesh.vertexCount + 64 * mesh.triangleCount + 4096
        let title = escaped(name)
        try AtomicFile.write(to: url) { temporary in
            let zip = try ZipWriter(path: temporary.path)
            try zip.add("[Content_Types].xml", stored: Array(contentTypes.utf8))
            try zip.add("_rels/.rels", stored: Array(relationships.utf8))
            try zip.add("3D/3dmodel.model", pieces: pieces, large: bound >= 0xFFFF_FFFF) { p in
                var out: [UInt8] = []
                out.reserveCapacity(80 * piece)
                if p == 0 {
                    out += Array("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <model unit="millimeter" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">
                        <metadata name="Title">\(title)</metadata>
                        <resources>
                        <object id="1" name="\(title)" type="model">
                        <mesh>
                        <vertices>

                        """.utf8)
                }
                if p < vertexPieces {
                    appendElements(p * piece..<min((p + 1) * piece, mesh.vertexCount), tags: vertexTags, to: &out) {
                        append(mesh.positions[$0], to: &$1)
                    }
                }
                if p == vertexPieces { out += Array("</vertices>\n<triangles>\n".utf8) }
                if p >= vertexPieces {
                    let q = p - vertexPieces
                    appendElements(q * piece..<min((q + 1) * piece, mesh.triangleCount), tags: triangleTags, to: &out) {
                        append(mesh.indices[$0], to: &$1)
                    }
                }
                if p == pieces - 1 {
                    out += Array("</triangles>\n</mesh>\n</object>\n</resources>\n<build>\n<item objectid=\"1\"/>\n</build>\n</model>\n".utf8)
                }
                return out
            }
            try zip.finish()
        }
    }

    private static let vertexTags = ["<vertex x=\"", "\" y=\"", "\" z=\"", "\"/>\n"].map { Array($0.utf8) }
    private static let triangleTags = ["<triangle v1=\"", "\" v2=\"", "\" v3=\"", "\"/>\n"].map { Array($0.utf8) }

    /// One line `tags[0] value tags[1] value tags[2] value tags[3]` per item of `items`;
    /// `value(i, &out)` writes the value numbered i (3 · item + k).
    @inline(__always)
    private static func appendElements(_ items: Range<Int>, tags: [[UInt8]], to out: inout [UInt8],
                                       _ value: (Int, inout [UInt8]) -> Void) {
        for item in items {
            for k in 0..<3 {
                out += tags[k]
                value(3 * item + k, &out)
            }
            out += tags[3]
        }
    }

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>\
        </Types>

        """

    private static let relationships = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Target="/3D/3dmodel.model" Id="rel0" \
        Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>\
        </Relationships>

        """

    /// The shortest decimal that reads back as `value`.
    @inline(__always)
    private static func append(_ value: Float, to out: inout [UInt8]) {
        out += value.description.utf8
    }

    @inline(__always)
    private static func append(_ value: UInt32, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value, n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
                v /= 10
                n &+= 1
            } while v > 0
            while n > 0 {
                n &-= 1
                out.append(d[n])
            }
        }
    }

    /// `text` with XML's five special characters escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
