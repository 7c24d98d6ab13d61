import CephaloForge
import Foundation
import Testing

/// `properties.transport` as scripts read it: keys, units, closed axes, fast-mode coarsening and
/// the design folder round trip.
@Suite("Transport properties")
struct TransportPropertiesTests {
    /// Solid plates across z, `gap` pore voxels between plates `wall` thick.
    static func plates(_ n: Int, gap: Int, wall: Int) -> VoxelMask {
        var bits = [UInt8](repeating: 0, count: n * n * n)
        for z in 0..<n where z % (gap + wall) >= gap {
            for i in 0..<(n * n) { bits[i + n * n * z] = 1 }
        }
        return VoxelMask(size: GridSize(cube: n), bits: bits)
    }

    @Test("Closed plates: no flow or diffusion across them, τ written as null, and said plainly")
    func closedAxis() throws {
        let t = TransportProperties.compute(mask: Self.plates(16, gap: 6, wall: 2), voxelMM: 0.1, mode: .full, periodic: true)
        #expect(t.poresPercolate == [true, true, false])
        #expect(t.solidPercolates == [true, true, false])
        #expect(t.relativeConductivityPores.z == 0 && t.permeabilityM2.z == 0)
        #expect(t.tortuosityFactor.z == nil && t.formationFactor.z == nil)
        #expect(abs((t.tortuosityFactor.x ?? 0) - 1) < 1e-6, "straight gaps: τ = 1 along them")
        #expect(abs(t.relativeConductivitySolid.x - 0.25) < 1e-6, "the solid conducts its share along the plates")
        #expect(t.notes.contains { $0.contains("do not connect") && $0.contains("along z") && $0.contains("null") })
        // Parallel plates, gap h = 6 voxels of 0.1 mm: (h²/12 + 1/6) φ voxel².
        let expected = (36.0 / 12 + 1.0 / 6) * 0.75 * 1e-8
        #expect(abs(t.permeabilityM2.x / expected - 1) < 1e-3)
        #expect(abs(t.permeabilityDarcy.x * TransportProperties.darcy / t.permeabilityM2.x - 1) < 1e-12)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(t)) as? [String: Any]
        let tau = try #require(json?["tortuosity_factor"] as? [String: Any])
        #expect(tau["z"] is NSNull, "an infinite tortuosity factor is null in JSON")
        #expect(tau["x"] as? Double != nil)
    }

    @Test("Pores that connect nowhere: nothing flows, nothing diffuses, and every solve stops at once")
    func isolatedPores() {
        // Single pore voxels two apart in every direction, in solid.
        let n = 12
        var bits = [UInt8](repeating: 1, count: n * n * n)
        for z in stride(from: 0, to: n, by: 2) { for y in stride(from: 0, to: n, by: 2) { for x in stride(from: 0, to: n, by: 2) {
            bits[x + n * (y + n * z)] = 0
        } } }
        let t = TransportProperties.compute(mask: VoxelMask(size: GridSize(cube: n), bits: bits), voxelMM: 0.1,
                                            mode: .full, periodic: true)
        #expect(t.poresPercolate == [false, false, false] && t.solidPercolates == [true, true, true])
        #expect(t.permeabilityM2.values == [0, 0, 0] && t.relativeConductivityPores.values == [0, 0, 0])
        #expect(t.tortuosityFactor.values.allSatisfy { $0 == nil })
        #expect(t.converged && t.iterations.permeability == [0, 0, 0] && t.iterations.conductivityPores == [0, 0, 0])
        #expect(t.relativeConductivitySolid.x > 0.5 && t.relativeConductivitySolid.x < 1)
    }

    @Test("fast mode averages a grid above its limit over 2 × 2 × 2 blocks and says so")
    func fastCoarsens() {
        let mask = Self.plates(32, gap: 12, wall: 4)
        let full = TransportProperties.compute(mask: mask, voxelMM: 0.1, mode: .full, periodic: true)
        let fast = TransportProperties.compute(mask: mask, voxelMM: 0.1, mode: .fast, periodic: true, gridLimit: 16)
        #expect(fast.coarsening == 2 && fast.grid == [16, 16, 16] && full.coarsening == 1)
        #expect(abs(fast.voxelSizeM - 2e-4) < 1e-12)
        #expect(abs(fast.porosity - full.porosity) < 1e-9)
        // A 12-voxel gap becomes 6 coarse voxels: the same plates, with the grid's own O(1/h²) error.
        #expect(abs(fast.permeabilityM2.x / full.permeabilityM2.x - 1) < 0.05)
        #expect(fast.notes.contains { $0.contains("2×2×2") })
    }

    @Test("generate writes properties.transport with the keys scripts read; properties recomputes the same")
    func designFolder() throws {
        var recipe = Recipe()
        recipe.family = .gyroid
        recipe.size = GridSize(cube: 32)
        recipe.wavelengthMM = recipe.extentMM / 2
        recipe.solidFraction = 0.3
        let folder = TestSupport.temporaryFolder()
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        _ = try DesignGenerator.generate(recipe, into: OutputLayout(folder: folder), options: options)
        let data = try Data(contentsOf: folder.appendingPathComponent("metrics.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let transport = try #require((json?["properties"] as? [String: Any])?["transport"] as? [String: Any])
        for key in ["relative_conductivity_pores", "relative_conductivity_solid", "tortuosity_factor", "permeability_m2"] {
            let axes = try #require(transport[key] as? [String: Double], "\(key)")
            #expect(Set(axes.keys) == ["x", "y", "z"], "\(key)")
            #expect(axes.values.allSatisfy { $0 > 0 && $0.isFinite }, "\(key): \(axes)")
        }
        let tau = try #require(transport["tortuosity_factor"] as? [String: Double])
        #expect(tau.values.allSatisfy { $0 >= 1 }, "τ ≥ 1 (the Wiener bound)")
        // The gyroid is cubic: the same along each axis.
        let k = try #require(transport["permeability_m2"] as? [String: Double])
        #expect(abs(k["x"]! / k["z"]! - 1) < 1e-3 && abs(k["y"]! / k["z"]! - 1) < 1e-3)

        let design = try DesignFolder(folder)
        let before = try #require(design.metrics.properties?.transport)
        let after = try #require(try design.updateProperties(mode: .full)?.transport)
        #expect(after.permeabilityM2 == before.permeabilityM2 && after.tortuosityFactor == before.tortuosityFactor)
        #expect(after.mode == .full)
    }

    @Test("--volume writes the flow speed along each axis: zero in the solid, readable as NRRD and VTI")
    func flowVolumes() throws {
        var recipe = Recipe()
        recipe.size = GridSize(cube: 24)
        recipe.wavelengthMM = recipe.extentMM / 2
        let folder = TestSupport.temporaryFolder()
        var options = DesignOptions(volumeFormats: [.nrrd, .vti])
        options.images = ImageOptions(enabled: false)
        let result = try DesignGenerator.generate(recipe, into: OutputLayout(folder: folder), options: options)
        #expect(result.dataFiles.contains("flow_speed_z.nhdr") && result.dataFiles.contains("flow_speed_x.vti"))
        let mask = try DesignFolder(folder).mask()
        let k = try #require(result.metrics.properties?.transport?.permeabilityM2)
        for (axis, name) in ["x", "y", "z"].enumerated() {
            let speed = try NRRDVolume.read(header: folder.appendingPathComponent("flow_speed_\(name).nhdr"))
            let same = try VTIVolume.read(folder.appendingPathComponent("flow_speed_\(name).vti"))
            #expect(speed.values == same.values && speed.size == recipe.size)
            #expect(zip(mask.bits, speed.values).allSatisfy { $0 == 0 || $1 == 0 }, "no flow in the solid")
            let mean = speed.values.reduce(0.0) { $0 + Double($1) } / Double(speed.values.count)
            // |u| ≥ the velocity along the load, whose mean is the permeability.
            #expect(mean >= k.values[axis] * (1 - 1e-4) && mean < 3 * k.values[axis])
        }
    }

    @Test("The memory check counts the grid each mode solves on")
    func memoryCheck() throws {
        let gib: UInt64 = 1 << 30
        // 256³ in fast mode solves 128³ (about 0.4 GiB); in full mode 256³ (about 3.5 GiB).
        try MemoryBudget.checkProperties(GridSize(cube: 256), mode: .fast, physicalBytes: 2 * gib)
        #expect(throws: PipelineError.self) {
            try MemoryBudget.checkProperties(GridSize(cube: 256), mode: .full, physicalBytes: 2 * gib)
        }
        // An odd grid cannot be averaged, so fast mode solves all of it and says what to do.
        do {
            try MemoryBudget.checkProperties(GridSize(cube: 257), mode: .fast, physicalBytes: 2 * gib)
            Issue.record("a 257³ fast solve should not fit in 2 GiB")
        } catch let error as PipelineError {
            #expect("\(error)".contains("halves evenly"))
        }
        try MemoryBudget.checkProperties(GridSize(cube: 4096), mode: .off, physicalBytes: gib)
    }

    @Test("A 2D field says flow is not defined")
    func planar() throws {
        var plate = Recipe()
        plate.size = GridSize(nx: 48, ny: 48, nz: 1)
        var options = DesignOptions()
        options.images = ImageOptions(enabled: false)
        let metrics = try DesignGenerator.generate(plate, into: OutputLayout(folder: TestSupport.temporaryFolder()),
                                                   options: options).metrics
        let properties = try #require(metrics.properties)
        #expect(properties.transport == nil)
        #expect(properties.transportNote?.contains("2D field") == true)
    }
}
