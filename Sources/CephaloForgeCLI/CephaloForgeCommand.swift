import ArgumentParser
import CMemory
import ForgeStudio
import Foundation

@main
struct CephaloForgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cephalo-forge",
        abstract: "Turn a description of a material microstructure into printable files.",
        discussion: """
            A prompt such as "trabecular bone scaffold, 30% solid, 10 mm cube" becomes a recipe \
            (family, solid fraction, wavelength, extent, size, seed), a periodic spectral random \
            field cut at exactly that solid fraction, a closed binary STL in millimetres, one PNG \
            per z layer, metrics.json, and pictures: a shaded render, a slice montage, plots and \
            report.html. Everything runs locally, from the command line or in the browser studio \
            (`serve`); with --cephalo-url (or CEPHALO_BASE_URL) a Cephalo model \
            behind an OpenAI-compatible server describes prompts and critiques designs.

            Examples:
              cephalo-forge generate "spinodal foam, 35% solid, 10 mm cube" --size 128 --seed 7
              cephalo-forge generate --recipe spinodal-foam --out Outputs/foam
              cephalo-forge describe "blob particles, 70% porosity, 5 mm cube"
              cephalo-forge render Outputs/foam --views all --color thickness
              cephalo-forge iterate "spinodal foam, 30% solid, wavelength 1.5 mm" --rounds 4 --out Outputs/loop
              cephalo-forge critique Outputs/foam --target "spinodal foam, 30% solid"
              cephalo-forge batch Templates/sweeps/foam-sweep.yaml --jobs 2 --out Outputs/sweep
              cephalo-forge serve                  # the studio at http://127.0.0.1:8080
            """,
        version: "0.4.0",
        subcommands: [GenerateCommand.self, DescribeCommand.self, RenderCommand.self, CritiqueCommand.self,
                      IterateCommand.self, BatchCommand.self, PropertiesCommand.self, ServeCommand.self])

    /// Blocks of 4 MiB and more (grids, spectra, mesh buffers) get their own mappings, so
    /// each is returned to the system as soon as it is freed and stages do not stack up
    /// each other's peaks.
    static func main() async {
        _ = cf_map_blocks_from(4 << 20)
        StudioJob.endWithStudio()
        await main(nil)
    }
}
