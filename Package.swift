// swift-tools-version:6.1
import PackageDescription

// The numeric targets' loops: errno off so square roots vectorise, no dynamic exclusivity checks
// in the kernels, and on x86-64 code for AVX2 (x86-64-v3, "haswell"): 8-wide vectors make the
// elementwise kernels and the optimiser about 10 % of a training step faster. `genlab` checks the
// CPU at start and says so clearly on a machine without AVX2 and FMA.
#if arch(x86_64)
let cpuFlags = ["-target-cpu", "haswell"]
#else
let cpuFlags: [String] = []
#endif
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-fno-math-errno", "-enforce-exclusivity=unchecked"] + cpuFlags),
]

let package = Package(
    name: "GenLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "genlab", targets: ["genlab"]),
        .executable(name: "genlab-bench", targets: ["genlab-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // SHA-256 (run ids, manifests, fingerprints) from OpenSSL's libcrypto, which Debian ships.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"])]),

        // MARK: - Numeric engine
        .target(name: "NN", dependencies: ["CBLAS"], exclude: ["README.md"], swiftSettings: numericSettings),

        // MARK: - Data, spec, models
        .target(name: "Data", dependencies: ["NN", "Formats", "CZlib"], exclude: ["README.md"], swiftSettings: numericSettings),
        .target(name: "Spec", dependencies: ["CCrypto"], exclude: ["README.md"]),
        .target(name: "Models", dependencies: ["NN", "Spec"], exclude: ["README.md"], swiftSettings: numericSettings),

        // MARK: - Output and orchestration
        // File formats both data loading and results read and write: PNG, safetensors, .npy.
        .target(name: "Formats", dependencies: ["Spec", "CPNG", "CTurboJPEG"], exclude: ["README.md"]),
        .target(name: "Report", dependencies: ["Formats", "Spec", .product(name: "Plot", package: "Plot")], exclude: ["README.md"]),
        // A run on disk (folder, checkpoint, metrics lines, digests) and the data and model it is built from.
        .target(name: "RunStore", dependencies: ["Spec", "Data", "Models", "Report", "NN"], exclude: ["README.md"]),
        // What is computed from a finished training result: metrics, figures, samples, migration.
        .target(name: "Evaluation", dependencies: ["RunStore", "Spec", "Data", "Models", "Report", "NN"],
                exclude: ["README.md"]),
        .target(name: "Runner", dependencies: ["Evaluation", "RunStore", "Spec", "Data", "Models", "Report", "NN"],
                exclude: ["README.md"]),

        // MARK: - Executables
        .executableTarget(name: "genlab", dependencies: [
            "Runner", "Evaluation", "RunStore", "Report", "Formats", "Spec", "CProcessLifetime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "CMallocCounter", path: "Sources/CMallocCounter"),
        // PR_SET_PDEATHSIG for workers, so they die with their coordinator.
        .target(name: "CProcessLifetime", path: "Sources/CProcessLifetime"),
        .executableTarget(name: "genlab-bench", dependencies: ["NN", "Models", "Spec", "RunStore", "CMallocCounter"],
                          swiftSettings: numericSettings),

        // MARK: - Tests (Swift Testing)
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "DataTests", dependencies: ["Data", "Formats", "NN"]),
        .testTarget(name: "SpecTests", dependencies: ["Spec"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "NN", "Spec"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Formats", "Spec"]),
        .testTarget(name: "RunnerTests", dependencies: ["Runner", "Evaluation", "RunStore", "Spec", "Report", "Formats", "Models", "NN"]),
        // Hostile input: a seeded mutation loop over experiments/ through parsing, planning and the memory estimate.
        .testTarget(name: "FuzzTests", dependencies: ["Spec", "Models", "RunStore", "Runner"]),
        // End-to-end: runs the built `genlab` binary and checks its output, files and exit status.
        .testTarget(name: "CLITests", dependencies: ["Report", "Formats"], exclude: ["Fixtures"]),
    ]
)
