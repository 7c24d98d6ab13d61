import ForgeCore

/// A 2D level set repeated through a plate, so a planar pattern can be meshed and printed.
enum PlateExtrusion {
    /// `field` (depth one) stacked into `max(1, round(thickness / h))` identical layers; its
    /// mesh is stretched along z by `zScale` to the exact thickness.
    static func extruded(_ field: ScalarGrid, thicknessMM: Double) -> ScalarGrid {
        precondition(field.size.isPlanar)
        let layers = max(1, Int((thicknessMM / field.voxelSizeMM).rounded()))
        var values: [Float] = []
        values.reserveCapacity(field.values.count * layers)
        for _ in 0..<layers { values += field.values }
        return ScalarGrid(size: GridSize(nx: field.size.nx, ny: field.size.ny, nz: layers),
                          voxelSizeMM: field.voxelSizeMM, values: values)
    }

    /// The stretch along z that brings `layers(thicknessMM)` voxels to `thicknessMM`.
    static func zScale(_ field: ScalarGrid, thicknessMM: Double) -> Float {
        let layers = max(1, Int((thicknessMM / field.voxelSizeMM).rounded()))
        return Float(thicknessMM / (Double(layers) * field.voxelSizeMM))
    }
}
