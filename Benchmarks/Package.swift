// swift-tools-version: 6.1
import PackageDescription

// NetDICOM's benchmarks, apart from the main package so that package-benchmark and its
// dependencies never slow down the main package's builds (or CI's): see README.md here.
//
//   swift package benchmark                                   # the package-benchmark suites
//   swift run -c release generate-instances --help            # synthetic test instances
//   ../scripts/bench --help                                   # end-to-end ratios vs DCMTK, pydicom

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "NetDICOMBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "NetDICOM", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Realistic synthetic instances built with DICOMCore's public API; shared by the
        // generator and the benchmark suites.
        .target(
            name: "SyntheticInstances",
            dependencies: [
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "generate-instances",
            dependencies: [
                "SyntheticInstances",
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Many patients and studies of tiny instances: the index population of scripts/bench's
        // find-100k section.
        .executableTarget(
            name: "generate-archive",
            dependencies: [
                "SyntheticInstances",
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Parse-only counterpart of `dcmdump +P` for scripts/bench's `parse` section.
        .executableTarget(
            name: "parse-instances",
            dependencies: [
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DICOMCoreBenchmarks",
            dependencies: [
                "SyntheticInstances",
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DICOMCoreBenchmarks",
            swiftSettings: swiftSettings,
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
