extension Recipe {
    /// Bounds that every recipe must satisfy before anything is generated.
    public enum Limits {
        public static let minimumSamples = 8
        /// The most samples along one axis (before tiling): far above what memory allows in
        /// 3D, and small enough that every product of sizes and tile counts fits an Int.
        public static let maximumSamples = 1 << 16
        /// The largest part edge (10 m): larger is a typing slip, not a print.
        public static let maximumExtentMM = 10_000.0
        public static let bandwidth: ClosedRange<Double> = 0.02...2
    }

    /// Throws the first violated rule, with a message that says how to fix it.
    public func validate() throws {
        try material.validate()
        guard solidFraction.isFinite, solidFraction > 0, solidFraction < 1 else {
            throw RecipeError.outOfRange(key: "solid_fraction", value: "\(solidFraction)",
                                         rule: "must lie strictly between 0 and 1 (e.g. 0.3 for 30% solid)")
        }
        guard extentMM.isFinite, extentMM > 0, extentMM <= Limits.maximumExtentMM else {
            throw RecipeError.outOfRange(key: "extent_mm", value: "\(extentMM)",
                                         rule: "must be greater than 0 and at most \(Int(Limits.maximumExtentMM)) mm")
        }
        let m = Limits.minimumSamples, top = Limits.maximumSamples
        guard size.nx <= top, size.ny <= top, size.nz <= top, size.nz >= 1 else {
            throw RecipeError.outOfRange(key: "size", value: size.description,
                                         rule: "allows at most \(top) samples per axis")
        }
        guard size.nx >= m, size.ny >= m, size.nz >= m || size.nz == 1 else {
            throw RecipeError.outOfRange(key: "size", value: size.description,
                                         rule: "needs at least \(m) samples per axis (depth 1 for a 2D field)")
        }
        guard size.nx % 2 == 0, size.ny % 2 == 0, size.nz % 2 == 0 || size.nz == 1 else {
            throw RecipeError.outOfRange(key: "size", value: size.description,
                                         rule: "must be even along every axis (periodic spectral synthesis)")
        }
        let nyquist = 2 * voxelSizeMM
        guard wavelengthMM.isFinite, wavelengthMM >= nyquist else {
            throw RecipeError.outOfRange(
                key: "wavelength_mm", value: "\(wavelengthMM)",
                rule: "is below two voxels (\(rounded(nyquist)) mm at size \(size)); raise it or the size")
        }
        guard wavelengthMM <= extentMM else {
            throw RecipeError.outOfRange(key: "wavelength_mm", value: "\(wavelengthMM)",
                                         rule: "must not exceed extent_mm (\(rounded(extentMM)) mm)")
        }
        guard Limits.bandwidth.contains(bandwidth) else {
            throw RecipeError.outOfRange(key: "bandwidth", value: "\(bandwidth)",
                                         rule: "must lie in \(Limits.bandwidth.lowerBound)…\(Limits.bandwidth.upperBound)")
        }
        try validateShape()
        try validateCleanup()
        guard targets.count <= 16 else {
            throw RecipeError.outOfRange(key: "targets", value: "\(targets.count) entries", rule: "allows at most 16 targets")
        }
        for (i, target) in targets.enumerated() { try target.validate(index: i) }
    }

    private func validateShape() throws {
        guard coneAnglesDeg.count == 3, coneAnglesDeg.allSatisfy({ $0 == 0 || (15...90).contains($0) }),
              coneAnglesDeg.contains(where: { $0 > 0 }) else {
            throw RecipeError.outOfRange(key: "cone_angles_deg", value: "\(coneAnglesDeg)",
                                         rule: "needs three angles, each 0 (axis off) or 15–90 degrees, not all 0")
        }
        guard (15...90).contains(coneAngleDeg) else {
            throw RecipeError.outOfRange(key: "cone_angle_deg", value: "\(coneAngleDeg)", rule: "must lie in 15–90 degrees")
        }
        guard rotationDeg.count == 3, rotationDeg.allSatisfy(\.isFinite) else {
            throw RecipeError.outOfRange(key: "rotation_deg", value: "\(rotationDeg)", rule: "needs three finite angles")
        }
        guard (0...6).contains(beta) else {
            throw RecipeError.outOfRange(key: "beta", value: "\(beta)", rule: "must lie in 0–6")
        }
        if let minWavelengthMM {
            guard minWavelengthMM >= 2 * voxelSizeMM, minWavelengthMM < wavelengthMM else {
                throw RecipeError.outOfRange(
                    key: "min_wavelength_mm", value: "\(minWavelengthMM)",
                    rule: "must lie between two voxels (\(rounded(2 * voxelSizeMM)) mm) and wavelength_mm")
            }
        }
        if let blend {
            guard (0...1).contains(blend.weight) else {
                throw RecipeError.outOfRange(key: "blend.weight", value: "\(blend.weight)", rule: "must lie in 0–1")
            }
            if let w = blend.wavelengthMM, !(w >= 2 * voxelSizeMM && w <= extentMM) {
                throw RecipeError.outOfRange(key: "blend.wavelength_mm", value: "\(w)",
                                             rule: "must lie between two voxels and extent_mm")
            }
        }
        if let grading {
            guard grading.fractions.count >= 2, grading.fractions.allSatisfy({ $0 > 0 && $0 < 1 }) else {
                throw RecipeError.outOfRange(key: "grading.fractions", value: "\(grading.fractions)",
                                             rule: "needs at least two fractions, each strictly between 0 and 1")
            }
            guard size.count(along: grading.axis) > 1 else {
                throw RecipeError.outOfRange(key: "grading.axis", value: grading.axis.rawValue,
                                             rule: "has a single layer in this size; grade along x or y")
            }
        }
    }

    private func validateCleanup() throws {
        guard minFeatureMM >= 0, minFeatureMM < extentMM / 2 else {
            throw RecipeError.outOfRange(key: "min_feature_mm", value: "\(minFeatureMM)",
                                         rule: "must lie between 0 (off) and half the extent")
        }
        guard printerResolutionMM > 0 else {
            throw RecipeError.outOfRange(key: "printer_resolution_mm", value: "\(printerResolutionMM)",
                                         rule: "must be greater than 0")
        }
        guard tile.count == 3, tile.allSatisfy({ (1...64).contains($0) }), !(size.isPlanar && tile[2] != 1) else {
            throw RecipeError.outOfRange(key: "tile", value: "\(tile)",
                                         rule: "needs three counts from 1 to 64 (the third 1 for a 2D field)")
        }
        guard plateThicknessMM >= 0, plateThicknessMM <= extentMM else {
            throw RecipeError.outOfRange(key: "plate_thickness_mm", value: "\(plateThicknessMM)",
                                         rule: "must lie between 0 (no mesh) and extent_mm")
        }
    }

    private func rounded(_ x: Double) -> String {
        String(format: "%.4g", x)
    }
}

import Foundation
