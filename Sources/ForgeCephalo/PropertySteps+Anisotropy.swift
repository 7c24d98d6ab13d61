import ForgeCore
import Foundation

/// The steps of the stiffness ratio and isotropy targets: the cone angles (and, with a
/// stiffness target beside a ratio, the joint cone–fraction step).
extension PropertySteps {
    /// Steps the cones toward `aim` = E_axis / E_over. Returns whether it proposed anything.
    mutating func ratioStep(_ target: PropertyTarget, measured: Double, aim: Double,
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
    func coneHistory(_ request: CritiqueRequest, target: PropertyTarget,
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
    func nextAngle(_ points: [(Double, Double)], current: Double, measured: Double, aim: Double) -> Double {
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
    mutating func isotropyStep(_ target: PropertyTarget, measured: Double, _ request: CritiqueRequest) -> Bool {
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
}
