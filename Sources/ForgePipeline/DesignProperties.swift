import ForgeCore
import ForgeFormats
import ForgeMorphology
import ForgeProperties
import Foundation

/// `properties` in metrics.json: what the structure does.
public struct DesignProperties: Codable, Equatable, Sendable {
    /// The homogenised elastic behaviour; nil when not defined for this design (see `elasticNote`).
    public var elastic: ElasticProperties?
    /// Why `elastic` is absent, when it is.
    public var elasticNote: String?
    /// Flow and diffusion through the pores (and conduction through the solid); nil when not
    /// defined for this design (see `transportNote`).
    public var transport: TransportProperties?
    public var transportNote: String?

    enum CodingKeys: String, CodingKey {
        case elastic
        case elasticNote = "elastic_note"
        case transport
        case transportNote = "transport_note"
    }

    public init(elastic: ElasticProperties?, elasticNote: String? = nil,
                transport: TransportProperties? = nil, transportNote: String? = nil) {
        self.elastic = elastic
        self.elasticNote = elasticNote
        self.transport = transport
        self.transportNote = transportNote
    }

    /// The grid a property solve of `recipe` runs on: one cell of a tiled periodic part (tiles
    /// of a periodic cell have its stiffness), otherwise the whole part.
    public static func cellSize(of recipe: Recipe) -> GridSize {
        recipe.tile == [1, 1, 1] || !recipe.isPeriodic ? recipe.tiledSize : recipe.size
    }

    /// Computes the properties of `mask` (the whole part, tiles included) for `recipe`; nil when
    /// `mode` is off. A tiled part is solved on one cell: tiles of a periodic cell have its stiffness.
    /// With `flow`, the flow speed under a pressure gradient along each axis is handed to it
    /// (see `TransportProperties.compute`).
    public static func compute(mask: VoxelMask, recipe: Recipe, mode: PropertyMode,
                               flow: ((_ axis: Int, _ speed: ScalarGrid) -> Void)? = nil,
                               progress: ProgressReporter) throws -> DesignProperties? {
        guard mode != .off else { return nil }
        guard !mask.size.isPlanar else {
            return DesignProperties(
                elastic: nil, elasticNote:
                    "not defined for a 2D field: a plate's in-plane stiffness needs a 3D cell (generate the design at a 3D size)",
                transport: nil, transportNote:
                    "not defined for a 2D field: flow and diffusion need a 3D cell (generate the design at a 3D size)")
        }
        let size = cellSize(of: recipe)
        let cell = size == mask.size ? mask : mask.block(of: size)
        let solid = cell.count
        guard solid > 0 else {
            return DesignProperties(elastic: nil, elasticNote: "the design has no solid",
                                    transport: nil, transportNote: "the design has no solid")
        }
        // Progress: the six elastic load cases take about half the time, the nine transport
        // solves (the three Stokes solves most of it) the rest.
        progress.update("properties", 0)
        let tolerance = ElasticProperties.defaultTolerance
        let elastic = try ElasticProperties.compute(mask: cell, material: recipe.material, mode: mode,
                                                    periodic: recipe.isPeriodic) { load, _, residual in
            let done = min(1, max(0, log(residual) / log(tolerance)))
            progress.update("properties", 0.5 * (Double(load) + done) / 6)
        }
        guard solid < cell.size.count else {
            progress.update("properties", 1)
            return DesignProperties(elastic: elastic, transport: nil, transportNote: "the design has no pores")
        }
        let weights = [0.05, 0.05, 0.9]
        let transport = TransportProperties.compute(mask: cell, voxelMM: recipe.voxelSizeMM, mode: mode,
                                                    periodic: recipe.isPeriodic, flow: flow) { stage, axis, residual in
            let done = min(1, max(0, log(residual) / log(1e-3)))
            let before = weights[..<stage].reduce(0, +)
            progress.update("properties", 0.5 + 0.5 * (before + weights[stage] * (Double(axis) + done) / 3))
        }
        progress.update("properties", 1)
        return DesignProperties(elastic: elastic, transport: transport)
    }
}

/// The flow-speed volumes `--volume` writes beside the level set.
public enum FlowVolumes {
    /// `flow_speed_x`, `flow_speed_y`, `flow_speed_z`.
    public static func base(axis: Int) -> String { "flow_speed_" + ["x", "y", "z"][axis] }

    /// The files `write` makes for `formats`.
    public static func fileNames(_ formats: [VolumeFormat]) -> [String] {
        (0..<3).flatMap { axis in formats.flatMap { $0.fileNames(base: base(axis: axis)) } }
    }

    /// Writes one axis's flow speed in each format into `folder`.
    public static func write(_ speed: ScalarGrid, axis: Int, formats: [VolumeFormat], into folder: URL) throws {
        let name = ["x", "y", "z"][axis]
        for format in formats {
            try format.write(speed, into: folder, base: base(axis: axis), quantity: "flow_speed_\(name)",
                             comment: "CephaloForge flow speed at voxel centres under a pressure gradient along \(name): "
                                + "m^2 per unit (-grad p / viscosity); its mean along \(name) is the permeability k_\(name)\(name)")
        }
    }
}

extension VoxelMask {
    /// The block of `size` at the origin.
    func block(of size: GridSize) -> VoxelMask {
        precondition(size.nx <= self.size.nx && size.ny <= self.size.ny && size.nz <= self.size.nz)
        var bits = [UInt8](repeating: 0, count: size.count)
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                let from = self.size.nx * (y + self.size.ny * z), to = size.nx * (y + size.ny * z)
                for x in 0..<size.nx { bits[to + x] = self.bits[from + x] }
            }
        }
        return VoxelMask(size: size, bits: bits)
    }
}
