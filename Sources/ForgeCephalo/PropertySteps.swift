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
    private func stiffnessFraction(_ target: PropertyTarget, measured: Double, aim: Double,
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

    // MARK: anisotropy

    /// Steps the cones toward `aim` = E_axis / E_over. Returns whether it proposed anything.
    private mutating func ratioStep(_ target: PropertyTarget, measured: Double, aim: Double,
                                    _ request: CritiqueRequest) -> Bool {
        guard let a = target.axisIndex else { return false }
        let recipe = request.recipe
        let stiffer = aim > 1, axisName = ["x", "y", "z"][a]
        let along = "\(recipe.family.rawValue) structure"
        switch recipe.family {
        case .spinodoid:
            let cones = recipe.coneAnglesDeg, others = [0, 1, 2].filter { $0 != a }
            let pattern = stiffer ? (cones[a] == 0 && others.allSatisfy { cones[$0] > 0 })
                                  : (cones[a] > 0 && others.allSatisfy { cones[$0] == 0 })
            let current = stiffer ? others.map { cones[$0] }.reduce(0, +) / 2 : cones[a]
            let points = pattern ? coneHistory(request, target: target) { r in
                guard r.family == .spinodoid else { return nil }
                let c = r.coneAnglesDeg
                let same = stiffer ? (c[a] == 0 && others.allSatisfy { c[$0] > 0 }) : (c[a] > 0 && others.allSatisfy { c[$0] == 0 })
                return same ? (stiffer ? others.map { c[$0] }.reduce(0, +) / 2 : c[a]) : nil
            } : []
            let angle = pattern ? nextAngle(points, current: current, measured: measured, aim: aim)
                                : Self.defaultAngle(for: aim)
            if pattern, angle <= current, current <= Self.narrowestCone, abs(log(measured)) < abs(log(aim)) {
                unreachable.append("\(target.label): the narrowest spinodoid cones (\(Int(Self.narrowestCone))°) reach "
                                   + "\(PropertyTarget.number(measured)); a columnar structure aligns further")
                adjustments.append(.init(parameter: "family", value: .text(StructureFamily.columnar.rawValue),
                                         reason: "the spinodoid cannot align further; columns along \(axisName) can"))
                adjustments.append(.init(parameter: "axis", value: .text(axisName), reason: "columns along \(axisName)"))
                return true
            }
            let reason = pattern
                ? String(format: "%@ along %@: ln(ratio) linear in the cone angle %@", stiffer ? "columns" : "layers",
                         axisName, points.count >= 2 ? "fitted to the rounds so far" : "through ratio 1 at 90°")
                : "new pattern: \(stiffer ? "columns along" : "layers across") \(axisName) (its cone \(stiffer ? "off" : "alone"))"
            for i in 0..<3 {
                let value = (i == a) == stiffer ? 0 : angle
                if cones[i] != value {
                    adjustments.append(.init(parameter: RecipeAdjuster.coneParameters[i], value: .number(Self.round1(value)),
                                             reason: reason))
                }
            }
            return true
        case .columnar, .lamellar:
            // Columns are stiff along their axis, layers soft across theirs (along their normal).
            let wanted: StructureFamily = stiffer ? .columnar : .lamellar
            if recipe.family != wanted || recipe.axis.rawValue != axisName {
                if recipe.family != wanted {
                    adjustments.append(.init(parameter: "family", value: .text(wanted.rawValue),
                                             reason: "a \(along) is \(stiffer ? "soft" : "stiff") along its axis; "
                                                + "\(wanted.rawValue) makes \(axisName) the \(stiffer ? "stiff" : "soft") direction"))
                }
                adjustments.append(.init(parameter: "axis", value: .text(axisName), reason: "the target names \(axisName)"))
                return true
            }
            let points = coneHistory(request, target: target) { r in
                r.family == wanted && r.axis.rawValue == axisName ? r.coneAngleDeg : nil
            }
            let angle = nextAngle(points, current: recipe.coneAngleDeg, measured: measured, aim: aim)
            if angle <= recipe.coneAngleDeg, recipe.coneAngleDeg <= Self.narrowestCone, abs(log(measured)) < abs(log(aim)) {
                unreachable.append("\(target.label): the narrowest cone (\(Int(Self.narrowestCone))°) of the \(along) reaches "
                                   + PropertyTarget.number(measured))
                return true
            }
            adjustments.append(.init(parameter: "cone_angle_deg", value: .number(Self.round1(angle)),
                                     reason: "ln(ratio) linear in the cone angle"
                                        + (points.count >= 2 ? ", fitted to the rounds so far" : " through ratio 1 at 90°")))
            return true
        default:
            overrides.insert("family")
            adjustments.append(.init(parameter: "family", value: .text(StructureFamily.spinodoid.rawValue),
                                     reason: "a \(along) has no preferred direction; a spinodoid's cones set one"))
            let angle = Self.defaultAngle(for: aim)
            for i in 0..<3 {
                let value = (i == a) == stiffer ? 0 : angle
                adjustments.append(.init(parameter: RecipeAdjuster.coneParameters[i], value: .number(Self.round1(value)),
                                         reason: stiffer ? "columns along \(axisName)" : "layers across \(axisName)"))
            }
            return true
        }
    }

    /// The cone angle that aligns the structure along (`stiffer`) or across axis `a`, when the
    /// recipe is in that pattern: a spinodoid with cones across a (its own off) or on a alone,
    /// columnar along a, lamellar across a.
    static func leverAngle(_ r: Recipe, axis a: Int, stiffer: Bool) -> Double? {
        let others = [0, 1, 2].filter { $0 != a }
        switch r.family {
        case .spinodoid:
            let c = r.coneAnglesDeg
            if stiffer, c[a] == 0, others.allSatisfy({ c[$0] > 0 }) { return others.map { c[$0] }.reduce(0, +) / 2 }
            if !stiffer, c[a] > 0, others.allSatisfy({ c[$0] == 0 }) { return c[a] }
            return nil
        case .columnar where stiffer && r.axis.index == a: return r.coneAngleDeg
        case .lamellar where !stiffer && r.axis.index == a: return r.coneAngleDeg
        default: return nil
        }
    }

    /// The adjustments that set the lever angle of `leverAngle` to `angle`.
    static func angleAdjustments(_ r: Recipe, axis a: Int, stiffer: Bool, angle: Double, reason: String) -> [Critique.Adjustment] {
        let value = round1(min(max(angle, narrowestCone), 90))
        guard r.family == .spinodoid else {
            return [.init(parameter: "cone_angle_deg", value: .number(value), reason: reason)]
        }
        return (0..<3).filter { ($0 == a) != stiffer }.map {
            .init(parameter: RecipeAdjuster.coneParameters[$0], value: .number(value), reason: reason)
        }
    }

    /// One step on the cone angle and the solid fraction together toward a stiffness ratio and
    /// a stiffness: Newton on (ln ratio, ln E) over (θ/30°, ln φ), its Jacobian a prior
    /// (ratio: ∓0.035 per degree and ∓1 per ln φ; stiffness: E ∝ φ^2.5) updated by Broyden's
    /// rule through the rounds of this pattern. Nil when the structure is not yet in a pattern
    /// with the cone lever (the ratio step changes it first).
    static func jointStep(ratio: PropertyTarget, magnitude: PropertyTarget, _ request: CritiqueRequest,
                          _ p: PropertyMeasures) -> [Critique.Adjustment]? {
        guard let a = ratio.axisIndex, let r = p.value(of: ratio), let m = p.value(of: magnitude),
              r > 0, m > 0, r.isFinite, m.isFinite else { return nil }
        let stiffer = ratio.aim > 1, recipe = request.recipe
        guard let theta = leverAngle(recipe, axis: a, stiffer: stiffer) else { return nil }
        if ratio.range.contains(r) && magnitude.range.contains(m) { return [] }
        let observations = (request.history + [.init(recipe: recipe, measures: request.measures)]).compactMap { o -> [Double]? in
            guard let angle = leverAngle(o.recipe, axis: a, stiffer: stiffer), let q = o.measures.properties,
                  let ro = q.value(of: ratio), let mo = q.value(of: magnitude), ro > 0, mo > 0, ro.isFinite, mo.isFinite
            else { return nil }
            return [angle / 30, log(o.measures.solidFraction), log(ro), log(mo)]
        }
        let sign = stiffer ? -1.0 : 1.0
        let prior = [[sign * coneSlope * 30, sign * 1.0], [0.0, 2.5]]
        var jacobian = prior
        for (u, v) in zip(observations, observations.dropFirst()) {
            let du = [v[0] - u[0], v[1] - u[1]], dy = [v[2] - u[2], v[3] - u[3]]
            let norm = du[0] * du[0] + du[1] * du[1]
            guard norm > 1e-6 else { continue }
            for i in 0..<2 {
                let residual = dy[i] - (jacobian[i][0] * du[0] + jacobian[i][1] * du[1])
                for j in 0..<2 { jacobian[i][j] += residual * du[j] / norm }
            }
        }
        // Keep the physics' signs: narrower cones align more; more solid is stiffer.
        if jacobian[0][0] * sign <= 0.1 { jacobian[0][0] = prior[0][0] }
        if jacobian[1][1] < 1 { jacobian[1][1] = prior[1][1] }
        let want = [log(ratio.aim / r), log(magnitude.aim / m)]
        let det = jacobian[0][0] * jacobian[1][1] - jacobian[0][1] * jacobian[1][0]
        guard abs(det) > 1e-6 else { return nil }
        let dt = min(max((want[0] * jacobian[1][1] - jacobian[0][1] * want[1]) / det, -1), 1)
        let dl = min(max((jacobian[0][0] * want[1] - jacobian[1][0] * want[0]) / det, -log(2.0)), log(2.0))
        let reason = "joint step on the cones and the fraction (Newton on ln ratio and ln E"
            + (observations.count >= 2 ? ", Jacobian updated through the rounds so far)" : ", prior Jacobian)")
        var out = abs(30 * dt) >= 0.5 ? angleAdjustments(recipe, axis: a, stiffer: stiffer, angle: theta + 30 * dt, reason: reason) : []
        let phi = request.measures.solidFraction
        let fraction = min(max(recipe.solidFraction + phi * (exp(dl) - 1), 0.05), 0.95)
        if abs(fraction - recipe.solidFraction) >= 1e-3 {
            out.append(.init(parameter: "solid_fraction", value: .number((fraction * 10_000).rounded() / 10_000), reason: reason))
        }
        return out
    }

    /// The cone angle of earlier rounds (and this one) in the same pattern and at the same
    /// solid fraction (the ratio depends on both), with ln(ratio).
    private func coneHistory(_ request: CritiqueRequest, target: PropertyTarget,
                             angle: (Recipe) -> Double?) -> [(Double, Double)] {
        let fraction = request.recipe.solidFraction
        return (request.history + [.init(recipe: request.recipe, measures: request.measures)]).compactMap { o in
            guard abs(o.recipe.solidFraction - fraction) <= 0.01 * fraction,
                  let theta = angle(o.recipe), let r = o.measures.properties?.value(of: target), r > 0, r.isFinite else { return nil }
            return (theta, log(r))
        }
    }

    /// The cone angle where ln(ratio) reaches ln(aim): a line fitted to `points` when they
    /// spread and slope the right way, else through ln(ratio) = 0 at 90° and this round.
    private func nextAngle(_ points: [(Double, Double)], current: Double, measured: Double, aim: Double) -> Double {
        let target = log(aim), now = log(measured)
        var slope = Self.slope(points.suffix(3).map { ($0.0, $0.1) })
        // ln(ratio) moves away from 0 as the cones narrow: its slope has the sign opposite to ln(aim).
        if let s = slope, s * target >= 0 || abs(s) < 1e-3 { slope = nil }
        if slope == nil {
            let span = 90 - current
            let fitted = span > 5 && now * target > 0 ? -now / span : nil
            slope = fitted.map { abs($0) > 0.005 ? $0 : (target > 0 ? -Self.coneSlope : Self.coneSlope) }
                ?? (target > 0 ? -Self.coneSlope : Self.coneSlope)
        }
        let s = slope ?? -Self.coneSlope
        let next = current + (target - now) / s
        // At most 30° a round, within the cones' range.
        return min(max(min(max(next, current - 30), current + 30), Self.narrowestCone), 90)
    }

    /// The cone angle a first step takes for `aim`, from the default slope.
    static func defaultAngle(for aim: Double) -> Double {
        min(max(90 - abs(log(aim)) / coneSlope, narrowestCone), 90)
    }

    static func round1(_ v: Double) -> Double { (v * 10).rounded() / 10 }

    /// Steps toward E_max/E_min within the target: equal, wider cones for isotropy.
    private mutating func isotropyStep(_ target: PropertyTarget, measured: Double, _ request: CritiqueRequest) -> Bool {
        let recipe = request.recipe
        guard measured > target.range.upperBound else {
            unreachable.append("\(target.label): a minimum anisotropy needs an axis; give a stiffness_ratio target instead")
            return false
        }
        switch recipe.family {
        case .spinodoid:
            let widest = recipe.coneAnglesDeg.max() ?? 90
            let next = recipe.coneAnglesDeg.allSatisfy({ $0 == widest }) ? min(90, widest * 1.5) : widest
            if next == widest, recipe.coneAnglesDeg.allSatisfy({ $0 == 90 }) {
                overrides.insert("family")
                adjustments.append(.init(parameter: "family", value: .text("spinodal"),
                                         reason: "the widest spinodoid cones are still anisotropic; a spinodal has no direction"))
                return true
            }
            for i in 0..<3 {
                adjustments.append(.init(parameter: RecipeAdjuster.coneParameters[i], value: .number(Self.round1(next)),
                                         reason: "equal, wide cones make the structure isotropic"))
            }
        case .columnar, .lamellar, .cubic:
            if recipe.coneAngleDeg >= 90 {
                overrides.insert("family")
                adjustments.append(.init(parameter: "family", value: .text("spinodal"),
                                         reason: "the widest cone is still anisotropic; a spinodal has no direction"))
            } else {
                adjustments.append(.init(parameter: "cone_angle_deg", value: .number(Self.round1(min(90, recipe.coneAngleDeg * 1.5))),
                                         reason: "wider cones spread the structure over more directions"))
            }
        default:
            unreachable.append("\(target.label): the \(recipe.family.rawValue) family has no cone to widen; "
                               + "its anisotropy comes from the sample (a larger size or another seed averages it out)")
            return false
        }
        return true
    }

    // MARK: transport

    /// Steps the wavelength toward the permeability asked for; returns a solid fraction
    /// when the wavelength is at its bound and the porosity must change instead.
    private mutating func permeabilityStep(_ target: PropertyTarget, measured: Double, aim: Double,
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
    private func kozenyCarman(porosity: Double, scale: Double) -> Double? {
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

    // MARK: combining

    /// One solid-fraction step from several targets: the largest gap's when they agree, the
    /// geometric middle with a stated trade-off when they pull opposite ways.
    private mutating func combineFractions(_ steps: [FractionStep], recipe: Recipe) {
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
