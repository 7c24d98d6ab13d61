import CephaloForge
import Foundation
import Testing

/// The homogenised stiffness against exact answers: a homogeneous block, laminates, rods,
/// symmetric lattices, the Hashin–Shtrikman bound, a reflected cell and refinement.
@Suite("Elastic properties")
struct ElasticPropertiesTests {
    static let resin = SolidMaterial.resin

    /// C of per-voxel (λ, μ), solved tightly.
    static func stiffness(_ size: GridSize, tolerance: Double = 1e-6,
                          _ phase: (Int, Int, Int) -> (lambda: Double, mu: Double)) throws -> (StiffnessTensor, [Int]) {
        var lambda = [Float](repeating: 0, count: size.count), mu = lambda
        for z in 0..<size.nz {
            for y in 0..<size.ny {
                for x in 0..<size.nx {
                    let (l, m) = phase(x, y, z)
                    lambda[x + size.nx * (y + size.ny * z)] = Float(l)
                    mu[x + size.nx * (y + size.ny * z)] = Float(m)
                }
            }
        }
        let result = try ElasticHomogenisation(moduli: StaggeredModuli(size: size, lambda: lambda, mu: mu),
                                               tolerance: tolerance).solve()
        let converged = result.solves.allSatisfy { $0.converged }
        let iterations = result.solves.map { $0.iterations }
        #expect(converged, "iterations \(iterations)")
        return (StiffnessTensor(result.stiffness), result.solves.map(\.iterations))
    }

    static func lame(_ e: Double, _ nu: Double) -> (lambda: Double, mu: Double) {
        (e * nu / ((1 + nu) * (1 - 2 * nu)), e / (2 * (1 + nu)))
    }

    static func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-12) }

    @Test("A homogeneous block has the isotropic stiffness of (E, ν)")
    func homogeneous() throws {
        let m = Self.lame(2.8, 0.35)
        let (c, iterations) = try Self.stiffness(GridSize(nx: 12, ny: 10, nz: 8)) { _, _, _ in m }
        let exact = StiffnessTensor.isotropic(youngsModulus: 2.8, poissonRatio: 0.35)
        for i in 0..<36 { #expect(abs(c.values[i] - exact.values[i]) < 1e-5, "entry \(i)") }
        for e in c.axialYoungsModuli { #expect(Self.relativeError(e, 2.8) < 1e-5) }
        #expect(iterations.allSatisfy { $0 <= 1 })
    }

    @Test("A two-material laminate has the exact laminate stiffness along and across its layers")
    func laminate() throws {
        let (a, b) = (Self.lame(2.8, 0.35), Self.lame(113.8, 0.342))
        let size = GridSize(nx: 8, ny: 8, nz: 20)
        let layersA = 7  // z < 7 is A, the rest B
        let (c, _) = try Self.stiffness(size) { _, _, z in z < layersA ? a : b }
        // Exact: strains in the plane and stresses σ_zz, σ_xz, σ_yz are uniform.
        let f = [Double(layersA) / 20, Double(20 - layersA) / 20]
        let phases = [a, b]
        func mean(_ g: ((lambda: Double, mu: Double)) -> Double) -> Double { zip(f, phases).map { $0 * g($1) }.reduce(0, +) }
        let c33 = 1 / mean { 1 / ($0.lambda + 2 * $0.mu) }
        let r = mean { $0.lambda / ($0.lambda + 2 * $0.mu) }
        let c13 = r * c33
        let c11 = mean { $0.lambda + 2 * $0.mu - $0.lambda * $0.lambda / ($0.lambda + 2 * $0.mu) } + r * r * c33
        let c12 = mean { $0.lambda - $0.lambda * $0.lambda / ($0.lambda + 2 * $0.mu) } + r * r * c33
        let c44 = 1 / mean { 1 / $0.mu }
        let c66 = mean { $0.mu }
        let expected: [(Int, Int, Double)] = [(0, 0, c11), (1, 1, c11), (2, 2, c33), (0, 1, c12), (0, 2, c13), (1, 2, c13),
                                              (3, 3, c44), (4, 4, c44), (5, 5, c66)]
        for (i, j, value) in expected {
            #expect(Self.relativeError(c[i, j], value) < 1e-4, "C\(i + 1)\(j + 1) = \(c[i, j]), exact \(value)")
        }
    }

    @Test("Straight rods along x: E_x = φ·E_s, and no stiffness across them")
    func rods() throws {
        let size = GridSize(nx: 8, ny: 10, nz: 10)
        let mask = TestSupport.mask(size) { _, y, z in (2..<6).contains(y) && (3..<6).contains(z) }
        let e = try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true, tolerance: 1e-6)
        let phi = Double(mask.count) / Double(size.count)
        #expect(Self.relativeError(e.youngsModulusGPa.x, phi * 2.8) < 1e-4, "E_x \(e.youngsModulusGPa.x)")
        #expect(e.youngsModulusGPa.y == 0 && e.youngsModulusGPa.z == 0)
        #expect(e.solidPercolates == [true, false, false])
        #expect(e.notes.contains { $0.contains("does not percolate along y") })
        #expect(e.notes.contains { $0.contains("does not percolate along z") })
        #expect(e.universalAnisotropy == nil)
        for row in e.stiffnessVoigtGPa { #expect(row.allSatisfy { $0.isFinite }) }
    }

    @Test("Layers separated by pores carry nothing across: E_z = 0, said plainly, not a diverged solve")
    func separatedLayers() throws {
        let mask = TestSupport.mask(GridSize(cube: 12)) { _, _, z in z % 6 < 3 }
        let e = try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true)
        #expect(e.youngsModulusGPa.z == 0)
        #expect(e.converged)
        #expect(Self.relativeError(e.youngsModulusGPa.x, 0.5 * 2.8) < 1e-3)
        let notes = e.notes
        #expect(notes == ["the solid does not percolate along z: E_z = 0 (it carries no load that way)"])
    }

    @Test("Cubic lattices have cubic symmetry to solver tolerance", arguments: ["gyroid", "schwarz_p", "diamond"])
    func cubicSymmetry(family: String) throws {
        // The level sets in Double at voxel centres, cut at a level halfway between two
        // distinct values, so voxels related by the surface's symmetry fall on the same side.
        let n = 24
        func f(_ x: Double, _ y: Double, _ z: Double) -> Double {
            switch family {
            case "gyroid": return sin(x) * cos(y) + sin(y) * cos(z) + sin(z) * cos(x)
            case "schwarz_p": return cos(x) + cos(y) + cos(z)
            default: return sin(x) * sin(y) * sin(z) + sin(x) * cos(y) * cos(z) + cos(x) * sin(y) * cos(z) + cos(x) * cos(y) * sin(z)
            }
        }
        let t = (0..<n).map { 2 * Double.pi * (Double($0) + 0.5) / Double(n) }
        var values = [Double]()
        for z in 0..<n { for y in 0..<n { for x in 0..<n { values.append(f(t[x], t[y], t[z])) } } }
        let sorted = Array(Set(values.map { ($0 * 1e9).rounded() / 1e9 })).sorted()
        let k = Int(0.7 * Double(sorted.count))
        let level = (sorted[k] + sorted[k + 1]) / 2
        let mask = VoxelMask(size: GridSize(cube: n), bits: values.map { $0 > level ? 1 : 0 })
        let e = try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true, tolerance: 1e-6)
        let c = e.tensor
        for (i, j) in [(0, 1), (0, 2), (3, 4), (3, 5)] {
            #expect(Self.relativeError(c[i, i], c[j, j]) < 1e-4, "\(family): C\(i + 1)\(i + 1) \(c[i, i]) vs C\(j + 1)\(j + 1) \(c[j, j])")
        }
        #expect(Self.relativeError(c[0, 1], c[0, 2]) < 1e-4 && Self.relativeError(c[0, 1], c[1, 2]) < 1e-4)
        #expect(e.relativeYoungsModulus.x > 0.005 && e.relativeYoungsModulus.x < 0.3)
    }

    @Test("An isotropic spinodal stays below the Hashin–Shtrikman upper bound", arguments: [0.3, 0.5])
    func hashinShtrikman(fraction: Double) throws {
        var recipe = Recipe()
        recipe.size = GridSize(cube: 48)
        recipe.wavelengthMM = recipe.extentMM / 4
        recipe.solidFraction = fraction
        var field = try FieldSynthesis.field(for: recipe)
        field.threshold(toSolidFraction: fraction)
        let mask = VoxelMask(solidOf: field)
        let e = try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true)
        let k = Self.resin.bulkModulusGPa, g = Self.resin.shearModulusGPa
        let phi = Double(mask.count) / Double(mask.size.count)
        // Upper bounds of a solid with empty pores (Hashin & Shtrikman 1963).
        let kHS = 4 * phi * k * g / (3 * (1 - phi) * k + 4 * g)
        let gHS = g + (1 - phi) / (-1 / g + 6 * phi * (k + 2 * g) / (5 * g * (3 * k + 4 * g)))
        let eHS = 9 * kHS * gHS / (3 * kHS + gHS)
        #expect(e.bulkModulusGPa.voigt <= kHS, "K_V \(e.bulkModulusGPa.voigt) > K_HS \(kHS)")
        #expect(e.shearModulusVRHGPa.voigt <= gHS, "G_V \(e.shearModulusVRHGPa.voigt) > G_HS \(gHS)")
        for value in e.youngsModulusGPa.values { #expect(value > 0 && value <= eHS) }
    }

    @Test("Reflecting the cell through the plane x = y reflects the tensor")
    func reflection() throws {
        var recipe = Recipe()
        recipe.family = .spinodoid
        recipe.coneAnglesDeg = [20, 0, 50]
        recipe.size = GridSize(nx: 24, ny: 24, nz: 24)
        recipe.wavelengthMM = recipe.extentMM / 4
        var field = try FieldSynthesis.field(for: recipe)
        field.threshold(toSolidFraction: 0.4)
        let mask = VoxelMask(solidOf: field)
        let swapped = TestSupport.mask(mask.size) { x, y, z in mask[y, x, z] }
        let a = try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true, tolerance: 1e-6).tensor
        let b = try ElasticProperties.compute(mask: swapped, material: Self.resin, mode: .full, periodic: true, tolerance: 1e-6).tensor
        let turned = a.rotated(by: [0, 1, 0, 1, 0, 0, 0, 0, 1])
        let scale = a.values.map(abs).max() ?? 1
        for i in 0..<36 { #expect(abs(turned.values[i] - b.values[i]) < 1e-4 * scale, "entry \(i)") }
        #expect(abs(a[0, 0] - a[1, 1]) > 1e-2 * scale, "the cell should be anisotropic in x and y")
    }

    @Test("The stiffness converges as the grid is refined")
    func refinement() throws {
        var values: [Double] = []
        for n in [16, 32, 64] {
            var recipe = Recipe()
            recipe.family = .schwarzP
            recipe.size = GridSize(cube: n)
            recipe.wavelengthMM = recipe.extentMM
            var field = try FieldSynthesis.field(for: recipe)
            field.threshold(toSolidFraction: 0.3)
            let mask = VoxelMask(solidOf: field)
            values.append(try ElasticProperties.compute(mask: mask, material: Self.resin, mode: .full, periodic: true,
                                                        tolerance: 1e-5).relativeYoungsModulus.x)
        }
        let (first, second) = (abs(values[1] - values[0]), abs(values[2] - values[1]))
        #expect(second < 0.6 * first, "E/E_s at 16, 32, 64: \(values)")
        #expect(Self.relativeError(values[1], values[2]) < 0.05, "E/E_s at 16, 32, 64: \(values)")
    }

    @Test("A fast solve's coarse cell keeps the solid fraction exactly")
    func coarseCellFraction() {
        let mask = TestSupport.mask(GridSize(cube: 16)) { x, y, z in (x * 7 + y * 3 + z * 5) % 11 < 4 }
        let coarse = CoarseCell(mask: mask, factor: 2)
        #expect(coarse.size == GridSize(cube: 8))
        let fine = Double(mask.count) / Double(mask.size.count)
        let mean = coarse.fraction.reduce(0.0) { $0 + Double($1) } / Double(coarse.size.count)
        #expect(abs(mean - fine) < 1e-9)
    }

    @Test("Materials out of range are refused naming the key; presets are found by their usual names")
    func materialValidation() throws {
        #expect(throws: RecipeError.self) { try SolidMaterial(name: "x", youngsModulusGPa: 0, poissonRatio: 0.3).validate() }
        for (e, nu, key) in [(0.0, 0.3, "material.youngs_modulus_gpa"), (-2.0, 0.3, "material.youngs_modulus_gpa"),
                             (2.0, 0.5, "material.poisson_ratio"), (2.0, -1.0, "material.poisson_ratio"),
                             (Double.nan, 0.3, "material.youngs_modulus_gpa")] {
            do {
                try SolidMaterial(name: "x", youngsModulusGPa: e, poissonRatio: nu).validate()
                Issue.record("E \(e), ν \(nu) accepted")
            } catch {
                #expect("\(error)".hasPrefix(key), "\(error)")
            }
        }
        #expect(SolidMaterial.preset(named: "Ti-6Al-4V")?.name == "ti64")
        #expect(SolidMaterial.preset(named: "nylon")?.name == "pa12")
        #expect(SolidMaterial.preset(named: "316L")?.name == "ss316l")
        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(#"{"material": {"name": "mine", "youngs_modulus_gpa": 70, "poisson_ratio": 0.33}}"#.utf8))
        #expect(recipe.material == SolidMaterial(name: "mine", youngsModulusGPa: 70, poissonRatio: 0.33))
        #expect(throws: RecipeError.self) {
            try JSONDecoder().decode(Recipe.self, from: Data(#"{"material": "titanum"}"#.utf8))
        }
    }

    @Test("generate writes properties.elastic; properties recomputes them in another material")
    func designFolder() throws {
        var recipe = Recipe()
        recipe.size = GridSize(cube: 32)
        recipe.wavelengthMM = recipe.extentMM / 3
        let folder = TestSupport.temporaryFolder()
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        _ = try DesignGenerator.generate(recipe, into: OutputLayout(folder: folder), options: options)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("metrics.json"))) as? [String: Any]
        let elastic = (json?["properties"] as? [String: Any])?["elastic"] as? [String: Any]
        let c = elastic?["stiffness_voigt_gpa"] as? [[Double]]
        #expect(c?.count == 6 && c?.allSatisfy { $0.count == 6 } == true)
        let e = elastic?["youngs_modulus_gpa"] as? [String: Double]
        #expect(Set(e?.keys.map { $0 } ?? []) == ["x", "y", "z"])
        #expect((elastic?["relative_youngs_modulus"] as? [String: Double])?["x"].map { $0 > 0 && $0 < 1 } == true)
        #expect(Set((elastic?["shear_modulus_gpa"] as? [String: Double])?.keys.map { $0 } ?? []) == ["yz", "xz", "xy"])
        #expect((elastic?["material"] as? [String: Any])?["name"] as? String == "resin")

        let design = try DesignFolder(folder)
        let before = try #require(design.metrics.properties?.elastic)
        let stiffer = SolidMaterial(name: "twice", youngsModulusGPa: 5.6, poissonRatio: 0.35)
        let after = try #require(try design.updateProperties(mode: .fast, material: stiffer)?.elastic)
        for (a, b) in zip(before.youngsModulusGPa.values, after.youngsModulusGPa.values) {
            #expect(Self.relativeError(b, 2 * a) < 1e-4)
        }
        #expect(try DesignFolder(folder).recipe.material == stiffer)
        #expect(try DesignFolder(folder).metrics.properties?.elastic?.material == stiffer)
    }

    @Test("Off writes no properties; a 2D field says stiffness is not defined; a graded design says what it assumed")
    func modesAndDesignsWithoutACell() throws {
        func generate(_ recipe: Recipe, _ mode: PropertyMode) throws -> DesignMetrics {
            var options = DesignOptions()
            options.images = ImageOptions(enabled: false)
            options.properties = mode
            return try DesignGenerator.generate(recipe, into: OutputLayout(folder: TestSupport.temporaryFolder()),
                                                options: options).metrics
        }
        var recipe = Recipe()
        recipe.size = GridSize(cube: 24)
        recipe.wavelengthMM = recipe.extentMM / 3
        #expect(try generate(recipe, .off).properties == nil)
        var plate = Recipe()
        plate.size = GridSize(nx: 48, ny: 48, nz: 1)
        let planar = try #require(try generate(plate, .fast).properties)
        #expect(planar.elastic == nil)
        #expect(planar.elasticNote?.contains("2D field") == true)
        var graded = recipe
        graded.grading = Grading(axis: .z, fractions: [0.3, 0.5])
        let elastic = try #require(try generate(graded, .full).properties?.elastic)
        #expect(elastic.boundaryCondition == "periodic (assumed)")
        #expect(elastic.notes.contains { $0.contains("not a unit cell") })
    }

    @Test("A bad --material is a one-line error naming the key, with no design written")
    func badMaterialOnTheCommandLine() throws {
        let folder = TestSupport.temporaryFolder()
        let outcome = try CLIRunner().run(["generate", "--size", "16", "--out", folder.path, "--quiet",
                                           "--material", #"{"youngs_modulus_gpa": 3, "poisson_ratio": 0.7}"#])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("material.poisson_ratio"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("metrics.json").path))
    }
}
