import ForgeFormats
import ForgeProperties
import Foundation

/// How a design is written, beyond what its recipe fixes.
public struct DesignOptions: Sendable {
    /// Mesh files to write (`model.stl` by default).
    public var meshFormats: [MeshFormat]
    /// Volume files for analysis tools.
    public var volumeFormats: [VolumeFormat]
    /// Also write `slices16/`: 16-bit slices of the level set, linearly mapped to 0…65535.
    public var sixteenBitSlices: Bool
    /// Taubin smoothing iterations on the mesh (0 = none).
    public var smoothingIterations: Int
    /// A printer's layer images, zipped (`printer_slices.zip`).
    public var printerStack: PrinterSliceStack?
    /// Decimate meshes above this many triangles (0 = never).
    public var maxTriangles: Int
    /// Renders, slice montage, plots and report.html.
    public var images: ImageOptions
    /// Further files to put in the design folder (name → contents), such as a model exchange.
    public var extraFiles: [String: Data] = [:]
    /// Keep the files of an earlier design in the folder that this run does not write
    /// (otherwise the folder holds exactly this run's files).
    public var keepOtherFiles = false
    /// Elastic properties: off, fast (a grid of at most 128 per axis) or full resolution.
    public var properties: PropertyMode = .fast

    /// Consumer slicers handle about a million triangles on a plate; above that they slow
    /// down or refuse, so printable output is kept at or below it unless asked otherwise.
    public static let slicerFriendlyTriangles = 1_000_000

    public init(meshFormats: [MeshFormat] = [.stl], volumeFormats: [VolumeFormat] = [], sixteenBitSlices: Bool = false,
                smoothingIterations: Int = 0, printerStack: PrinterSliceStack? = nil,
                maxTriangles: Int = DesignOptions.slicerFriendlyTriangles, images: ImageOptions = ImageOptions()) {
        self.meshFormats = meshFormats
        self.volumeFormats = volumeFormats
        self.sixteenBitSlices = sixteenBitSlices
        self.smoothingIterations = smoothingIterations
        self.printerStack = printerStack
        self.maxTriangles = maxTriangles
        self.images = images
    }
}
