import ForgeCore
import Foundation

/// How far a design's computed properties lie from its property targets, and the steps
/// that close each gap, chosen from the physics of the structure rather than by trial:
///
/// - **Stiffness** (E, E/E_s, G): the solid fraction, from E ∝ φⁿ with n fitted (log–log least
///   squares) to the rounds of the same shape so far; n = 2 (Gibson–Ashby, bending-dominated)
///   until two fractions have been measured.
/// - **Stiffness ratio between axes**: the cone angles. Narrower cones align the structure: a
///   spinodoid with cones across an axis (that axis's cone off) forms columns along it, stiff
///   along; a cone on the axis alone forms layers, soft along. ln(ratio) is taken as linear in
///   the cone angle, fitted to the rounds so far (one round: through ratio 1 at 90°). Columnar
///   and lamellar use `axis` and `cone_angle_deg`; families without cones change to spinodoid.
/// - **Isotropy** (E_max/E_min): equal, wider cones, then the spinodal family.
/// - **Permeability**: the wavelength, from k ∝ λ² at fixed porosity; at the wavelength's bound,
///   the porosity, from Kozeny–Carman k ∝ ε³/(1 − ε)².
/// - **Tortuosity**: the porosity, from Bruggeman's τ = ε^(−1/2).
///
/// The cones and the solid fraction both move the stiffness, so a round moves one of them: the
/// cones while a ratio is off, the fraction once it is met.
///
/// When two targets pull the solid fraction opposite ways, the step goes to the geometric
/// middle of the two fractions and the trade-off is stated.
struct PropertySteps {
    var gaps: [TargetAssessment.Gap] = []
    var adjustments: [Critique.Adjustment] = []
    var tradeOffs: [String] = []
    /// Targets the available levers cannot reach, with the reason.
    var unreachable: [String] = []
    /// Word-based checks that a property target overrides: "solid_fraction", "length",
    /// "family", "anisotropy".
    var overrides: Set<String> = []

    /// Default slope of ln(ratio) against the cone angle, per degree: spinodoids at 64³
    /// measure about 0.035 between 15° and 90°.
    static let coneSlope = 0.035
    static let narrowestCone = 15.0
    /// The finest wavelength the permeability step uses, in voxels.
    static let finestWavelengthVoxels = 8.0

    init(_ request: CritiqueRequest) {
        let targets = request.targets
        guard !targets.isEmpty else { return }
        let recipe = request.recipe, m = request.measures
        let fractionStated = request.targetDescription.states("solid_fraction")
        let lengthStated = request.targetDescription.states("wavelength_mm")
        if !fractionStated { overrides.insert("solid_fraction") }
        if !lengthStated, targets.contains(where: { $0.quantity == .permeabilityM2 }) { overrides.insert("length") }
        if targets.contains(where: { $0.quantity == .stiffnessRatio || $0.quantity == .stiffnessAnisotropy }) {
            overrides.insert("anisotropy")
        }
        guard let properties = m.properties else {
            gaps.append(.init(measure: "properties", size: 3,
                              issue: "the properties were not computed, so the targets cannot be judged (run with --properties fast)"))
            return
        }
        var fractionSteps: [FractionStep] = []
        var coneDone = false
        // A ratio and a magnitude of the stiffness together: one joint step on both levers.
        var handled = Set<Int>()
        if !fractionStated, let r = targets.firstIndex(where: { $0.quantity == .stiffnessRatio }),
           let e = targets.firstIndex(where: { $0.quantity.isElastic && $0.quantity != .stiffnessRatio && $0.quantity != .stiffnessAnisotropy }),
           let joint = Self.jointStep(ratio: targets[r], magnitude: targets[e], request, properties) {
            adjustments += joint
            handled = [r, e]
            coneDone = true
        }
        let before = adjustments.count
        for (index, target) in targets.enumerated() {
            let measure = target.quantity.rawValue + (target.axis.map { "_" + $0 } ?? "")
            guard let measured = properties.value(of: target) else {
                gaps.append(.init(measure: measure, size: 3, issue: "\(target.label): not computed for this design"))
                continue
            }
            let size = Self.gapSize(measured, target)
            guard size > 1 else {
                gaps.append(.init(measure: measure, size: size, issue: nil))
                continue
            }
            gaps.append(.init(measure: measure, size: size,
                              issue: "\(Self.symbol(target)) measures \(PropertyTarget.number(measured)), the target is \(target.label)"))
            let aim = target.aim
            if handled.contains(index) { continue }
            switch target.quantity {
            case .youngsModulusGPa, .relativeYoungsModulus, .shearModulusGPa:
                if fractionStated {
                    unreachable.append("\(target.label): the prompt fixes the solid fraction, which sets the stiffness")
                } else if let (phi, n, fitted) = stiffnessFraction(target, measured: measured, aim: aim, request) {
                    fractionSteps.append(.init(label: target.label, fraction: phi, size: size, reason: fitted
                        ? String(format: "E ∝ φⁿ with n = %.2f fitted to the rounds so far", n)
                        : "E ∝ φ² (Gibson–Ashby, bending-dominated) until two fractions are measured"))
                }
            case .stiffnessRatio:
                if !coneDone { coneDone = ratioStep(target, measured: measured, aim: aim, request) }
            case .stiffnessAnisotropy:
                if !coneDone { coneDone = isotropyStep(target, measured: measured, request) }
            case .permeabilityM2:
                if let phi = permeabilityStep(target, measured: measured, aim: aim, request, fractionFree: !fractionStated) {
                    fractionSteps.append(.init(label: target.label, fraction: phi, size: size,
                                               reason: "Kozeny–Carman: k ∝ ε³/(1 − ε)²"))
                }
            case .tortuosityFactor:
                if fractionStated {
                    unreachable.append("\(target.label): the prompt fixes the solid fraction, which sets the tortuosity")
                } else {
                    let porosity = 1 - m.solidFraction
                    let next = measured.isFinite ? porosity * pow(measured / aim, 2) : porosity + 0.1
                    fractionSteps.append(.init(label: target.label, fraction: recipe.solidFraction - (min(max(next, 0.05), 0.95) - porosity),
                                               size: size, reason: "Bruggeman: τ = ε^(−1/2)"))
                }
            }
        }
        // The cones move the stiffness as well as its ratio: one lever a round. While the cones
        // move, the stiffness's fraction step waits for the new structure to be measured.
        if adjustments.count > before {
            fractionSteps.removeAll { step in targets.contains { $0.label == step.label && $0.quantity.isElastic } }
        }
        combineFractions(fractionSteps, recipe: recipe)
    }

    /// In units of the target's tolerance: value targets |m/v − 1| / tolerance; windows 0
    /// inside and 1 + |ln(m / edge)| / ln 1.1 outside.
    static func gapSize(_ measured: Double, _ target: PropertyTarget) -> Double {
        guard measured.isFinite, measured > 0 else { return 10 }
        if let value = target.value { return abs(measured / value - 1) / (target.tolerance ?? PropertyTarget.defaultTolerance) }
        let range = target.range
        if range.contains(measured) { return 0 }
        let edge = measured < range.lowerBound ? range.lowerBound : range.upperBound
        return 1 + abs(log(measured / edge)) / log(1.1)
    }

    /// The quantity's symbol, without the asked value.
    static func symbol(_ target: PropertyTarget) -> String {
        var bare = target
        bare.value = nil
        bare.min = nil
        bare.max = nil
        return bare.label.replacingOccurrences(of: " GPa", with: "").replacingOccurrences(of: " m²", with: "")
    }

    // MARK: stiffness magnitude

    /// A solid fraction one target asks for, and why.
    struct FractionStep {
        var label: String
        var fraction: Double
        var size: Double
        var reason: String
    }

    /// The recipe fraction that brings `target` to `aim`, from E ∝ φⁿ, with n and whether it
    /// was fitted.
    func stiffnessFraction(_ target: PropertyTarget, measured: Double, aim: Double,
                           _ request: CritiqueRequest) -> (Double, Double, Bool)? {
        let recipe = request.recipe, phi = request.measures.solidFraction
        let points = (request.history + [.init(recipe: recipe, measures: request.measures)])
            .filter { Self.sameShape($0.recipe, recipe) }
            .compactMap { o -> (Double, Double)? in
                guard let v = o.measures.properties?.value(of: target), v > 0, v.isFinite else { return nil }
                return (log(o.measures.solidFraction), log(v))
            }
        let fitted = Self.slope(points).map { min(max($0, 1), 4) }
        let n = fitted ?? 2
        guard measured > 0 else { return (recipe.solidFraction + 0.1, n, fitted != nil) }
        let wanted = phi * pow(aim / measured, 1 / n)
        let step = min(max(wanted, phi * 0.5), phi * 2) - phi
        return (recipe.solidFraction + step, n, fitted != nil)
    }

    /// Least-squares slope of y on x, when the x values spread.
    static func slope(_ points: [(Double, Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count)
        let my = points.map(\.1).reduce(0, +) / Double(points.count)
        let sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        guard sxx > 1e-4 else { return nil }
        return points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +) / sxx
    }

    /// Same family, mode, cones and axis: rounds whose stiffness follows one scaling law.
    static func sameShape(_ a: Recipe, _ b: Recipe) -> Bool {
        a.family == b.family && a.mode == b.mode && a.effectiveConeAnglesDeg == b.effectiveConeAnglesDeg && a.axis == b.axis
    }

    // MARK: combining

    /// One solid-fraction step from several targets: the largest gap's when they agree, the
    /// geometric middle with a stated trade-off when they pull opposite ways.
    mutating func combineFractions(_ steps: [FractionStep], recipe: Recipe) {
        guard !steps.isEmpty else { return }
        let now = recipe.solidFraction
        let up = steps.filter { $0.fraction > now }, down = steps.filter { $0.fraction < now }
        let clamp = { (v: Double) in min(max(v, 0.05), 0.95) }
        if let a = up.max(by: { $0.size < $1.size }), let b = down.max(by: { $0.size < $1.size }) {
            let middle = clamp((a.fraction * b.fraction).squareRoot())
            tradeOffs.append(String(format: "%@ needs more solid (fraction → %.2f) and %@ less (→ %.2f): "
                                       + "the solid fraction cannot serve both; the design balances them at %.2f",
                                    a.label, clamp(a.fraction), b.label, clamp(b.fraction), middle))
            adjustments.append(.init(parameter: "solid_fraction", value: .number((middle * 10_000).rounded() / 10_000),
                                     reason: "balances \(a.label) against \(b.label)"))
            return
        }
        guard let pick = steps.max(by: { $0.size < $1.size }) else { return }
        let value = clamp(pick.fraction)
        if abs(value - now) < 1e-4 {
            unreachable.append("\(pick.label): the solid fraction is at its bound (\(PropertyTarget.number(value)))")
            return
        }
        adjustments.append(.init(parameter: "solid_fraction", value: .number((value * 10_000).rounded() / 10_000),
                                 reason: pick.reason))
    }
}
