import ArgumentParser
import DICOMCore
import Foundation
import SyntheticInstances

/// `generate-instances`: writes synthetic DICOM instances for benchmarks and samples.
@main
struct GenerateInstances: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-instances",
        abstract: "Write realistic synthetic DICOM instances (one patient, study and series).",
        discussion: """
            Kinds:
              ct        CT Image Storage, 16 bits allocated, 12 stored, every module of the CT IOD \
            (patient, study, series, frame of reference, equipment, image plane, CT image, VOI \
            LUT, image pixel) with plausible values; pixel data is a noise-free chest-like \
            phantom that changes along the series. 512 x 512 (about 525 KB) unless told otherwise.
              tiny      an 8 x 8 Secondary Capture image of a few hundred bytes.
              elements  a data set of 5,000 small private elements of ten VRs plus nested \
            sequences (about 400 elements in items): parsing cost per element, not per byte.

            Every instance has a fresh SOP Instance UID and InstanceNumber 1...N; files are \
            named IM000001.dcm... in the output directory, or written to --file for one instance.

            Example (the bundled sample, from the Benchmarks directory):
              swift run -c release generate-instances --kind ct --rows 64 --columns 64 \
            --file ../Samples/CT-synthetic.dcm
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ct, tiny, elements
    }

    enum Syntax: String, ExpressibleByArgument, CaseIterable {
        case explicit, implicit, bigendian, deflated

        var transferSyntax: TransferSyntax {
            switch self {
            case .explicit: .explicitVRLittleEndian
            case .implicit: .implicitVRLittleEndian
            case .bigendian: .explicitVRBigEndian
            case .deflated: .deflatedExplicitVRLittleEndian
            }
        }
    }

    @Option(help: "What to generate: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind = .ct

    @Option(help: "How many instances (one study and series, InstanceNumber 1...N).")
    var count = 1

    @Option(help: "Transfer syntax: \(Syntax.allCases.map(\.rawValue).joined(separator: ", ")).")
    var transferSyntax: Syntax = .explicit

    @Option(help: "Image rows (default 512 for ct, 8 for tiny).")
    var rows: Int?

    @Option(help: "Image columns (default 512 for ct, 8 for tiny).")
    var columns: Int?

    @Option(help: "Private elements of the elements kind.")
    var elements = 5_000

    @Option(name: .shortAndLong, help: "The directory to write into; created if missing.")
    var output = "."

    @Option(help: "Write the one instance to this file instead (with --count 1).")
    var file: String?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard file == nil || count == 1 else { throw ValidationError("--file writes one instance: use -o DIR for --count \(count)") }
        guard (0...ManyElementsInstance.maximumPrivateElementCount).contains(elements) else {
            throw ValidationError("--elements must be 0...\(ManyElementsInstance.maximumPrivateElementCount)")
        }
        for value in [rows, columns].compactMap({ $0 }) where !(1...65_535).contains(value) {
            throw ValidationError("--rows and --columns must be 1...65535")
        }
    }

    func run() throws {
        let study = SyntheticStudy()
        if file == nil { try makeDirectory(output) }
        for number in 1...count {
            let dataSet: DataSet
            switch kind {
            case .ct: dataSet = CTInstance.make(study: study, instanceNumber: number, rows: rows ?? 512, columns: columns ?? 512)
            case .tiny: dataSet = TinyInstance.make(study: study, instanceNumber: number, rows: rows ?? 8, columns: columns ?? 8)
            case .elements: dataSet = ManyElementsInstance.make(study: study, instanceNumber: number, privateElementCount: elements)
            }
            let path = file ?? output + "/" + String(format: "IM%06d.dcm", number)
            // Benchmark inputs need not survive a power cut: no fsync, so that generating 200
            // files costs what encoding them does.
            try DICOMFile(dataSet: dataSet, transferSyntax: transferSyntax.transferSyntax, sourceAETitle: "NETDICOM_GEN")
                .write(toFileAt: path, durable: false)
        }
    }

    private func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
