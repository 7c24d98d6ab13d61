import ForgeCore
import Foundation

/// Binary glTF 2.0 (GLB): one node, one mesh, one triangle primitive with POSITION and
/// 32-bit indices, no extensions. glTF's unit is the metre, so positions are written in
/// metres (the millimetre coordinates scaled by 0.001; no node transform); viewers compute
/// flat normals, as the specification asks when none are given.
public enum GLBWriter {
    static let metresPerMillimetre: Float = 0.001

    public static func write(_ mesh: Mesh, name: String, to url: URL) throws {
        let (v, t) = (mesh.vertexCount, mesh.triangleCount)
        var low = SIMD3<Float>(repeating: .infinity), high = SIMD3<Float>(repeating: -.infinity)
        for i in 0..<v {
            let p = mesh.vertex(i) * metresPerMillimetre
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        if v == 0 { (low, high) = (.zero, .zero) }
        let positionBytes = 12 * v, indexBytes = 12 * t
        let title = String(decoding: (try? JSONEncoder().encode(name)) ?? Data("\"design\"".utf8), as: UTF8.self)
        func list(_ p: SIMD3<Float>) -> String { "[\(p.x.description),\(p.y.description),\(p.z.description)]" }
        var json = Array("""
            {"asset":{"version":"2.0","generator":"CephaloForge"},"scene":0,"scenes":[{"nodes":[0]}],\
            "nodes":[{"name":\(title),"mesh":0}],"meshes":[{"name":\(title),"primitives":[{"attributes":{"POSITION":0},\
            "indices":1,"mode":4}]}],"accessors":[{"bufferView":0,"componentType":5126,"count":\(v),"type":"VEC3",\
            "min":\(list(low)),"max":\(list(high))},{"bufferView":1,"componentType":5125,"count":\(3 * t),"type":"SCALAR"}],\
            "bufferViews":[{"buffer":0,"byteOffset":0,"byteLength":\(positionBytes),"target":34962},\
            {"buffer":0,"byteOffset":\(positionBytes),"byteLength":\(indexBytes),"target":34963}],\
            "buffers":[{"byteLength":\(positionBytes + indexBytes)}]}
            """.utf8)
        while json.count % 4 != 0 { json.append(0x20) }
        var head: [UInt8] = []
        func word(_ x: Int) { withUnsafeBytes(of: UInt32(x).littleEndian) { head += $0 } }
        word(0x4654_6C67)  // "glTF"
        word(2)
        word(12 + 8 + json.count + 8 + positionBytes + indexBytes)
        word(json.count)
        word(0x4E4F_534A)  // "JSON"
        head += json
        word(positionBytes + indexBytes)
        word(0x004E_4942)  // "BIN\0"
        let header = head
        let scale = metresPerMillimetre
        try ChunkedFile.writeMesh(mesh, header: header, bytesPerVertex: 12, bytesPerTriangle: 12, to: url) { p, v, out in
            for k in 0..<3 { out.storeBytes(of: (p[3 * v + k] * scale).bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        } triangle: { idx, t, out in
            for k in 0..<3 { out.storeBytes(of: idx[3 * t + k].littleEndian, toByteOffset: 4 * k, as: UInt32.self) }
        }
    }
}
