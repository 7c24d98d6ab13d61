import CGL
import Foundation

/// The process's offscreen OpenGL context (EGL, surfaceless). Every call into CGL sits here.
/// The context is opened on first use and shared; draws are serialised, because a context
/// is current on one thread at a time.
final class OffscreenGL: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = NSLock()

    private init(handle: OpaquePointer) { self.handle = handle }

    deinit { cf_gl_close(handle) }

    nonisolated(unsafe) private static var opened: Result<OffscreenGL, RenderError>?
    private static let openLock = NSLock()

    /// The shared context, or the reason there is none (remembered: a machine without GL
    /// stays without it for the life of the process).
    static func shared() throws(RenderError) -> OffscreenGL {
        openLock.lock()
        defer { openLock.unlock() }
        if opened == nil {
            var message = [CChar](repeating: 0, count: 512)
            if let handle = cf_gl_open(&message, message.count) {
                opened = .success(OffscreenGL(handle: handle))
            } else {
                opened = .failure(.glUnavailable(reason: Self.text(message)))
            }
        }
        return try opened!.get()
    }

    /// The driver's name, as GL_RENDERER reports it.
    var rendererName: String {
        lock.lock()
        defer { lock.unlock() }
        var name = [CChar](repeating: 0, count: 256)
        cf_gl_renderer_name(handle, &name, name.count)
        return Self.text(name)
    }

    /// Draws one scene and returns RGBA and depth, bottom row first.
    func draw(_ scene: GLScene, width: Int, height: Int) throws(RenderError) -> (rgba: [UInt8], depth: [Float]) {
        lock.lock()
        defer { lock.unlock() }
        var rgba = [UInt8](repeating: 0, count: 4 * width * height)
        var depth = [Float](repeating: 1, count: width * height)
        var message = [CChar](repeating: 0, count: 512)
        let status: Int32 = scene.positions.withUnsafeBufferPointer { positions in
            scene.normals.withUnsafeBufferPointer { normals in
                scene.colors.withUnsafeBufferPointer { colors in
                    scene.indices.withUnsafeBufferPointer { indices in
                        var c = cf_gl_scene()
                        c.positions = positions.baseAddress
                        c.normals = normals.baseAddress
                        c.colors = colors.baseAddress
                        c.vertex_count = UInt32(positions.count / 3)
                        c.indices = indices.baseAddress
                        c.index_count = UInt32(indices.count)
                        withUnsafeMutableBytes(of: &c.model_view) { Self.copy(scene.modelView, into: $0) }
                        withUnsafeMutableBytes(of: &c.projection) { Self.copy(scene.projection, into: $0) }
                        withUnsafeMutableBytes(of: &c.light_directions) { Self.copy(scene.lightDirections, into: $0) }
                        withUnsafeMutableBytes(of: &c.light_intensities) { Self.copy(scene.lightIntensities, into: $0) }
                        withUnsafeMutableBytes(of: &c.background) { Self.copy(scene.background, into: $0) }
                        c.ambient = scene.ambient
                        c.specular = scene.specular
                        c.fog_near = scene.fogNear
                        c.fog_far = scene.fogFar
                        c.fog_strength = scene.fogStrength
                        return rgba.withUnsafeMutableBufferPointer { out in
                            depth.withUnsafeMutableBufferPointer { d in
                                cf_gl_render(handle, &c, Int32(width), Int32(height), out.baseAddress,
                                             d.baseAddress, &message, message.count)
                            }
                        }
                    }
                }
            }
        }
        guard status == 0 else { throw .drawingFailed(reason: Self.text(message)) }
        return (rgba, depth)
    }

    private static func copy(_ values: [Float], into raw: UnsafeMutableRawBufferPointer) {
        values.withUnsafeBytes { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(raw.count))) }
    }

    private static func text(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What one draw needs: flat vertex arrays and the lighting, matrices column-major.
struct GLScene {
    var positions: [Float]
    var normals: [Float]
    var colors: [Float]
    var indices: [UInt32]
    var modelView: [Float]
    var projection: [Float]
    var lightDirections: [Float]
    var lightIntensities: [Float]
    var ambient: Float
    var specular: Float
    var fogNear: Float
    var fogFar: Float
    var fogStrength: Float
    var background: [Float]
}
