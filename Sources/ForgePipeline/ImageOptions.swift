import ForgeRender

/// Which pictures a design folder gets.
public struct ImageOptions: Sendable {
    /// How the surface of the preview is coloured.
    public enum Coloring: String, Sendable, CaseIterable {
        case uniform, height, thickness
    }

    /// Write renders, the slice montage, plots and report.html at all.
    public var enabled: Bool
    /// Views rendered: the first is preview.png, the others preview-<view>.png.
    public var views: [ViewDirection]
    /// Render size in pixels (square).
    public var size: Int
    public var coloring: Coloring

    public init(enabled: Bool = true, views: [ViewDirection] = [.iso], size: Int = 800, coloring: Coloring = .uniform) {
        self.enabled = enabled
        self.views = views
        self.size = size
        self.coloring = coloring
    }

    /// File name of the render of `view` (`preview.png` for the first view).
    public func fileName(for view: ViewDirection) -> String {
        view == views.first ? "preview.png" : "preview-\(view.rawValue).png"
    }
}
