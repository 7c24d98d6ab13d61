extension Recipe {
    /// Bounds that every recipe must satisfy before anything is generated.
    public enum Limits {
        public static let minimumSamples = 8
        public static let bandwidth: ClosedRange<Double> = 0.02...2
    }

    /// Throws the first violated rule, with a message that says how to fix it.
    public func validate() throws {
        guard solidFraction.isFinite, solidFraction > 0, solidFraction < 1 else {
            throw RecipeError.outOfRange(key: "solid_fraction", value: "\(solidFraction)",
                                         rule: "must lie strictly between 0 and 1 (e.g. 0.3 for 30% solid)")
        }
        guard extentMM.isFinite, extentMM > 0 else {
            throw RecipeError.outOfRange(key: "extent_mm", value: "\(extentMM)", rule: "must be greater than 0")
        }
        let m = Limits.minimumSamples
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
    }

    private func rounded(_ x: Double) -> String {
        String(format: "%.4g", x)
    }
}

import Foundation
