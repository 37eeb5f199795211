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

/// A fuzz target: an executable whose one file defines LLVMFuzzerTestOneInput, calling the
/// properties of FuzzChecks.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzChecks"], swiftSettings: swiftSettings)
}

let package = Package(
    name: "NetDICOMFuzz",
    dependencies: [
        .package(name: "NetDICOM", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The properties each target checks, one file per target. The main package's
        // FuzzRegressionTests compile these same files (symbolic links) to replay a corpus on every
        // test run.
        .target(
            name: "FuzzChecks",
            dependencies: [
                .product(name: "DICOMCore", package: "NetDICOM"),
                .product(name: "DICOMNetworkCore", package: "NetDICOM"),
                .product(name: "DICOMArchive", package: "NetDICOM"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // A-ASSOCIATE-RQ/-AC/-RJ, P-DATA-TF, A-RELEASE and A-ABORT PDUs, and what an acceptor does
        // with them: the negotiation's answer, the DIMSE messages a P-DATA-TF carries.
        fuzzTarget("FuzzPDU"),
        // DIMSE command sets, as the P-DATA-TF command fragments bring them.
        fuzzTarget("FuzzCommandSet"),
        // Data sets in each kind of transfer syntax: the reader, the structure check that guards
        // streamed C-STOREs, the value decoders and the writer.
        fuzzTarget("FuzzDataSet"),
        // Part 10 files: preamble, File Meta Information, and the data set in the syntax it names.
        fuzzTarget("FuzzPart10"),
        // C-FIND identifiers: the query the archive makes of one, and its matching.
        fuzzTarget("FuzzQuery"),
    ]
)
