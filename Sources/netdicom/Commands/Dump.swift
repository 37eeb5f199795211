import ArgumentParser
import DICOMCore
import Foundation
import NIOCore

/// `netdicom dump`: prints DICOM files one element per line, as DCMTK's dcmdump does.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the meta information and data set of DICOM files, one element per line.",
        discussion: """
            Each line is `(gggg,eeee) VR value  # length, multiplicity Keyword`, with the tag in \
            lower-case hexadecimal as DCMTK prints it. Sequence items are indented under their \
            sequence. Long values are shortened unless --full is given. Files without a preamble \
            and meta information (bare data sets) are read too; their transfer syntax is detected.

            A damaged file (truncated, or with a length that runs past its sequence) is printed \
            as far as it is well formed, the sequences around the damage cut there, and the \
            error names the offset and tag where it breaks (dcmdump does so with +E, which is \
            accepted here and changes nothing). The exit status is 0 when every file was read \
            whole, 1 otherwise; errors go to standard error. Sequences nested more than 256 deep \
            are not read (a bound on hostile input; PS3.5 sets none, and real objects stay far below).

            dcmdump's spellings work too: +P TAG (--search), -s and +s, +L (--full), and -L, \
            +M and -M, which are accepted and change nothing: values are always shortened \
            unless --full, and the file is read whole into memory, large values included \
            (dcmdump -M leaves them on disk).
            """
    )

    @Argument(help: "The DICOM files to print.", completion: .file())
    var files: [String]

    @Flag(name: [.customLong("full"), .customLong("print-all")], help: "Print long values in full instead of shortening them (dcmdump's +L).")
    var full = false

    @Option(name: [.customLong("search")], help: ArgumentHelp(
        "Print only the elements with this tag, a keyword or gggg,eeee, wherever they are, sequences' items included (repeatable: each tag's in turn; dcmdump's +P).",
        valueName: "tag"))
    var search: [String] = []

    @Flag(name: [.customShort("s"), .customLong("search-first")], help: "With --search, print only the first element of each tag (dcmdump's -s; +s, all of them, is the default).")
    var searchFirst = false

    @Flag(name: [.customLong("no-meta")], help: "Do not print the file meta information (group 0002).")
    var noMeta = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print no warnings or errors (as dcmdump's -q); the exit status still tells.")
    var quiet = false

    @Option(name: [.customLong("max-length")], help: "Shorten values longer than this many characters, brackets included, as dcmdump does at 70 (without --full).")
    var maximumValueLength = 70

    func validate() throws {
        guard maximumValueLength >= 0 else {
            throw ValidationError("--max-length must be 0 or more, not \(maximumValueLength)")
        }
        _ = try searchedTags()
    }

    /// The tags of --search, in their order.
    func searchedTags() throws -> [Tag] {
        try search.map { try TagName.tag($0, in: "--search") }
    }

    func run() throws {
        var failed = 0
        let printer = DumpPrinter(maximumValueLength: full ? nil : maximumValueLength)
        let searched = try searchedTags()
        for (index, path) in files.enumerated() {
            // A damaged file is printed as far as it is well formed, as dcmdump +E (its
            // --ignore-errors) and pydicom do, then the error says where it breaks.
            let (file, error) = DICOMFile.readSalvaging(contentsOf: path)
            if let file {
                var output = ""
                if files.count > 1 {
                    output += (index > 0 ? "\n" : "") + "# File: \(path)\n"
                }
                output += searched.isEmpty ? printer.render(file, includeMeta: !noMeta) : printer.renderSearch(file, for: searched, firstOnly: searchFirst)
                StandardStreams.output(output)
                for term in file.dataSet.specificCharacterSet.unsupportedTerms {
                    warn("\(path): character set '\(term)' is not supported; its text is shown as Latin-1")
                }
                // As dcmdump warns: such a value reads, but PS3.5 asks for even lengths, and a
                // sender pads it (DCMTK's storescu, and ours).
                for (tag, length) in Self.oddLengthValues(in: file.dataSet) {
                    warn("\(path): the value of \(tag) has an odd length, \(length) bytes (PS3.5 §7.1.1 asks for even ones)")
                }
                // Read as what it is, as pydicom does; but PS3.10 §7.1 has the data set in the
                // declared syntax, and storescu refuses to send such a file.
                if let declared = file.fileMetaInformation.uid(.transferSyntaxUID), declared != file.transferSyntax.uid {
                    warn("\(path): its meta information names \(TransferSyntax(uid: declared)), but its data set is encoded in \(file.transferSyntax), as which it is shown (PS3.10 §7.1)")
                }
            }
            if let error {
                failed += 1
                warn("netdicom dump: cannot read \(path)\(file == nil ? "" : " past what is printed"): \(error)")
            }
        }
        if failed > 0 { throw ExitCode.failure }
    }

    /// The elements, items' included, whose value has an odd length, in the order they are
    /// printed.
    static func oddLengthValues(in dataSet: DataSet) -> [(Tag, Int)] {
        var found: [(Tag, Int)] = []
        for element in dataSet {
            switch element.value {
            case .bytes(let bytes) where bytes.readableBytes % 2 == 1:
                found.append((element.tag, bytes.readableBytes))
            case .sequence(let items):
                for item in items { found += oddLengthValues(in: item) }
            default:
                break
            }
        }
        return found
    }

    func warn(_ message: String) {
        guard !quiet else { return }
        Self.warn(message)
    }

    static func warn(_ message: String) {
        StandardStreams.error(message + "\n")
    }
}
