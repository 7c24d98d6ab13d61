// swift-tools-version:6.0
import PackageDescription

// Layers, imports pointing down only:
//   CLI → Studio → Pipeline → Cephalo | Formats | Render → Synthesis | Morphology | Meshing | Metrics | Properties → FFT → Core
//   C targets (CFFTW, CPNG, CAssimp, CDeflate, CGL, COpenBLAS, CFileSystem, CMemory) are each imported by exactly one Swift target.
let package = Package(
    name: "CephaloForge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cephalo-forge", targets: ["CephaloForgeCLI"]),
        .library(name: "CephaloForge", targets: ["CephaloForge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),
        .target(name: "CAssimp", linkerSettings: [.linkedLibrary("assimp")]),
        .target(name: "CGL", linkerSettings: [.linkedLibrary("EGL"), .linkedLibrary("GL")]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CMemory"),
        .target(name: "CFileSystem"),
        .target(name: "CDeflate", linkerSettings: [.linkedLibrary("z")]),

        // Core values
        .target(name: "ForgeCore"),

        // Algorithms
        .target(name: "ForgeFFT", dependencies: ["ForgeCore", "CFFTW"]),
        .target(name: "ForgeSynthesis", dependencies: ["ForgeCore", "ForgeFFT"]),
        .target(name: "ForgeMorphology", dependencies: ["ForgeCore"]),
        .target(name: "ForgeMeshing", dependencies: ["ForgeCore"]),
        .target(name: "ForgeMetrics", dependencies: ["ForgeCore", "ForgeFFT", "ForgeMorphology", "ForgeMeshing"]),
        .target(name: "ForgeStatistics", dependencies: ["COpenBLAS"]),
        .target(name: "ForgeProperties", dependencies: ["ForgeCore", "ForgeFFT", "ForgeMorphology"]),

        // Formats and the model layer
        .target(name: "ForgeFormats", dependencies: ["ForgeCore", "CPNG", "CAssimp", "CDeflate", "Yams"]),
        .target(name: "ForgeCephalo", dependencies: [
            "ForgeCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "ForgeRender", dependencies: ["ForgeCore", "ForgeMetrics", "ForgeMorphology", "CGL"]),

        // Pipeline, umbrella and CLI
        .target(name: "ForgePipeline", dependencies: [
            "ForgeCore", "CFileSystem", "ForgeSynthesis", "ForgeMorphology", "ForgeMeshing",
            "ForgeMetrics", "ForgeFormats", "ForgeCephalo", "ForgeRender", "ForgeStatistics", "ForgeProperties",
        ]),
        // The browser studio and its JSON API, over the pipeline (jobs run the CLI's generate).
        .target(name: "ForgeStudio", dependencies: [
            "CephaloForge",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "CephaloForge", dependencies: [
            "ForgeCore", "ForgeSynthesis", "ForgeMorphology", "ForgeMeshing",
            "ForgeMetrics", "ForgeFormats", "ForgeCephalo", "ForgeRender", "ForgeStatistics", "ForgeProperties",
            "ForgePipeline",
        ]),
        .executableTarget(name: "CephaloForgeCLI", dependencies: [
            "CephaloForge", "ForgeStudio", "CMemory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The readers of user files under libFuzzer (Tests/Fuzz/run), or replaying a corpus.
        .executableTarget(name: "cephalo-forge-fuzz", dependencies: ["ForgeFormats"], path: "Tests/Fuzz/Harness"),

        .executableTarget(name: "cephalo-forge-bench", dependencies: ["CephaloForge", "ForgeFFT", "CMemory"],
                          path: "Benchmarks/MeshingBenchmark"),
        .executableTarget(name: "cephalo-forge-property-bench", dependencies: ["CephaloForge", "CMemory"],
                          path: "Benchmarks/PropertyBenchmark", exclude: ["muspectre_stiffness.py"]),
        .executableTarget(name: "cephalo-forge-transport-bench", dependencies: ["CephaloForge", "CMemory"],
                          path: "Benchmarks/TransportBenchmark", exclude: ["taufactor_tortuosity.py"]),

        .testTarget(name: "CephaloForgeTests", dependencies: ["CephaloForge", "ForgeFFT", "ForgeStudio"],
                    exclude: ["Fixtures"]),  // read from disk by path, not bundled
    ]
)
