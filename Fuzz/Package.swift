// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for NetDICOM's parsers of untrusted bytes, apart from the main package so that
// its builds (and CI's) never see the sanitizer flags. Each target defines
// LLVMFuzzerTestOneInput and traps when an input breaks one of its properties; libFuzzer keeps
// that input. Build and run them with ../scripts/fuzz (see its --help).

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "NetDICOMFuzz",
    dependencies: [
        .package(name: "NetDICOM", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // What the targets share: how a failed round trip is reported.
        .target(name: "FuzzSupport", swiftSettings: swiftSettings),
        // A-ASSOCIATE-RQ/-AC/-RJ, P-DATA-TF, A-RELEASE and A-ABORT PDUs, and what an acceptor does
        // with them: the negotiation's answer, the DIMSE messages a P-DATA-TF carries.
        .executableTarget(
            name: "FuzzPDU",
            dependencies: [
                "FuzzSupport",
                .product(name: "DICOMNetworkCore", package: "NetDICOM"),
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // DIMSE command sets, as the P-DATA-TF command fragments bring them.
        .executableTarget(
            name: "FuzzCommandSet",
            dependencies: [
                "FuzzSupport",
                .product(name: "DICOMNetworkCore", package: "NetDICOM"),
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Data sets in each kind of transfer syntax: the reader, the structure check that guards
        // streamed C-STOREs, the value decoders and the writer.
        .executableTarget(
            name: "FuzzDataSet",
            dependencies: [
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Part 10 files: preamble, File Meta Information, and the data set in the syntax it names.
        .executableTarget(
            name: "FuzzPart10",
            dependencies: [
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // C-FIND identifiers: the query the archive makes of one, and its matching.
        .executableTarget(
            name: "FuzzQuery",
            dependencies: [
                .product(name: "DICOMArchive", package: "NetDICOM"),
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
