import ForgeCore

/// Which cleanup steps run.
public struct CleanupOptions: Sendable, Equatable {
    public var keepMainBody: Bool
    public var fillEnclosedVoids: Bool
    /// Minimum feature diameter in voxels; 0 switches opening and closing off.
    public var minFeatureVoxels: Double

    public init(keepMainBody: Bool = true, fillEnclosedVoids: Bool = true, minFeatureVoxels: Double = 0) {
        self.keepMainBody = keepMainBody
        self.fillEnclosedVoids = fillEnclosedVoids
        self.minFeatureVoxels = minFeatureVoxels
    }

    public init(recipe: Recipe) {
        self.init(keepMainBody: recipe.keepMainBody, fillEnclosedVoids: recipe.fillEnclosedVoids,
                  minFeatureVoxels: recipe.minFeatureMM / recipe.voxelSizeMM)
    }

    public var isEnabled: Bool { keepMainBody || fillEnclosedVoids || minFeatureVoxels > 0 }
}

/// What cleanup changed, in voxels (the last pass, after re-targeting).
public struct CleanupReport: Sendable, Equatable, Codable {
    public var solidComponentsBefore = 0
    public var islandsRemoved = 0
    public var islandVoxelsRemoved = 0
    public var enclosedVoidsFilled = 0
    public var enclosedVoxelsFilled = 0
    public var thinSolidVoxelsRemoved = 0
    public var thinPoreVoxelsFilled = 0
    /// Pits: void pieces of at most `pitVoxels` open only to a box face.
    public var facePitsFilled = 0
    /// Threshold passes made to bring the cleaned fraction back to the target.
    public var retargetPasses = 0
    /// Largest difference between cleaned and target fraction, per group (layer or whole).
    public var fractionError = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case solidComponentsBefore = "solid_components_before"
        case islandsRemoved = "islands_removed"
        case islandVoxelsRemoved = "island_voxels_removed"
        case enclosedVoidsFilled = "enclosed_voids_filled"
        case enclosedVoxelsFilled = "enclosed_voxels_filled"
        case thinSolidVoxelsRemoved = "thin_solid_voxels_removed"
        case thinPoreVoxelsFilled = "thin_pore_voxels_filled"
        case facePitsFilled = "face_pits_filled"
        case retargetPasses = "retarget_passes"
        case fractionError = "fraction_error"
    }
}

/// Makes a thresholded level set printable: one body, no trapped voids, no features below
/// a minimum size — and keeps the target fraction by re-thresholding.
public enum PrintabilityCleanup {
    /// Void pieces this small that reach only a box face are pits, filled with the
    /// enclosed voids: a pocket one or two voxels deep in a face holds resin like a cavity.
    public static let pitVoxels = 2

    /// Cleans `field` (a level set cut at `targets`) in place. The level set is changed only
    /// where the cleaned voxels differ, and there its sign follows them, so a mesh of the
    /// field agrees with the cleaned voxels.
    ///
    /// Re-targeting: each raw (pre-cleanup) fraction — one, or one per layer — is moved by
    /// its cleaned fraction's error; a bracket of raw fractions that fell short and
    /// overshot turns steps that leave it into bisection, since near percolation the main
    /// body jumps as parts join. Passes stop once every bracket is narrower than a quarter
    /// of the tolerance. The best pass is kept.
    public static func clean(_ field: inout ScalarGrid, targets: FractionTargets, options: CleanupOptions,
                             tolerance: Double = 0.001, maximumPasses: Int = 12) -> CleanupReport {
        guard options.isEnabled else { return CleanupReport() }
        var raw = targets.values
        // The best pass's mask, packed to a bit per voxel while later passes run.
        var best: (raw: [Double], report: CleanupReport, mask: VoxelMask?, packed: PackedMask?)?
        var low = [Double](repeating: 0, count: raw.count), high = [Double](repeating: 1, count: raw.count)
        for pass in 1...maximumPasses {
            var report = CleanupReport()
            let mask = cleaned(VoxelMask(solidOf: field), options: options, report: &report)
            let realised = targets.realised(by: mask)
            let errors = zip(targets.values, realised).map { $0 - $1 }
            report.fractionError = errors.map(abs).max() ?? 0
            report.retargetPasses = pass - 1
            if best == nil || report.fractionError < best!.report.fractionError {
                best = (raw, report, mask, nil)
            }
            if report.fractionError <= tolerance { break }
            if let kept = best?.mask {
                best?.packed = PackedMask(kept)
                best?.mask = nil
            }
            for i in raw.indices where abs(errors[i]) > tolerance {
                if errors[i] > 0 { low[i] = max(low[i], raw[i]) } else { high[i] = min(high[i], raw[i]) }
            }
            // A bracket a quarter of the tolerance wide holds no better cut: the cleaned
            // fraction jumps inside it (a part joins or leaves the main body).
            if raw.indices.allSatisfy({ abs(errors[$0]) <= tolerance || high[$0] - low[$0] < tolerance / 4 }) { break }
            for i in raw.indices where abs(errors[i]) > tolerance {
                let step = raw[i] + errors[i]
                raw[i] = step > low[i] && step < high[i] ? step : (low[i] + high[i]) / 2
                raw[i] = min(max(raw[i], 1e-4), 1 - 1e-4)
            }
            field.threshold(to: targets.with(raw))
        }
        let chosen = best!
        if chosen.raw != raw { field.threshold(to: targets.with(chosen.raw)) }
        apply(chosen.mask ?? chosen.packed!.unpacked(), to: &field)
        return chosen.report
    }

    /// One cleanup pass without re-targeting or feature-size filtering, for a field whose
    /// fraction is already settled (a tiled cell: copies that touch can enclose a void
    /// between them). Adds what it changed to `report`.
    public static func tidy(_ field: inout ScalarGrid, options: CleanupOptions, report: inout CleanupReport) {
        var pass = CleanupReport()
        var light = options
        light.minFeatureVoxels = 0
        guard light.isEnabled else { return }
        let mask = cleaned(VoxelMask(solidOf: field), options: light, report: &pass)
        report.islandsRemoved += pass.islandsRemoved
        report.islandVoxelsRemoved += pass.islandVoxelsRemoved
        report.enclosedVoidsFilled += pass.enclosedVoidsFilled
        report.enclosedVoxelsFilled += pass.enclosedVoxelsFilled
        report.facePitsFilled += pass.facePitsFilled
        apply(mask, to: &field)
    }

    /// The cleaned voxel set, without touching the field.
    public static func cleaned(_ solid: consuming VoxelMask, options: CleanupOptions,
                               report: inout CleanupReport) -> VoxelMask {
        var mask = consume solid
        if options.minFeatureVoxels > 0 {
            let radius = options.minFeatureVoxels / 2
            let before = mask.count
            mask = mask.opened(radius: radius)
            report.thinSolidVoxelsRemoved = before - mask.count
            let opened = mask.count
            mask = mask.closed(radius: radius)
            report.thinPoreVoxelsFilled = mask.count - opened
        }
        if options.keepMainBody {
            let components = ComponentLabels(mask)
            report.solidComponentsBefore = components.count
            if let main = components.largest, components.count > 1 {
                report.islandsRemoved = components.count - 1
                report.islandVoxelsRemoved = mask.count - components.sizes[main]
                components.set(&mask, to: 0) { $0 != main }
            }
        }
        if options.fillEnclosedVoids {
            let voids = ComponentLabels(mask, phase: 0)
            let enclosed = (0..<voids.count).filter { voids.isEnclosed($0) }
            let pits = (0..<voids.count).filter { !voids.isEnclosed($0) && voids.sizes[$0] <= Self.pitVoxels }
            if !enclosed.isEmpty || !pits.isEmpty {
                report.enclosedVoidsFilled = enclosed.count
                report.enclosedVoxelsFilled = enclosed.reduce(0) { $0 + voids.sizes[$1] }
                report.facePitsFilled = pits.count
                voids.set(&mask, to: 1) { voids.isEnclosed($0) || voids.sizes[$0] <= Self.pitVoxels }
            }
        }
        return mask
    }

    /// Flips the sign of the level set where `mask` disagrees with it.
    static func apply(_ mask: VoxelMask, to field: inout ScalarGrid) {
        let floor: Float = 1e-4
        field.values.withUnsafeMutableBufferPointer { f in
            for i in f.indices {
                let solid = mask.bits[i] != 0
                if (f[i] > 0) != solid {
                    let magnitude = max(abs(f[i]), floor)
                    f[i] = solid ? magnitude : -magnitude
                }
            }
        }
    }
}
