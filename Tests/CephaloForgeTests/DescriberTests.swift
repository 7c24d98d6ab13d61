import CephaloForge
import Testing

@Suite("Local describer")
struct DescriberTests {
    let describer = LocalDescriber()

    @Test func trabecularBoneScaffold() throws {
        let d = try describer.describe("trabecular bone scaffold, 30% solid, 10 mm cube")
        #expect(d.recipe.family == .columnar)
        #expect(abs(d.recipe.solidFraction - 0.30) < 1e-12)
        #expect(d.recipe.extentMM == 10)
        #expect(d.recipe.wavelengthMM == 1.2)
        #expect(d.fromPrompt["solid_fraction"] == "30% solid")
        #expect(d.defaulted.contains("seed"))
        #expect(!d.defaulted.contains("extent_mm"))
    }

    @Test(arguments: [
        ("70% porosity", 0.30),
        ("porous 0.6", 0.40),
        ("solid fraction 0.25", 0.25),
        ("density of 45%", 0.45),
        ("60% void foam", 0.40),
        ("a sponge, 20%", 0.20),
    ])
    func fractions(prompt: String, solid: Double) throws {
        let d = try describer.describe(prompt)
        #expect(abs(d.recipe.solidFraction - solid) < 1e-9, "\(prompt)")
        #expect(d.fromPrompt["solid_fraction"] != nil)
    }

    @Test(arguments: [
        ("5 mm cube", 5.0, nil as Double?),
        ("2 cm block", 20.0, nil),
        ("800 µm cube, pore size 100 µm", 0.8, 0.2),
        ("cube of 12 mm with wavelength 3 mm", 12.0, 3.0),
        ("feature size 0.5mm, 6 mm", 6.0, 1.0),
    ])
    func lengths(prompt: String, extent: Double, wavelength: Double?) throws {
        let d = try describer.describe(prompt)
        #expect(abs(d.recipe.extentMM - extent) < 1e-9, "\(prompt)")
        if let wavelength { #expect(abs(d.recipe.wavelengthMM - wavelength) < 1e-9, "\(prompt)") }
    }

    @Test func wordsSetFamilyAndScale() throws {
        #expect(try describer.describe("blobby particles").recipe.family == .blob)
        let coarse = try describer.describe("coarse spinodal").recipe.wavelengthMM
        let fine = try describer.describe("fine spinodal").recipe.wavelengthMM
        #expect(coarse == 4 * fine)
        #expect(try describer.describe("irregular foam").recipe.bandwidth > Recipe.defaults.bandwidth)
        #expect(try describer.describe("foam, 64 voxels, seed 9").recipe.size == GridSize(cube: 64))
        #expect(try describer.describe("foam, 64 voxels, seed 9").recipe.seed == 9)
    }

    @Test(arguments: [
        ("nacre-like layered composite", StructureFamily.lamellar),
        ("bamboo fibres", .columnar),
        ("wood", .columnar),
        ("open-cell foam", .spinodal),
        ("bicontinuous", .spinodal),
        ("gyroid lattice", .gyroid),
        ("schwarz p cells", .schwarzP),
        ("diamond lattice", .diamond),
        ("neovius", .neovius),
        ("rough fractal surface", .fractal),
        ("cubic spinodoid", .spinodoid),
        ("granular particles", .blob),
    ])
    func materialWordsPickFamilies(prompt: String, family: StructureFamily) throws {
        #expect(try describer.describe(prompt).recipe.family == family, "\(prompt)")
    }

    @Test func gradingModeAxisAndPrinter() throws {
        let graded = try describer.describe("graded foam from 20% at the bottom to 50% at the top").recipe
        #expect(graded.grading == Grading(axis: .z, fractions: [0.2, 0.5]))
        #expect(abs(graded.solidFraction - 0.35) < 1e-9)
        let sideways = try describer.describe("gradient from 30% to 60% along x, sheet gyroid").recipe
        #expect(sideways.grading == Grading(axis: .x, fractions: [0.3, 0.6]))
        #expect(sideways.mode == .sheet && sideways.family == .gyroid)
        let columns = try describer.describe("anisotropic, along y").recipe
        #expect(columns.family == .columnar && columns.axis == .y)
        let fdm = try describer.describe("FDM foam, minimum feature 0.8 mm").recipe
        #expect(fdm.printerResolutionMM == 0.4 && fdm.minFeatureMM == 0.8)
        let cell = try describer.describe("gyroid, cell size 3 mm, 12 mm cube").recipe
        #expect(cell.wavelengthMM == 3 && cell.extentMM == 12)
    }

    @Test func nothingUsableGivesDefaults() throws {
        let d = try describer.describe("something nice please")
        var expected = Recipe.defaults
        expected.prompt = "something nice please"
        expected.name = "something-nice-please"
        #expect(d.recipe == expected)
        #expect(d.fromPrompt.isEmpty)
    }

    @Test func slugs() {
        #expect(LocalDescriber.slug("Trabecular bone, 30% solid!") == "trabecular-bone-30-solid")
        #expect(LocalDescriber.slug("") == "design" && LocalDescriber.slug("  ") == "design")
        // Prompts without ASCII letters or digits get distinct, stable names.
        let a = LocalDescriber.slug("海綿状の骨"), b = LocalDescriber.slug("多孔質の足場")
        #expect(a.hasPrefix("design-") && b.hasPrefix("design-") && a != b && a.count == 15)
        #expect(LocalDescriber.slug("海綿状の骨") == a)
        #expect(LocalDescriber.slug(String(repeating: "ab ", count: 40)).count <= 48)
    }
}
