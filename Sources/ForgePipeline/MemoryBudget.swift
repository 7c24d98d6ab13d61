import ForgeCore
import ForgeProperties
import Foundation

/// A conservative estimate of the memory one design needs, checked before allocating.
public enum MemoryBudget {
    /// Bytes per grid sample at peak: the Float32 field, the FFT workspace alongside it
    /// during synthesis, and mesh arrays (vertices, indices and their merge) while meshing.
    public static let bytesPerSample = 20.0

    public static func estimatedBytes(for size: GridSize) -> Double {
        Double(size.nx) * Double(size.ny) * Double(size.nz) * bytesPerSample + 64 * 1_048_576
    }

    /// Bytes per voxel of the largest property solve's grid (the elastic one holds 18 floats
    /// per voxel; the Stokes one, with its multigrid and a kept velocity field, about 57) and
    /// its masks.
    public static let propertyBytesPerSample = max(76.0, TransportProperties.bytesPerVoxel)

    /// Throws `PipelineError.propertiesTooLarge` when the property solves of the cell `size`
    /// in `mode` (on the grid that mode solves) would not fit in physical memory.
    public static func checkProperties(_ size: GridSize, mode: PropertyMode,
                                       physicalBytes: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        guard mode != .off else { return }
        let f = Double(mode.coarsening(of: size))
        let voxels = Double(size.nx) * Double(size.ny) * Double(size.nz) / (f * f * f)
        let needed = voxels * propertyBytesPerSample + 64 * 1_048_576
        guard needed <= Double(physicalBytes) * 0.9 else {
            throw PipelineError.propertiesTooLarge(size: size.description, mode: mode.rawValue, neededGiB: needed / 1_073_741_824,
                                                   availableGiB: Double(physicalBytes) / 1_073_741_824)
        }
    }

    /// Throws `PipelineError.tooLarge` when `size` would not fit in physical memory.
    public static func check(_ size: GridSize,
                             physicalBytes: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        let needed = estimatedBytes(for: size)
        let available = Double(physicalBytes)
        guard needed <= available * 0.9 else {
            throw PipelineError.tooLarge(size: size.description, neededGiB: needed / 1_073_741_824,
                                         availableGiB: available / 1_073_741_824)
        }
    }
}
