/// What a render looks like.
public struct RenderOptions: Sendable {
    /// Output size in pixels.
    public var width: Int = 800
    public var height: Int = 800
    public var view: ViewDirection = .iso
    public var coloring: SurfaceColoring = .uniform
    /// Each output pixel averages supersampling² rendered samples (anti-aliasing).
    public var supersampling: Int = 2
    /// Scale bar, view label and colour legend.
    public var decorations: Bool = true
    /// The scale bar among the decorations (off when the mesh is not in millimetres).
    public var scaleBar: Bool = true
    public var ambientOcclusion: Bool = true
    public var outlines: Bool = true
    /// Text drawn at the top left instead of the view name.
    public var title: String?

    /// The plain background colour (tests and reports rely on it).
    public static let background = SIMD3<UInt8>(247, 247, 249)

    public init() {}

    public init(width: Int, height: Int, view: ViewDirection = .iso, coloring: SurfaceColoring = .uniform) {
        self.width = width
        self.height = height
        self.view = view
        self.coloring = coloring
    }
}
