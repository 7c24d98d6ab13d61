import CephaloForge
import Foundation
import Testing

/// The conductivity and Stokes solvers against exact answers: laminates, straight channels,
/// a tilted layer, parallel plates, a square duct and square arrays of cylinders.
@Suite("Transport solvers")
struct TransportSolverTests {
    /// A mask with `inside(x, y, z)` voxels set.
    private func mask(_ size: GridSize, _ inside: (Int, Int, Int) -> Bool) -> VoxelMask {
        var bits = [UInt8](repeating: 0, count: size.count)
        for z in 0..<size.nz { for y in 0..<size.ny { for x in 0..<size.nx where inside(x, y, z) {
            bits[x + size.nx * (y + size.ny * z)] = 1
        } } }
        return VoxelMask(size: size, bits: bits)
    }

    private func diagonal(_ t: [Double]) -> [Double] { [t[0], t[4], t[8]] }

    @Test func laminateConductivityIsTheArithmeticMeanAlongAndHarmonicAcross() {
        // Layers across z: 5 of 12 voxels in phase 1 (σ = 1), the rest σ = 0.1.
        let size = GridSize(nx: 8, ny: 8, nz: 12)
        let layers = mask(size) { _, _, z in z < 5 }
        let result = ConductivityHomogenisation(phase: layers, conductivities: (0.1, 1), tolerance: 1e-6).solve()
        let k = diagonal(result.conductivity)
        let f = 5.0 / 12
        let arithmetic = f * 1 + (1 - f) * 0.1
        let harmonic = 1 / (f / 1 + (1 - f) / 0.1)
        #expect(abs(k[0] - arithmetic) <= 1e-5 * arithmetic)
        #expect(abs(k[1] - arithmetic) <= 1e-5 * arithmetic)
        #expect(abs(k[2] - harmonic) <= 1e-4 * harmonic)
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            #expect(abs(result.conductivity[3 * i + j]) <= 1e-6)
        }
        #expect(result.solves.allSatisfy { $0.converged })
    }

    @Test func straightChannelsHaveUnitTortuosityAlongAndNoConductionAcross() {
        // Square 4 × 4 channels along z, 12 voxels apart.
        let size = GridSize(nx: 12, ny: 12, nz: 10)
        let channels = mask(size) { x, y, _ in x >= 3 && x < 7 && y >= 5 && y < 9 }
        let porosity = 16.0 / 144
        let k = diagonal(ConductivityHomogenisation(phase: channels).solve().conductivity)
        #expect(abs(k[2] - porosity) <= 1e-9)
        #expect(abs(porosity / k[2] - 1) <= 1e-6, "tortuosity factor along the channels")
        #expect(abs(k[0]) <= 1e-6 * k[2], "closed across the channels")
        #expect(abs(k[1]) <= 1e-6 * k[2], "closed across the channels")
    }

    @Test func conductivityOfATiltedPathAgreesWithItsMirrorImage() {
        // A staircase layer running along (1, 1); its mirror image in x runs along (1, −1).
        let size = GridSize(nx: 16, ny: 16, nz: 4)
        let stairs = mask(size) { x, y, _ in (x - y + 16) % 16 < 5 }
        let mirrored = mask(size) { x, y, _ in (x + y) % 16 < 5 }
        let a = ConductivityHomogenisation(phase: stairs, tolerance: 1e-6).solve().conductivity
        let b = ConductivityHomogenisation(phase: mirrored, tolerance: 1e-6).solve().conductivity
        #expect(abs(a[0] - a[4]) <= 1e-5)
        #expect(abs(a[0] - b[0]) <= 1e-5)
        #expect(abs(a[1] + b[1]) <= 1e-5, "the off-diagonal term changes sign with the tilt")
        #expect(a[1] > 0.01)
        #expect(abs(a[1] - a[3]) <= 1e-5, "the tensor is symmetric")
    }

    @Test func slitPermeabilityIsTheParallelPlateValue() {
        // Plates across y, 4 voxels thick, gap h; flow along x and z, none across.
        for h in [8, 16] {
            let period = h + 4
            let size = GridSize(nx: 6, ny: period, nz: 6)
            let slit = mask(size) { _, y, _ in y < h }
            var solver = StokesPermeability(pores: slit, tolerance: 1e-6)
            solver.keepFlow = true
            let result = solver.solve()
            let k = diagonal(result.permeability)
            // Along the plates the flow is along x alone: the mean speed is the permeability.
            let meanSpeed = result.speed[0].reduce(0.0) { $0 + Double($1) } / Double(size.count)
            #expect(abs(meanSpeed / k[0] - 1) < 1e-4, "h = \(h)")
            let porosity = Double(h) / Double(period)
            // The staggered grid's exact answer: the parabola plus 1/8 at the wall's neighbours.
            let discrete = (Double(h * h) / 12 + 1.0 / 6) * porosity
            let continuum = Double(h * h) / 12 * porosity
            #expect(abs(k[0] - discrete) <= 1e-4 * discrete, "h = \(h)")
            #expect(abs(k[2] - discrete) <= 1e-4 * discrete, "h = \(h)")
            #expect(abs(k[0] - continuum) <= 2.5 / Double(h * h) * continuum, "h = \(h)")
            #expect(abs(k[1]) <= 1e-6 * k[0], "no net flow across the plates")
        }
    }

    /// Mean velocity in a square duct of side a under a unit pressure gradient and unit
    /// viscosity: a²/12 · (1 − 192/π⁵ Σ_{n odd} tanh(nπ/2)/n⁵).
    private func ductMeanVelocity(side a: Double) -> Double {
        var sum = 0.0
        for n in stride(from: 1, through: 99, by: 2) {
            let nd = Double(n)
            sum += tanh(nd * .pi / 2) / pow(nd, 5)
        }
        return a * a / 12 * (1 - 192 / pow(.pi, 5) * sum)
    }

    @Test func squareDuctPoiseuilleFlowMatchesTheSeriesSolution() {
        var errors: [Double] = []
        for a in [8, 16] {
            let period = a + 2
            let size = GridSize(nx: period, ny: period, nz: 4)
            let duct = mask(size) { x, y, _ in x < a && y < a }
            let k = diagonal(StokesPermeability(pores: duct, tolerance: 1e-6).solve().permeability)
            let porosity = Double(a * a) / Double(period * period)
            let exact = ductMeanVelocity(side: Double(a)) * porosity
            errors.append(abs(k[2] / exact - 1))
            #expect(abs(k[0]) <= 1e-6 * k[2], "no net flow across the duct")
            #expect(abs(k[1]) <= 1e-6 * k[2], "no net flow across the duct")
        }
        #expect(errors[1] < 0.02, "16-voxel duct within 2% of the series solution")
        #expect(errors[1] < errors[0] / 2.5, "the error falls with refinement: \(errors)")
    }

    /// Drummond & Tahir (1984) / Sangani & Acrivos (1982): a square array of cylinders of
    /// radius a at solid fraction c, flow across the cylinders:
    /// k/a² = (−ln c − 1.476 + 2c − 1.774c² + 4.076c³) / (8c).
    private func cylinderArrayPermeability(solidFraction c: Double, radius a: Double) -> Double {
        a * a * (-log(c) - 1.476 + 2 * c - 1.774 * c * c + 4.076 * c * c * c) / (8 * c)
    }

    @Test func flowAcrossASquareArrayOfCylindersMatchesDrummondAndTahir() {
        for c in [0.1, 0.2] {
            var errors: [Double] = []
            for n in [32, 96] {
                let radius = Double(n) * (c / .pi).squareRoot()
                let centre = Double(n) / 2
                let size = GridSize(nx: n, ny: n, nz: 2)
                let pores = mask(size) { x, y, _ in
                    let dx = Double(x) + 0.5 - centre, dy = Double(y) + 0.5 - centre
                    return dx * dx + dy * dy > radius * radius
                }
                let solid = 1 - Double(pores.count) / Double(size.count)
                #expect(abs(solid - c) <= 0.01)
                let result = StokesPermeability(pores: pores, tolerance: 1e-5).solve(axes: [0])
                // The voxelised circle's own solid fraction, and the radius of the circle with it.
                let exact = cylinderArrayPermeability(solidFraction: solid, radius: (solid / .pi).squareRoot() * Double(n))
                errors.append(abs(result.permeability[0] / exact - 1))
            }
            #expect(errors[1] < 0.04, "c = \(c): within 4% at 96 voxels across")
            #expect(errors[1] < errors[0] * 0.75, "c = \(c): the error falls with refinement: \(errors)")
        }
    }
}
