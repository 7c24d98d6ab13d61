import ForgeCore
import Foundation

/// The steps of the permeability target: the wavelength (k ∝ λ²), then the porosity
/// (Kozeny–Carman).
extension PropertySteps {
    /// Steps the wavelength toward the permeability asked for; returns a solid fraction
    /// when the wavelength is at its bound and the porosity must change instead.
    mutating func permeabilityStep(_ target: PropertyTarget, measured: Double, aim: Double,
                                   _ request: CritiqueRequest, fractionFree: Bool) -> Double? {
        let recipe = request.recipe
        // The finest wavelength that stays printable: eight voxels (walls of two or more) and
        // six printer resolutions.
        let finest = max(Self.finestWavelengthVoxels * recipe.voxelSizeMM, 6 * recipe.printerResolutionMM)
        let bounds = min(finest, recipe.extentMM)...recipe.extentMM
        let porosity = 1 - request.measures.solidFraction
        guard measured > 0 else {
            // The pores do not cross: open them.
            return fractionFree ? recipe.solidFraction - 0.1 : nil
        }
        let wanted = recipe.wavelengthMM * min(max((aim / measured).squareRoot(), 1.0 / 3), 3)
        let next = min(max(wanted, bounds.lowerBound), bounds.upperBound)
        if abs(next - recipe.wavelengthMM) > 1e-3 * recipe.wavelengthMM, abs(next - wanted) < 1e-3 * wanted || !fractionFree {
            adjustments.append(.init(parameter: "wavelength_mm", value: .number((next * 10_000).rounded() / 10_000),
                                     reason: "k ∝ λ² at fixed porosity"))
            return nil
        }
        guard fractionFree else {
            unreachable.append("\(target.label): the wavelength is at its bound (\(PropertyTarget.number(next)) mm) "
                               + "and the prompt fixes the solid fraction")
            return nil
        }
        if abs(next - recipe.wavelengthMM) > 1e-3 * recipe.wavelengthMM {
            // The wavelength goes to its bound now; the porosity makes up the rest.
            adjustments.append(.init(parameter: "wavelength_mm", value: .number((next * 10_000).rounded() / 10_000),
                                     reason: "k ∝ λ², as far as the structure stays printable"))
            let reached = measured * pow(next / recipe.wavelengthMM, 2)
            return kozenyCarman(porosity: porosity, scale: aim / reached).map { recipe.solidFraction - ($0 - porosity) }
        }
        return kozenyCarman(porosity: porosity, scale: aim / measured).map { recipe.solidFraction - ($0 - porosity) }
    }

    /// Kozeny–Carman, k ∝ ε³/(1 − ε)²: the porosity that scales k by `scale` (at most 0.2 away).
    func kozenyCarman(porosity: Double, scale: Double) -> Double? {
        guard scale.isFinite, scale > 0 else { return nil }
        func kc(_ e: Double) -> Double { e * e * e / ((1 - e) * (1 - e)) }
        let goal = kc(porosity) * scale
        var lo = 0.05, hi = 0.95
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if kc(mid) < goal { lo = mid } else { hi = mid }
        }
        return min(max(lo, porosity - 0.2), porosity + 0.2)
    }

}
