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

/// A fuzz target: an executable whose one file defines LLVMFuzzerTestOneInput, on NetDICOM's
/// `modules`, NIOCore and what the targets share.
func fuzzTarget(_ name: String, _ modules: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "NIOCore", package: "swift-nio")]
            + modules.map { .product(name: $0, package: "NetDICOM") },
        swiftSettings: swiftSettings
    )
}

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
        fuzzTarget("FuzzPDU", ["DICOMNetworkCore", "DICOMCore"]),
        // DIMSE command sets, as the P-DATA-TF command fragments bring them.
        fuzzTarget("FuzzCommandSet", ["DICOMNetworkCore", "DICOMCore"]),
        // Data sets in each kind of transfer syntax: the reader, the structure check that guards
        // streamed C-STOREs, the value decoders and the writer.
        fuzzTarget("FuzzDataSet", ["DICOMCore"]),
        // Part 10 files: preamble, File Meta Information, and the data set in the syntax it names.
        fuzzTarget("FuzzPart10", ["DICOMCore"]),
        // C-FIND identifiers: the query the archive makes of one, and its matching.
        fuzzTarget("FuzzQuery", ["DICOMArchive", "DICOMCore"]),
    ]
)
