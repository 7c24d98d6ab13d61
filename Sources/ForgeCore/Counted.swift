/// "1 body", "9 bodies": a count with its noun in the right number.
public func counted(_ count: Int, _ one: String, _ many: String) -> String {
    "\(count) \(count == 1 ? one : many)"
}
