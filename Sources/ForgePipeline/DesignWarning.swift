/// Something the user should know about a design that did not stop it: printed, kept in
/// metrics.json (`warnings`) and shown at the top of report.html.
public struct DesignWarning: Codable, Equatable, Sendable, CustomStringConvertible {
    /// A stable name scripts can test for, such as `mesh_over_budget`.
    public let code: String
    public let message: String
    /// The pipeline stage that raised it (the progress bar's stage names).
    public let stage: String

    public init(_ code: String, _ message: String, stage: String) {
        self.code = code
        self.message = message
        self.stage = stage
    }

    public var description: String { message }
}
