/// The number of samples along each axis of a grid, x fastest.
///
/// A 2D field is a grid of depth one (`nz == 1`). In recipes a cube is written as one
/// integer (`128`), anything else as `[nx, ny, nz]` or a string `"512x512"` / `"64x64x32"`.
public struct GridSize: Hashable, Sendable, CustomStringConvertible {
    public var nx: Int
    public var ny: Int
    public var nz: Int

    public init(nx: Int, ny: Int, nz: Int) {
        self.nx = nx
        self.ny = ny
        self.nz = nz
    }

    /// A cube of `n` samples per axis.
    public init(cube n: Int) {
        self.init(nx: n, ny: n, nz: n)
    }

    /// Parses `"128"`, `"512x512"` (2D) or `"64x64x32"`; nil when the text is not of that shape.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count else { return nil }
        switch numbers.count {
        case 1: self.init(cube: numbers[0])
        case 2: self.init(nx: numbers[0], ny: numbers[1], nz: 1)
        case 3: self.init(nx: numbers[0], ny: numbers[1], nz: numbers[2])
        default: return nil
        }
    }

    /// Total number of samples.
    public var count: Int { nx * ny * nz }

    /// True for a 2D field (depth one).
    public var isPlanar: Bool { nz == 1 }

    /// True when all three axes have the same length.
    public var isCube: Bool { nx == ny && ny == nz }

    public var description: String {
        if isCube { return "\(nx)" }
        if isPlanar { return "\(nx)x\(ny)" }
        return "\(nx)x\(ny)x\(nz)"
    }
}

extension GridSize: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self.init(cube: n)
        } else if let list = try? container.decode([Int].self), (2...3).contains(list.count) {
            self.init(nx: list[0], ny: list[1], nz: list.count == 3 ? list[2] : 1)
        } else if let text = try? container.decode(String.self), let parsed = GridSize(parsing: text) {
            self = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "size must be an integer (128), a list [nx, ny, nz] or a string like \"512x512\"")
        }
        let top = Recipe.Limits.maximumSamples
        guard [nx, ny, nz].allSatisfy({ (1...top).contains($0) }) else {
            throw RecipeError.outOfRange(key: "size", value: "[\(nx), \(ny), \(nz)]", rule: "needs 1 to \(top) samples per axis")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if isCube {
            try container.encode(nx)
        } else {
            try container.encode([nx, ny, nz])
        }
    }
}

import Foundation
