import ForgeCore

/// How far a reduced mesh is from the full mesh it stands for: the test every coarser or
/// decimated mesh must pass before it is written in the full mesh's place.
public struct MeshFidelity: Sendable, Codable, Equatable {
    /// (reduced volume − full volume) / full volume.
    public let volumeChange: Double
    /// Largest difference of the two bounding boxes' faces, mm.
    public let extentChange: Double
    /// Bodies and cavities agree.
    public let sameShells: Bool
    /// Two-sided Hausdorff distance between the surfaces, mm, measured at the full mesh's
    /// vertices and at points of the reduced mesh no farther than `sampleSpacing` apart
    /// (capped at `Tolerance.searchRadius`; distances below a tenth of the tolerance are not
    /// resolved, and read as that tenth; above the tolerance the search stops, so a value
    /// above it is a lower bound).
    public let hausdorff: Double
    public let sampleSpacing: Double

    /// What "the same part" means, for a mesh of voxels `voxel` mm wide.
    public struct Tolerance: Sendable, Equatable {
        /// Largest |volumeChange| (the README's 1%).
        public var volume = 0.01
        /// Largest Hausdorff distance, in voxels.
        public var hausdorffVoxels = 0.5
        /// Largest extent change, in voxels.
        public var extentVoxels = 0.01
        public var voxel: Double

        public init(voxel: Double) { self.voxel = voxel }

        public var hausdorff: Double { hausdorffVoxels * voxel }
        /// Distances are searched this far; beyond, a point counts as this far.
        public var searchRadius: Double { 2 * hausdorff }
    }

    enum CodingKeys: String, CodingKey {
        case volumeChange = "volume_change", extentChange = "extent_change_mm", sameShells = "same_shells"
        case hausdorff = "hausdorff_mm", sampleSpacing = "sample_spacing_mm"
    }

    /// The full-resolution mesh, measured once for every comparison with it.
    public struct Reference: Sendable {
        public let mesh: Mesh
        public let shells: MeshShells
        let volume: Double
        let bounds: (min: SIMD3<Float>, max: SIMD3<Float>)
        let distance: SurfaceDistance

        public init(_ mesh: Mesh, shells: MeshShells, tolerance: Tolerance) {
            self.mesh = mesh
            self.shells = shells
            volume = mesh.signedVolume
            bounds = mesh.bounds
            distance = SurfaceDistance(to: mesh, radius: tolerance.searchRadius)
        }
    }

    /// Compares `reduced`, whose shells are `reducedShells`, with `full`.
    public init(of reduced: Mesh, shells reducedShells: MeshShells, against full: Reference, tolerance: Tolerance) {
        volumeChange = full.volume > 0 ? (reduced.signedVolume - full.volume) / full.volume : .infinity
        let (r, f) = (reduced.bounds, full.bounds)
        var extent: Float = 0
        for k in 0..<3 { extent = max(extent, abs(r.min[k] - f.min[k]), abs(r.max[k] - f.max[k])) }
        extentChange = Double(extent)
        sameShells = reducedShells == full.shells
        sampleSpacing = tolerance.voxel
        let radius = tolerance.searchRadius, resolution = tolerance.hausdorff / 10
        // Past the tolerance the part is not the same, and the search stops there.
        let towardFull = full.distance.largestDistance(from: reduced.surfaceSamples(spacing: sampleSpacing),
                                                       resolution: resolution, stopAbove: tolerance.hausdorff)
        guard towardFull <= tolerance.hausdorff else {
            hausdorff = towardFull
            return
        }
        let towardReduced = SurfaceDistance(to: reduced, radius: radius)
            .largestDistance(fromVerticesOf: full.mesh, resolution: resolution, stopAbove: tolerance.hausdorff)
        hausdorff = max(towardFull, towardReduced)
    }

    /// True when every measure is within `tolerance`.
    public func isSamePart(_ tolerance: Tolerance) -> Bool {
        sameShells && abs(volumeChange) <= tolerance.volume && extentChange <= tolerance.extentVoxels * tolerance.voxel
            && hausdorff <= tolerance.hausdorff
    }

    /// What is off, in words, or nil when nothing is.
    public func failure(_ tolerance: Tolerance) -> String? {
        var parts: [String] = []
        if !sameShells { parts.append("different bodies or cavities") }
        if abs(volumeChange) > tolerance.volume {
            parts.append("volume \(volumeChange >= 0 ? "+" : "")\(percent(volumeChange))")
        }
        if extentChange > tolerance.extentVoxels * tolerance.voxel { parts.append("extent off by \(millimetres(extentChange))") }
        // The search stops at the first point past the tolerance (which depends on the
        // threads' timing), so the message names the tolerance, not that point's distance.
        if hausdorff > tolerance.hausdorff { parts.append("surface more than \(millimetres(tolerance.hausdorff)) away somewhere") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

private func percent(_ x: Double) -> String {
    let p = (x * 1000).rounded() / 10
    return "\(p)%"
}

private func millimetres(_ x: Double) -> String {
    let v = (x * 1000).rounded() / 1000
    return "\(v) mm"
}
