/// How property solves run: not at all, on a grid coarsened where features allow (the
/// default), or at the design's full resolution.
public enum PropertyMode: String, Sendable, CaseIterable, Codable {
    case off, fast, full
}
