/// Union–find over 0..<count with path compression; the smaller number becomes the root,
/// so roots are the first element of each set in numbering order.
public struct DisjointSets {
    public private(set) var parent: [Int32]

    public init(count: Int) {
        parent = [Int32](unsafeUninitializedCapacity: count) { buffer, initialised in
            for i in 0..<count { buffer[i] = Int32(i) }
            initialised = count
        }
    }

    /// The root of `i`'s set.
    public mutating func find(_ i: Int32) -> Int32 {
        parent.withUnsafeMutableBufferPointer { Self.find(i, in: $0) }
    }

    /// Joins the sets of `a` and `b`.
    public mutating func union(_ a: Int32, _ b: Int32) {
        parent.withUnsafeMutableBufferPointer { Self.union(a, b, in: $0) }
    }

    /// Runs `body` on the parent storage, for hot loops that use the static `find` and
    /// `union`.
    public mutating func withParents<R>(_ body: (UnsafeMutableBufferPointer<Int32>) throws -> R) rethrows -> R {
        try parent.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// `find` on raw parent storage (each element's parent, roots pointing at themselves),
    /// for hot loops that hold the buffer once.
    @inline(__always)
    public static func find(_ i: Int32, in parent: UnsafeMutableBufferPointer<Int32>) -> Int32 {
        var r = i
        while parent[Int(r)] != r { r = parent[Int(r)] }
        var j = i
        while parent[Int(j)] != r {
            let next = parent[Int(j)]
            parent[Int(j)] = r
            j = next
        }
        return r
    }

    /// `union` on raw parent storage.
    @inline(__always)
    public static func union(_ a: Int32, _ b: Int32, in parent: UnsafeMutableBufferPointer<Int32>) {
        let ra = find(a, in: parent), rb = find(b, in: parent)
        if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
    }
}
