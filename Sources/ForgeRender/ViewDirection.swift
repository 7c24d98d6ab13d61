import Foundation

/// Where the camera looks from. The part's z axis points up in every view but `top`.
public enum ViewDirection: String, CaseIterable, Sendable, Codable {
    /// From (+x, −y, +z): three faces visible, z up.
    case iso
    /// From −y: x to the right, z up.
    case front
    /// From +z: x to the right, y up.
    case top
    /// From +x: y to the right, z up.
    case side

    /// Unit vectors in model space: the image's right and up, and `back`, pointing from the
    /// part towards the viewer (right × up = back).
    public var basis: (right: SIMD3<Double>, up: SIMD3<Double>, back: SIMD3<Double>) {
        switch self {
        case .iso:
            return (SIMD3(1, 1, 0) / 2.0.squareRoot(), SIMD3(-1, 1, 2) / 6.0.squareRoot(),
                    SIMD3(1, -1, 1) / 3.0.squareRoot())
        case .front: return (SIMD3(1, 0, 0), SIMD3(0, 0, 1), SIMD3(0, -1, 0))
        case .top: return (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))
        case .side: return (SIMD3(0, 1, 0), SIMD3(0, 0, 1), SIMD3(1, 0, 0))
        }
    }

    /// Parses "iso,front,top,side" (or "all"); nil names the first unknown entry.
    public static func parseList(_ text: String) -> Result<[ViewDirection], UnknownView> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if names == ["all"] { return .success(allCases) }
        var views: [ViewDirection] = []
        for name in names {
            guard let view = ViewDirection(rawValue: name) else { return .failure(UnknownView(name: name)) }
            if !views.contains(view) { views.append(view) }
        }
        return views.isEmpty ? .failure(UnknownView(name: text)) : .success(views)
    }

    public struct UnknownView: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "unknown view '\(name)'; use a comma-separated list of iso, front, top, side (or all)"
        }
    }
}
