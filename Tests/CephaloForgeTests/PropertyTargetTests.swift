import CephaloForge
import Foundation
import Testing

@Suite("property targets: the recipe key, the words and the steps")
struct PropertyTargetTests {
    static func decode(_ text: String, ext: String) throws -> Recipe {
        let url = TestSupport.temporaryFolder().appendingPathComponent("recipe." + ext)
        try Data(text.utf8).write(to: url)
        return try RecipeFile.decode(url)
    }

    @Test("targets decode from YAML, round-trip, and bad entries name what is wrong")
    func recipeKey() throws {
        let yaml = """
            family: spinodoid
            targets:
              - {quantity: stiffness_ratio, axis: z, value: 3}
              - {quantity: youngs_modulus_gpa, min: 3, max: 20}
              - {quantity: permeability_m2, axis: x, min: 1e-9}
            """
        let recipe = try Self.decode(yaml, ext: "yaml")
        #expect(recipe.targets.count == 3)
        #expect(recipe.targets[0].range == 2.7...3.3000000000000003)
        #expect(recipe.targets[1].aim == (3.0 * 20).squareRoot())
        #expect(recipe.targets[2].range.lowerBound == 1e-9 && recipe.targets[2].range.upperBound == .infinity)
        try recipe.validate()
        let again = try JSONDecoder().decode(Recipe.self, from: JSONFile.encode(recipe))
        #expect(again == recipe)
        // A recipe without targets writes no key (earlier recipe files stay byte for byte).
        let plain = try JSONSerialization.jsonObject(with: JSONFile.encode(Recipe.defaults)) as? [String: Any]
        #expect(plain?["targets"] == nil)

        let misspelt = #"{"targets": [{"quantity": "stifness_ratio", "axis": "z", "value": 3}]}"#
        #expect { try Self.decode(misspelt, ext: "json") } throws: { error in
            "\(error)".contains("did you mean 'stiffness_ratio'")
        }
        let cases: [(String, String)] = [
            (#"{"quantity": "youngs_modulus_gpa", "value": 1, "min": 0.5}"#, "either a value"),
            (#"{"quantity": "stiffness_ratio", "value": 3}"#, "needs the axis"),
            (#"{"quantity": "permeability_m2", "axis": "q", "min": 1e-9}"#, "needs axis x, y, z"),
            (#"{"quantity": "youngs_modulus_gpa", "min": 5, "max": 2}"#, "min below max"),
            (#"{"quantity": "youngs_modulus_gpa", "value": 1, "tolerance": 2}"#, "tolerance between 0 and 1"),
            (#"{"quantity": "tortuosity_factor", "value": -1}"#, "above 0"),
        ]
        for (entry, message) in cases {
            let recipe = try Self.decode(#"{"targets": [\#(entry)]}"#, ext: "json")
            #expect { try recipe.validate() } throws: { error in
                "\(error)".contains(message) && "\(error)".contains("targets[0]")
            }
        }
        let unknownKey = #"{"targets": [{"quantity": "permeability_m2", "value": 1e-9, "tolerence": 0.2}]}"#
        #expect { try Self.decode(unknownKey, ext: "json") } throws: { error in
            "\(error)".contains("'tolerence'") && "\(error)".contains("did you mean 'tolerance'")
        }
    }

    @Test("the local describer reads the usual phrasings and the material, and says which words set each target")
    func phrasings() throws {
        let cases: [(String, [PropertyTarget], String?)] = [
            ("spinodoid in resin, three times stiffer along z than across, E_z about 300 MPa",
             [PropertyTarget(.stiffnessRatio, axis: "z", value: 3), PropertyTarget(.youngsModulusGPa, axis: "z", value: 0.3)], "resin"),
            ("bone scaffold in Ti-6Al-4V, E between 3 and 20 GPa like cortical bone, permeability above 1e-9 m²",
             [PropertyTarget(.youngsModulusGPa, min: 3, max: 20), PropertyTarget(.permeabilityM2, min: 1e-9)], "ti64"),
            ("scaffold like trabecular bone in titanium", [PropertyTarget(.youngsModulusGPa, min: 0.1, max: 2)], "ti64"),
            ("foam with relative stiffness 0.05 ± 5%", [PropertyTarget(.relativeYoungsModulus, value: 0.05, tolerance: 0.05)], nil),
            ("foam, 5% of the solid's stiffness", [PropertyTarget(.relativeYoungsModulus, value: 0.05)], nil),
            ("twice as stiff along x, PLA", [PropertyTarget(.stiffnessRatio, axis: "x", value: 2)], "pla"),
            ("2x softer along y than along x", [PropertyTarget(.stiffnessRatio, axis: "y", over: "x", value: 0.5)], nil),
            ("elastically isotropic nylon lattice", [PropertyTarget(.stiffnessAnisotropy, max: 1.15)], "pa12"),
            ("shear modulus 400 MPa", [PropertyTarget(.shearModulusGPa, value: 0.4)], nil),
            ("permeability of 10 darcy, tortuosity below 1.3",
             [PropertyTarget(.permeabilityM2, value: 10 * 9.869233e-13), PropertyTarget(.tortuosityFactor, max: 1.3)], nil),
            ("permeability between 1 × 10^-10 and 1e−9 m², low tortuosity",
             [PropertyTarget(.permeabilityM2, min: 1e-10, max: 1e-9), PropertyTarget(.tortuosityFactor, max: 1.5)], nil),
            ("very stiff and very permeable foam",
             [PropertyTarget(.relativeYoungsModulus, min: 0.25), PropertyTarget(.permeabilityM2, min: 1e-9)], nil),
            ("trabecular bone scaffold, 30% solid, 10 mm cube", [], nil),
            ("impermeable stiff plate in steel", [], "ss316l"),
        ]
        for (prompt, expected, material) in cases {
            let d = try LocalDescriber().describe(prompt)
            #expect(d.recipe.targets.count == expected.count, "\(prompt): \(d.recipe.targets.map(\.label))")
            for (got, want) in zip(d.recipe.targets, expected) {
                #expect(got.quantity == want.quantity && got.axis == want.axis && got.over == want.over, "\(prompt)")
                for (a, b) in [(got.value, want.value), (got.min, want.min), (got.max, want.max), (got.tolerance, want.tolerance)] {
                    #expect((a == nil) == (b == nil), "\(prompt): \(got.label) vs \(want.label)")
                    if let a, let b { #expect(abs(a / b - 1) < 1e-9, "\(prompt): \(got.label) vs \(want.label)") }
                }
            }
            if let material { #expect(d.recipe.material.name == material, "\(prompt)") }
            try d.recipe.validate()
        }
        // describe lists each target with the words that set it.
        let resolved = try RecipeResolver.resolve(RecipeRequest(prompt: cases[0].0))
        let listed = resolved.sources.filter { $0.key.hasPrefix("target") }
        #expect(listed.count == 2)
        #expect(listed[0].key.contains("E_z/E_across = 3") && listed[0].source == "prompt: \"three times stiffer along z than across\"")
        #expect(listed[1].source == "prompt: \"e_z about 300 mpa\"")
        #expect(resolved.sources.contains { $0.key == "material" && $0.source == "prompt: \"resin\"" })
    }

    @Test("Cephalo's targets and material are taken when valid, a bad target is dropped with a note, the prompt's win")
    func modelTargets() throws {
        let local = try LocalDescriber().describe("spinodoid foam, 10 mm cube")
        let object: [String: Any] = [
            "family": "spinodoid", "material": "ti64",
            "targets": [["quantity": "stiffness_ratio", "axis": "z", "value": 3],
                        ["quantity": "youngs_modulus_gpa", "min": 5, "max": 1],
                        "not an object"],
        ]
        let merged = try ModelDescriber.merge(object, into: local)
        #expect(merged.recipe.material.name == "ti64")
        #expect(merged.recipe.targets == [PropertyTarget(.stiffnessRatio, axis: "z", value: 3)])
        #expect(merged.notes.filter { $0.contains("target") }.count == 2)
        #expect(merged.fromModel["targets"] == "E_z/E_across = 3 ± 10%")
        // The prompt's own targets and material stay.
        let stated = try LocalDescriber().describe("spinodoid in resin, twice as stiff along x")
        let kept = try ModelDescriber.merge(object, into: stated)
        #expect(kept.recipe.targets == stated.recipe.targets && kept.recipe.material.name == "resin")
        #expect(kept.conflicts.contains { $0.key == "material" })
    }

    /// A request whose measures carry `properties`, for a design made from `recipe`.
    static func request(_ prompt: String, recipe: Recipe, fraction: Double, properties: PropertyMeasures,
                        history: [CritiqueRequest.Observation] = []) throws -> CritiqueRequest {
        var measures = DesignMeasures(solidFraction: fraction, characteristicLengthMM: recipe.wavelengthMM,
                                      correlationLengthsMM: [0.3, 0.3, 0.3], anisotropyRatio: 1, layerSolidFractions: nil,
                                      solidBodies: 1, enclosedVoids: 0, solidThicknessP5MM: 0.3, poreThicknessP5MM: 0.3,
                                      watertight: true, printable: true, printabilityReasons: [])
        measures.properties = properties
        var request = CritiqueRequest(target: prompt, targetDescription: try LocalDescriber().describe(prompt), recipe: recipe,
                                      measures: measures, images: [])
        request.history = history
        return request
    }

    static func isotropic(_ relative: Double, k: Double = 1e-9) -> PropertyMeasures {
        PropertyMeasures(solidModulusGPa: 2.8, youngsModulusGPa: [2.8 * relative, 2.8 * relative, 2.8 * relative],
                         shearModulusGPa: [1, 1, 1], permeabilityM2: [k, k, k], tortuosityFactor: [1.5, 1.5, 1.5])
    }

    static func proposed(_ c: Critique, _ parameter: String) -> Double? {
        guard case .number(let v)? = c.adjustments.first(where: { $0.parameter == parameter })?.value else { return nil }
        return v
    }

    @Test("stiffness steps follow E ∝ φⁿ: n = 2 from one round, the fitted n from two")
    func stiffnessScaling() throws {
        let prompt = "foam, relative stiffness 0.05"
        var recipe = try LocalDescriber().describe(prompt).recipe
        recipe.solidFraction = 0.45
        // One round: E/E_s = 0.45³; n = 2 gives φ = 0.45 · (0.05 / 0.45³)^(1/2).
        let first = LocalCritic().critique(try Self.request(prompt, recipe: recipe, fraction: 0.45,
                                                            properties: Self.isotropic(pow(0.45, 3)))).critique
        let step1 = try #require(Self.proposed(first, "solid_fraction"))
        #expect(abs(step1 - 0.45 * (0.05 / pow(0.45, 3)).squareRoot()) < 1e-3, "\(step1)")
        #expect(!first.satisfied)
        // Two rounds of a cubic law: the fit finds n = 3 and lands on 0.05^(1/3).
        var second = recipe
        second.solidFraction = 0.55
        let history = [CritiqueRequest.Observation(recipe: recipe, measures: try Self.request(
            prompt, recipe: recipe, fraction: 0.45, properties: Self.isotropic(pow(0.45, 3))).measures)]
        let next = LocalCritic().critique(try Self.request(prompt, recipe: second, fraction: 0.55,
                                                           properties: Self.isotropic(pow(0.55, 3)), history: history)).critique
        let step2 = try #require(Self.proposed(next, "solid_fraction"))
        #expect(abs(step2 - pow(0.05, 1.0 / 3)) < 1e-3, "\(step2)")
        // On target: satisfied, no fraction change.
        let done = LocalCritic().critique(try Self.request(prompt, recipe: second, fraction: 0.5,
                                                           properties: Self.isotropic(0.051))).critique
        #expect(done.satisfied && Self.proposed(done, "solid_fraction") == nil)
    }

    @Test("permeability steps follow k ∝ λ², and the porosity takes over at the finest printable wavelength")
    func permeabilityScaling() throws {
        let prompt = "scaffold, permeability between 2e-9 and 5e-9 m²"
        var recipe = try LocalDescriber().describe(prompt).recipe
        recipe.wavelengthMM = 3
        let aim = (2e-9 * 5e-9).squareRoot()
        let c = LocalCritic().critique(try Self.request(prompt, recipe: recipe, fraction: 0.35,
                                                        properties: Self.isotropic(0.1, k: aim * 4))).critique
        #expect(abs((Self.proposed(c, "wavelength_mm") ?? 0) - 1.5) < 1e-3)
        #expect(Self.proposed(c, "solid_fraction") == nil)
        // At 128³ in 10 mm the finest printable wavelength is 8 voxels = 0.625 mm: below it
        // the wavelength stops there and the solid fraction rises (Kozeny–Carman).
        recipe.wavelengthMM = 0.7
        let fine = LocalCritic().critique(try Self.request(prompt, recipe: recipe, fraction: 0.35,
                                                           properties: Self.isotropic(0.1, k: aim * 4))).critique
        #expect(abs((Self.proposed(fine, "wavelength_mm") ?? 0) - 0.625) < 1e-3)
        #expect((Self.proposed(fine, "solid_fraction") ?? 0) > 0.36)
    }

    @Test("anisotropy steps move the cones: a family without cones becomes a spinodoid, then the fitted line lands")
    func coneSteps() throws {
        let prompt = "foam, three times stiffer along z"
        var recipe = try LocalDescriber().describe(prompt).recipe
        #expect(recipe.family == .spinodal)
        func measures(ratio: Double) -> PropertyMeasures {
            PropertyMeasures(solidModulusGPa: 2.8, youngsModulusGPa: [0.1, 0.1, 0.1 * ratio], shearModulusGPa: [0.05, 0.05, 0.05],
                             permeabilityM2: nil, tortuosityFactor: nil)
        }
        let switchFamily = LocalCritic().critique(try Self.request(prompt, recipe: recipe, fraction: 0.35,
                                                                   properties: measures(ratio: 1))).critique
        #expect(switchFamily.adjustments.first?.parameter == "family" && switchFamily.adjustments.first?.value == .text("spinodoid"))
        #expect(Self.proposed(switchFamily, "cone_angle_z_deg") == 0)
        let first = try #require(Self.proposed(switchFamily, "cone_angle_x_deg"))
        #expect(first < 90 && first > 15 && Self.proposed(switchFamily, "cone_angle_y_deg") == first)
        // ln(ratio) = 2.5 − θ/40 exactly: two rounds on the line give the angle of ratio 3.
        recipe.family = .spinodoid
        func lnRatio(_ theta: Double) -> Double { 2.5 - theta / 40 }
        recipe.coneAnglesDeg = [60, 60, 0]
        let earlier = CritiqueRequest.Observation(recipe: recipe, measures: try Self.request(
            prompt, recipe: recipe, fraction: 0.35, properties: measures(ratio: exp(lnRatio(60)))).measures)
        recipe.coneAnglesDeg = [30, 30, 0]
        let c = LocalCritic().critique(try Self.request(prompt, recipe: recipe, fraction: 0.35,
                                                        properties: measures(ratio: exp(lnRatio(30))), history: [earlier])).critique
        let theta = try #require(Self.proposed(c, "cone_angle_x_deg"))
        #expect(abs(theta - 40 * (2.5 - log(3.0))) < 0.1, "\(theta)")
        #expect(Self.proposed(c, "cone_angle_z_deg") == nil)
    }

    @Test("targets that pull the solid fraction opposite ways are stated as a trade-off")
    func tradeOff() throws {
        let prompt = "foam, relative stiffness above 0.3, tortuosity below 1.1"
        let recipe = try LocalDescriber().describe(prompt).recipe
        var p = Self.isotropic(0.05)
        p.tortuosityFactor = [1.5, 1.5, 1.5]
        let assessment = TargetAssessment(try Self.request(prompt, recipe: recipe, fraction: 0.35, properties: p))
        #expect(!assessment.met)
        let tradeOff = try #require(assessment.tradeOffs?.first)
        #expect(tradeOff.contains("E/E_s ≥ 0.3 needs more solid") && tradeOff.contains("τ ≤ 1.1 less"))
        let fraction = try #require(assessment.adjustments.first { $0.parameter == "solid_fraction" }?.value)
        guard case .number(let middle) = fraction else { Issue.record("no number"); return }
        #expect(middle > 0.05 && middle < 0.7)
    }
}
