// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every target opts into (see README, "Package hygiene").
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The release build of the `netdicom` tool links Swift's runtime and Foundation into the binary
/// (Foundation's static archive needs its C parts named). Loading them as a dozen shared libraries
/// cost more than half of the tool's start-up: about 8 ms of CPU and twice that in wall time per
/// run, which every storescu, findscu or getscu invocation pays. Debug builds, which the tests
/// link against, stay dynamic like XCTest and swift-testing themselves.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(
        ["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCollections", "-l_FoundationCShims"],
        .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "NetDICOM",
    products: [
        .library(name: "DICOMCore", targets: ["DICOMCore"]),
        .library(name: "DICOMNetworkCore", targets: ["DICOMNetworkCore"]),
        .library(name: "DICOMNetwork", targets: ["DICOMNetwork"]),
        .library(name: "DICOMArchive", targets: ["DICOMArchive"]),
        .library(name: "DICOMNetworkTesting", targets: ["DICOMNetworkTesting"]),
        .executable(name: "netdicom", targets: ["netdicom"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
    ],
    targets: [
        .target(
            name: "DICOMCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DICOMNetworkCore",
            dependencies: [
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DICOMNetwork",
            dependencies: [
                "DICOMCore",
                "DICOMNetworkCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What NetDICOM's users (and its own tests) need to test DICOM code on real sockets:
        // scripted peers and loopback associations.
        .target(
            name: "DICOMNetworkTesting",
            dependencies: [
                "DICOMNetworkCore",
                "DICOMNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The archive: instance store, SQL index (SQLite or PostgreSQL), query matching, Q/R service.
        .target(
            name: "DICOMArchive",
            dependencies: [
                "DICOMCore",
                "DICOMNetworkCore",
                "DICOMNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Swift runtime's global-enqueue hook, found by the linker (see its header).
        .target(name: "CConcurrencyHook"),
        .executableTarget(
            name: "netdicom",
            dependencies: [
                "CConcurrencyHook",
                "DICOMCore",
                "DICOMNetworkCore",
                "DICOMNetwork",
                "DICOMArchive",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),
        // What the test targets share: finding DCMTK, pydicom and pynetdicom, running them;
        // writing a large file.
        .target(
            name: "TestSupport",
            dependencies: [
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DICOMCoreTests",
            dependencies: [
                "TestSupport",
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "netdicomTests",
            dependencies: [
                // The dependency makes SwiftPM build the netdicom binary, which the tests run.
                "netdicom",
                "TestSupport",
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DICOMNetworkCoreTests",
            dependencies: [
                "DICOMNetworkCore",
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DICOMArchiveTests",
            dependencies: [
                "DICOMArchive",
                "DICOMCore",
                "DICOMNetwork",
                "DICOMNetworkCore",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DICOMNetworkTests",
            dependencies: [
                "TestSupport",
                // The dependency makes SwiftPM build the netdicom binary, which the CLI tests run.
                "netdicom",
                "DICOMNetwork",
                "DICOMNetworkTesting",
                "DICOMNetworkCore",
                "DICOMCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The fuzz targets' properties (Fuzz/Sources/FuzzChecks, linked in as Properties/) on a
        // corpus kept in Corpus/: inputs the fuzzers found, cut down to those that each reach
        // code the others do not (see scripts/fuzz --update-regressions).
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: [
                "DICOMArchive",
                "DICOMCore",
                "DICOMNetworkCore",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Corpus"],
            swiftSettings: swiftSettings
        ),
    ]
)
