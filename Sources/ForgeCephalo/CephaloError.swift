/// Why a model call gave nothing usable. Each message says what happened and what to try.
public enum CephaloError: Error, CustomStringConvertible, Equatable {
    case unreachable(url: String, reason: String)
    case timedOut(url: String, seconds: Double)
    case httpStatus(code: Int, message: String, retryAfterS: Double? = nil)
    case redirected(from: String, to: String, reason: String)
    case replyTooLarge(bytes: Int, limit: Int)
    case garbledReply(reason: String)
    case emptyReply
    case noJSON(excerpt: String)
    case wrongShape(reason: String)
    case templateMissing(path: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason):
            return "the Cephalo server at \(url) cannot be reached (\(reason)); check --cephalo-url and that the server runs"
        case let .timedOut(url, seconds):
            return "the Cephalo server at \(url) did not answer within \(Int(seconds)) s and was not asked again (it may still be working); "
                + "raise --timeout or use a smaller model"
        case let .httpStatus(code, message, _):
            let hint: String
            switch code {
            case 401, 403: hint = "check CEPHALO_API_KEY"
            case 404: hint = "check --cephalo-url (it should end in /v1) and --model"
            case 429: hint = "the server is rate limiting; try again later"
            case 500...: hint = "the server failed; see its log"
            default: hint = "the server refused the request"
            }
            return "the Cephalo server answered HTTP \(code)\(message.isEmpty ? "" : ": \(message)"); \(hint)"
        case let .redirected(from, to, reason):
            return "the Cephalo server at \(from) redirected to \(to), which was not followed: \(reason)"
        case let .replyTooLarge(bytes, limit):
            return "the Cephalo reply passed \(bytes) bytes, over the \(limit)-byte limit; it was abandoned"
        case let .garbledReply(reason):
            return "the Cephalo reply is not a chat completion (\(reason))"
        case .emptyReply:
            return "the Cephalo reply has no message text"
        case let .noJSON(excerpt):
            return "the Cephalo reply holds no JSON object (it began: \"\(excerpt)\")"
        case let .wrongShape(reason):
            return "the Cephalo reply's JSON has the wrong shape: \(reason)"
        case let .templateMissing(path):
            return "prompt template \(path) is missing; pass --prompt-dir with describe.md and critique.md"
        }
    }

    /// Whether trying again may help.
    public var isRetryable: Bool {
        switch self {
        case .unreachable: return true
        case let .httpStatus(code, _, _): return code == 429 || code >= 500
        default: return false
        }
    }
}
