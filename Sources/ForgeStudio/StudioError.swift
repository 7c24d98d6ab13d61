import Foundation
import Hummingbird

/// What a studio request or start-up got wrong; each description is one sentence a user can act on.
public enum StudioError: Error, CustomStringConvertible, Sendable {
    case badRequest(String)
    case notFound(String)
    case conflict(String)
    case unauthorized
    case tooLarge(limitBytes: Int)
    case tokenRequired(host: String)
    case badOutputs(path: String, reason: String)
    case noTemplates

    public var description: String {
        switch self {
        case let .badRequest(message), let .notFound(message), let .conflict(message):
            return message
        case .unauthorized:
            return "this studio needs its token: send 'Authorization: Bearer <token>' or open the page with ?token=<token>"
        case let .tooLarge(limit):
            return "the request body is larger than \(limit) bytes: send a smaller recipe or picture"
        case let .tokenRequired(host):
            return "--host \(host) makes the studio reachable from other machines: give --token (or bind 127.0.0.1)"
        case let .badOutputs(path, reason):
            return "--outputs \(path): \(reason); choose a writable folder"
        case .noTemplates:
            return "the studio's pages (Templates/studio) were not found: run from the project folder or set CEPHALO_FORGE_TEMPLATES"
        }
    }

    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: return .badRequest
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .unauthorized: return .unauthorized
        case .tooLarge: return .contentTooLarge
        case .tokenRequired, .badOutputs, .noTemplates: return .internalServerError
        }
    }
}

extension StudioError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if case .unauthorized = self { headers[.wwwAuthenticate] = "Bearer" }
        let body = (try? JSONEncoder().encode(["error": description])) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
