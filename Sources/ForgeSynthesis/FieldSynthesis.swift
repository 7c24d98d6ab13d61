import ForgeCore
import Foundation

/// The field a recipe describes: its family (spectral or lattice), an optional blend with a
/// second family, and the phase mode, oriented so that solid is where the field is high.
public enum FieldSynthesis {
    /// Returns a unit-variance field; network mode is the raw field, sheet mode is −|g| so
    /// that "solid where high" selects a shell around the zero set.
    public static func field(for recipe: Recipe) throws -> ScalarGrid {
        var g = try component(recipe: recipe, family: recipe.family, wavelengthMM: recipe.wavelengthMM,
                              seed: recipe.seed)
        if let blend = recipe.blend, blend.weight > 0 {
            let other = try component(recipe: recipe, family: blend.family,
                                      wavelengthMM: blend.wavelengthMM ?? recipe.wavelengthMM,
                                      seed: recipe.seed &+ 0x9E37_79B9)
            let w = Float(blend.weight)
            g.values.withUnsafeMutableBufferPointer { a in
                other.values.withUnsafeBufferPointer { b in
                    for i in a.indices { a[i] = (1 - w) * a[i] + w * b[i] }
                }
            }
            g.normaliseToUnitVariance()
        }
        apply(recipe.mode, to: &g)
        return g
    }

    /// Network mode keeps the field; sheet mode turns it into −|g|, so that "solid where
    /// high" selects a shell around the zero set.
    public static func apply(_ mode: PhaseMode, to g: inout ScalarGrid) {
        guard mode == .sheet else { return }
        g.values.withUnsafeMutableBufferPointer { a in
            for i in a.indices { a[i] = -abs(a[i]) }
        }
    }

    private static func component(recipe: Recipe, family: StructureFamily, wavelengthMM: Double,
                                  seed: UInt64) throws -> ScalarGrid {
        if family.isLattice {
            return LatticeField.field(family: family, size: recipe.size, voxelSizeMM: recipe.voxelSizeMM,
                                      cellMM: wavelengthMM, seed: seed)
        }
        let spectrum = Spectrum(recipe: recipe, family: family, wavelengthMM: wavelengthMM)!
        return try SpectralSynthesis.field(size: recipe.size, voxelSizeMM: recipe.voxelSizeMM,
                                           spectrum: spectrum, seed: seed)
    }
}
