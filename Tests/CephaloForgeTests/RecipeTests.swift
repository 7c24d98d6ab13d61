import CephaloForge
import Foundation
import Testing

@Suite("Recipes")
struct RecipeTests {
    @Test func subsetOfKeysTakesDefaults() throws {
        let json = #"{"solid_fraction": 0.25, "size": [64, 32, 16]}"#
        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(json.utf8))
        #expect(recipe.solidFraction == 0.25)
        #expect(recipe.size == GridSize(nx: 64, ny: 32, nz: 16))
        #expect(recipe.family == Recipe.defaults.family)
        #expect(recipe.wavelengthMM == Recipe.defaults.wavelengthMM)
    }

    @Test func encodingUsesSnakeCaseAndRoundTrips() throws {
        var recipe = Recipe.defaults
        recipe.name = "x"
        recipe.seed = 123_456_789_012_345
        let data = try JSONFile.encode(recipe)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let optional: Set = ["prompt", "min_wavelength_mm", "blend", "grading", "image", "targets"]
        #expect(Set(object?.keys.map { $0 } ?? []) == Set(Recipe.keyNames).subtracting(optional))
        #expect(Recipe.keyNames.allSatisfy { $0 == $0.lowercased() && !$0.contains("-") })
        #expect(try JSONDecoder().decode(Recipe.self, from: data) == recipe)
    }

    @Test func misspeltKeyNamesTheClosestKey() {
        let json = #"{"solid_fracton": 0.3}"#
        #expect(throws: RecipeError.unknownKey("solid_fracton", suggestion: "solid_fraction")) {
            try JSONDecoder().decode(Recipe.self, from: Data(json.utf8))
        }
    }

    @Test func unknownFamilyIsRejected() {
        #expect(throws: RecipeError.self) {
            try JSONDecoder().decode(Recipe.self, from: Data(#"{"family": "spinodl"}"#.utf8))
        }
    }

    @Test(arguments: [
        ("solid_fraction", #"{"solid_fraction": 1.0}"#),
        ("solid_fraction", #"{"solid_fraction": 0}"#),
        ("size", #"{"size": 4}"#),
        ("extent_mm", #"{"extent_mm": 0}"#),
        ("extent_mm", #"{"extent_mm": -3}"#),
        ("wavelength_mm", #"{"wavelength_mm": 0.01}"#),
        ("size", #"{"size": 33}"#),
    ])
    func outOfRangeValuesAreRejected(key: String, json: String) throws {
        let recipe = try JSONDecoder().decode(Recipe.self, from: Data(json.utf8))
        do {
            try recipe.validate()
            Issue.record("\(json) was accepted")
        } catch let error as RecipeError {
            guard case let .outOfRange(reportedKey, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reportedKey == key)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func yamlFilesDecode() throws {
        let folder = TestSupport.temporaryFolder()
        let url = folder.appendingPathComponent("r.yaml")
        try "family: blob\nsolid_fraction: 0.4\nsize: 48x48\n".write(to: url, atomically: true, encoding: .utf8)
        let recipe = try RecipeFile.load(url.path, templateFolders: [])
        #expect(recipe.family == .blob)
        #expect(recipe.size == GridSize(nx: 48, ny: 48, nz: 1))
        #expect(recipe.solidFraction == 0.4)
    }

    @Test func templatesByName() throws {
        let folder = TestSupport.temporaryFolder()
        try "solid_fraction: 0.2\n".write(to: folder.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let recipe = try RecipeFile.load("mine", templateFolders: [folder])
        #expect(recipe.solidFraction == 0.2)
        #expect(recipe.name == "mine")
        #expect(throws: FormatError.self) { try RecipeFile.load("absent", templateFolders: [folder]) }
    }

    @Test func shippedTemplatesAreValid() throws {
        let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates/recipes")
        let files = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            try RecipeFile.decode(templates.appendingPathComponent(file)).validate()
        }
    }

    @Test func sizeParsing() {
        #expect(GridSize(parsing: "128") == GridSize(cube: 128))
        #expect(GridSize(parsing: "512x256") == GridSize(nx: 512, ny: 256, nz: 1))
        #expect(GridSize(parsing: "64x64x32") == GridSize(nx: 64, ny: 64, nz: 32))
        #expect(GridSize(parsing: "big") == nil)
        #expect(GridSize(parsing: "1x2x3x4") == nil)
    }
}
