import Foundation
import Hummingbird

/// Guards every request: the token (when the studio has one) as a bearer header or the
/// cookie a page visit with `?token=` sets; the Host header of a loopback studio (no DNS
/// rebinding); JSON bodies only for POST (PNG for a picture), from this origin (no cross-site form posts); a
/// declared body larger than the limit refused before it is read. Adds headers that keep
/// pages from loading anything from elsewhere.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let loopback: Bool
    let maxBodyBytes: Int

    static var cookieName: String { "cephalo_forge_token" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if loopback, let host = request.head.authority {
            let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.split(separator: ":").first ?? "")
            guard StudioConfiguration.isLoopback(name) else {
                throw StudioError.badRequest("this studio answers requests for 127.0.0.1 and localhost only")
            }
        }
        var setCookie: String?
        if let token {
            let bearer = request.headers[.authorization].flatMap { value -> String? in
                value.hasPrefix("Bearer ") ? String(value.dropFirst(7)) : nil
            }
            let cookie = request.cookies[Self.cookieName]?.value
            let query = request.uri.queryParameters.get("token")
            guard let offered = bearer ?? cookie ?? query, Self.same(offered, token) else { throw StudioError.unauthorized }
            if bearer == nil, cookie == nil { setCookie = "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict" }
        }
        if request.method == .post || request.method == .put || request.method == .delete {
            if let origin = request.headers[.origin], let host = request.head.authority,
               origin != "http://\(host)" {
                throw StudioError.badRequest("requests from another site (\(origin)) are refused")
            }
        }
        if request.method == .post {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let picture = request.uri.path == "/api/pictures"
            if picture {
                guard type.hasPrefix("image/png") else {
                    throw StudioError.badRequest("send the picture as a PNG with 'Content-Type: image/png'")
                }
            } else if !type.hasPrefix("application/json") {
                throw StudioError.badRequest("send the body as JSON with 'Content-Type: application/json'")
            }
            let limit = picture ? StudioConfiguration.maxPictureBytes : maxBodyBytes
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
                throw StudioError.tooLarge(limitBytes: limit)
            }
        }
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }

    /// Compares two secrets in time that depends on their lengths only.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}

/// Each request may read a body up to the studio's limit.
struct StudioContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    static let bodyLimit = StudioConfiguration.defaultMaxBodyBytes

    init(source: Source) { coreContext = .init(source: source) }

    var maxUploadSize: Int { Self.bodyLimit }
}
