import ForgeCore
import Foundation

/// A conservative estimate of the memory one design needs, checked before allocating.
public enum MemoryBudget {
    /// Bytes per grid sample at peak: the Float32 field, the FFT workspace alongside it
    /// during synthesis, and mesh arrays (vertices, indices and their merge) while meshing.
    public static let bytesPerSample = 20.0

    public static func estimatedBytes(for size: GridSize) -> Double {
        Double(size.nx) * Double(size.ny) * Double(size.nz) * bytesPerSample + 64 * 1_048_576
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
