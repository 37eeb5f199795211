import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// `netdicom dump` as a program: exit status and standard error for files it cannot read, value
/// shortening and `--full`, nesting. Runs the binary SwiftPM built beside this test bundle.
@Suite("netdicom dump")
struct DumpCommandTests {
    /// Ways a file can be unreadable, with a word the error message must contain.
    enum Unreadable: String, CaseIterable, CustomTestStringConvertible {
        case missing, directory, notDICOM, empty, zeros

        var testDescription: String { rawValue }

        /// Makes the file (or not) and returns its path.
        func make(in files: borrowing SampleFiles) throws -> String {
            switch self {
            case .missing:
                return files.path("no-such-file.dcm")
            case .directory:
                return files.directory.path
            case .notDICOM:
                return try files.write(Array("This is a text file, not a DICOM file.\n".utf8), as: "text.dcm")
            case .empty:
                return try files.write([UInt8](), as: "empty.dcm")
            case .zeros:
                // Read as a bare data set, these made endless empty (0000,0000) elements.
                return try files.write([UInt8](repeating: 0, count: 4096), as: "zeros.dcm")
            }
        }

        /// What the error names.
        var reason: String {
            switch self {
            case .missing: "No such file"
            case .directory: "directory"
            case .notDICOM, .empty: "notPart10"
            case .zeros: "begins with zero bytes"
            }
        }
    }

    @Test("an unreadable file: exit status 1, the reason on standard error, nothing on standard output", arguments: Unreadable.allCases)
    func unreadable(_ kind: Unreadable) throws {
        let files = try SampleFiles()
        let path = try kind.make(in: files)
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "printed for an unreadable file: \(result.stdout.prefix(300))")
        #expect(result.stderr.contains("netdicom dump: cannot read \(path)"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(kind.reason), "stderr: \(result.stderr)")
    }

    /// SampleFiles.longValues() cut inside its last element's value: its header promises more
    /// than is left.
    static func truncated(in files: borrowing SampleFiles) throws -> (path: String, whole: DataSet) {
        let whole = try SampleFiles.longValues()
        let bytes = try DICOMFile(dataSet: whole, transferSyntax: .explicitVRLittleEndian).encoded()
        return (try files.write(bytes.readableBytesView.dropLast(20), as: "truncated.dcm"), whole)
    }

    @Test("a damaged file is printed as far as it reads (meta information, every element before the cut one), then the error; exit status 1")
    func truncated() throws {
        let files = try SampleFiles()
        let (path, whole) = try Self.truncated(in: files)
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("netdicom dump: cannot read \(path) past what is printed: valueLengthExceedsInput"), "stderr: \(result.stderr)")
        let printed = result.stdout.split(separator: "\n").filter { $0.hasPrefix("(") }.map { String($0.prefix(11)) }
        let expected = ["(0002,"] + whole.tags.dropLast().map { String(format: "(%04x,%04x)", $0.group, $0.element) }
        #expect(printed.contains { $0.hasPrefix("(0002,") }, "\(result.stdout)")
        #expect(printed.filter { !$0.hasPrefix("(0002,") } == Array(expected.dropFirst()), "\(result.stdout)")
    }

    @Test("a file cut inside a sequence's second item: both items printed, the second as far as it reads, nested items too, as dcmdump +E prints them")
    func cutInsideSequence() throws {
        let files = try SampleFiles()
        let bytes = try DICOMFile(dataSet: SampleFiles.nested(), transferSyntax: .explicitVRLittleEndian).encoded()
        // The Content Sequence comes last; the cut takes the delimiters that end it.
        let path = try files.write(bytes.readableBytesView.dropLast(10), as: "cut-in-sequence.dcm")
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("valueLengthExceedsInput"), "stderr: \(result.stderr)")
        let count = { (output: String, text: String) in output.components(separatedBy: text).count - 1 }
        #expect(count(result.stdout, "[LEVEL1]") == 2, "\(result.stdout)")
        #expect(count(result.stdout, "[LEVEL2]") == 2, "\(result.stdout)")
        #expect(count(result.stdout, "[LEVEL3]") == 4, "\(result.stdout)")
        let dcmdump = try ExternalTools.run(ExternalTools.require("dcmdump"), ["+E", path])
        for level in ["[LEVEL1]", "[LEVEL2]", "[LEVEL3]"] {
            #expect(count(result.stdout, level) == count(dcmdump.stdout, level), "\(level): ours\n\(result.stdout)\ndcmdump\n\(dcmdump.stdout)")
        }
    }

    @Test("-q: the damaged file is printed as far as it reads, nothing goes to standard error, the exit status is still 1")
    func quietTruncated() throws {
        let files = try SampleFiles()
        let (path, _) = try Self.truncated(in: files)
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "-q", path])
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("(0002,0010)"))
    }

    @Test("a good file after a damaged one is still printed, and the exit status says one failed")
    func goodAndBad() throws {
        let files = try SampleFiles()
        let (bad, _) = try Self.truncated(in: files)
        let good = try files.write(SampleFiles.nested(), as: "good.dcm")
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", bad, good])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read \(bad)"))
        #expect(!result.stderr.contains(good))
        #expect(result.stdout.contains("# File: \(good)"))
        #expect(result.stdout.contains("[NESTED^TEST]"))
    }

    @Test("long values are shortened to 70 columns, --full prints them whole, --max-length changes the limit")
    func shortening() throws {
        let files = try SampleFiles()
        let path = try files.write(SampleFiles.longValues(), as: "long.dcm")
        let short = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        let full = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "--full", path])
        let narrow = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "--max-length", "20", path])
        try #require(short.status == 0 && full.status == 0 && narrow.status == 0, "\(short.stderr)\(full.stderr)\(narrow.stderr)")

        let text = "[" + String(repeating: "0123456789", count: 20) + "]"
        let bytes = (0..<100).map { String(format: "%02x", $0) }.joined(separator: "\\")
        let words = (0..<50).map { String(format: "%04x", 0x1000 + $0) }.joined(separator: "\\")
        let numbers = (1000...1040).map(String.init).joined(separator: "\\")
        let values = [("0040,a160", text), ("0028,2000", bytes), ("0028,1201", words), ("0018,1310", numbers)]

        let shortLines = lines(short.stdout)
        let fullLines = lines(full.stdout)
        let narrowLines = lines(narrow.stdout)
        for (tag, whole) in values {
            let shortened = try #require(shortLines[tag]?.value, "(\(tag)) missing from:\n\(short.stdout)")
            #expect(shortened.hasSuffix("...") && shortened.count <= 70 && shortened.count >= 64, "(\(tag)) \(shortened)")
            #expect(whole.hasPrefix(shortened.dropLast(3)), "(\(tag)) \(shortened) is not the start of the value")
            #expect(fullLines[tag]?.value == whole, "(\(tag)) --full: \(fullLines[tag]?.value ?? "missing")")
            let narrowed = try #require(narrowLines[tag]?.value)
            #expect(narrowed.count <= 20 && narrowed.hasSuffix("..."), "(\(tag)) --max-length 20: \(narrowed)")
        }
        // The multiplicity counts every value, shortened or not.
        #expect(shortLines["0008,0008"]?.multiplicity == 30)
        #expect(shortLines["0008,1160"]?.multiplicity == 40)
    }

    @Test("a value of odd length is printed and warned about, as dcmdump warns; the exit status stays 0")
    func oddLengthWarning() throws {
        let files = try SampleFiles()
        var item = DataSet()
        item[.codeValue] = DataElement(tag: .codeValue, vr: .SH, bytes: ByteBuffer(string: "ABC"))
        var dataSet = DataSet()
        dataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh"))
        dataSet[.patientID] = DataElement(tag: .patientID, vr: .LO, bytes: ByteBuffer(string: "ID"))
        dataSet.insert(DataElement(tag: .procedureCodeSequence, items: [item]))
        let path = try files.write(dataSet, as: "odd.dcm")
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("[Doe^Joh]"), "\(result.stdout)")
        #expect(result.stderr.contains("the value of (0008,0100) has an odd length, 3 bytes"), "\(result.stderr)")
        #expect(result.stderr.contains("the value of (0010,0010) has an odd length, 7 bytes"), "\(result.stderr)")
        #expect(!result.stderr.contains("(0010,0020)"), "\(result.stderr)")
        let quiet = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "-q", path])
        #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test("a data set in another syntax than its meta information names is shown as what it is, with a warning; the exit status stays 0")
    func syntaxMismatchWarning() throws {
        let files = try SampleFiles()
        var dataSet = DataSet()
        dataSet.setString(UID.secondaryCaptureImageStorage.string, for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3.4", for: .sopInstanceUID, vr: .UI)
        dataSet.setString("Doe^Jane", for: .patientName, vr: .PN)
        let meta = FileMetaInformation.make(sopClassUID: .secondaryCaptureImageStorage, sopInstanceUID: UID("1.2.3.4"), transferSyntax: .explicitVRLittleEndian)
        var bytes = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        bytes += Array(try DataSetWriter.encode(meta, transferSyntax: .explicitVRLittleEndian).readableBytesView)
        bytes += Array(try DataSetWriter.encode(dataSet, transferSyntax: .implicitVRLittleEndian).readableBytesView)
        let path = try files.write(bytes, as: "mismatch.dcm")
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("# Data set, Implicit VR Little Endian") && result.stdout.contains("[Doe^Jane]"), "\(result.stdout)")
        #expect(result.stderr.contains("its meta information names Explicit VR Little Endian (1.2.840.10008.1.2.1), but its data set is encoded in Implicit VR Little Endian (1.2.840.10008.1.2)"), "\(result.stderr)")
    }

    @Test("--max-length below 0 is refused as a usage error, before any file is read")
    func negativeMaximumLength() throws {
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "--max-length=-9223372036854775806", "/nonexistent.dcm"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--max-length must be 0 or more"), "\(result.stderr)")
    }

    @Test("shortened and whole values print as dcmdump prints them", .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "dcmdump")))
    func valuesAsDCMTK() throws {
        let files = try SampleFiles()
        let path = try files.write(SampleFiles.longValues(), as: "long.dcm")
        for (ourFlags, theirFlags) in [([String](), [String]()), (["--full"], ["+L"])] {
            let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump"] + ourFlags + [path])
            let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), theirFlags + [path])
            try #require(ours.status == 0 && theirs.status == 0, "\(ours.stderr)\(theirs.stderr)")
            let mine = DumpListing.lines(ours.stdout, dataSetOnly: true)
            let dcmtk = DumpListing.lines(theirs.stdout, dataSetOnly: true)
            try #require(mine.count == dcmtk.count && mine.count == 8, "\(mine.count) lines, dcmdump \(dcmtk.count)")
            for (line, reference) in zip(mine, dcmtk) {
                #expect(line == reference, "\(ourFlags):\n  netdicom \(line)\n  dcmdump  \(reference)")
            }
        }
    }

    @Test("+P (several, by tag or keyword), -s and -L print what dcmdump prints: each element of a searched tag, in items too, a sequence with its items",
          .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "dcmdump")))
    func searchAsDCMTK() throws {
        let files = try SampleFiles()
        let path = try files.write(SampleFiles.nested(), as: "nested.dcm")
        for flags in [["+P", "0008,0100"], ["-s", "+P", "0008,0100"], ["+P", "0040,a730", "+P", "0010,0010"], ["-L", "+P", "0008,1160"]] {
            let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump"] + flags.map { $0 == "0010,0010" ? "PatientName" : $0 } + [path])
            let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), flags + [path])
            try #require(ours.status == 0 && theirs.status == 0, "\(ours.stderr)\(theirs.stderr)")
            // dcmdump prints delimitation items after every item and sequence; we print them
            // only where the encoding has them (see DumpPrinter).
            let dcmtk = theirs.stdout.split(separator: "\n").filter { !$0.contains("fffe,e00d") && !$0.contains("fffe,e0dd") }
            let mine = ours.stdout.split(separator: "\n").filter { !$0.contains("fffe,e00d") && !$0.contains("fffe,e0dd") }
            #expect(!mine.isEmpty && mine == dcmtk, "\(flags):\nnetdicom:\n\(ours.stdout)\ndcmdump:\n\(theirs.stdout)")
        }
    }

    @Test("items indent two spaces under their sequence, elements two more, the comment follows the indentation",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian])
    func nesting(_ syntax: TransferSyntax) throws {
        let files = try SampleFiles()
        let path = try files.write(SampleFiles.nested(), as: "nested.dcm", syntax: syntax)
        let result = try ExternalTools.run(ExternalTools.netdicom(), ["dump", "--no-meta", path])
        try #require(result.status == 0, "\(result.stderr)")
        let raw = result.stdout.split(separator: "\n").filter { $0.contains("(") && !$0.hasPrefix("#") }
        let expected: [(depth: Int, tag: String)] = [
            (0, "0008,0016"), (0, "0008,0018"), (0, "0010,0010"), (0, "0028,0100"), (0, "0040,a730"),
        ] + Array(repeating: [
            (1, "fffe,e000"), (2, "0008,0100"), (2, "0040,a043"),
            (3, "fffe,e000"), (4, "0008,0100"), (4, "0040,a168"),
            (5, "fffe,e000"), (6, "0008,0100"), (6, "0008,1160"),
            (5, "fffe,e000"), (6, "0008,0100"), (6, "0008,1160"),
            (3, "fffe,e00d"), (2, "fffe,e0dd"),
        ], count: 2).flatMap { $0 }
        try #require(raw.count == expected.count, "\(raw.count) lines:\n\(result.stdout)")
        for (line, (depth, tag)) in zip(raw, expected) {
            let indent = line.prefix { $0 == " " }.count
            #expect(indent == 2 * depth && line.dropFirst(indent).hasPrefix("(\(tag))"), "expected (\(tag)) at depth \(depth): \(line)")
            // Short values leave the comment at column 56 after the indentation, as in dcmdump.
            if let hash = line.range(of: "# ", options: .backwards)?.lowerBound, line.distance(from: line.startIndex, to: hash) <= 56 + indent {
                #expect(line.distance(from: line.startIndex, to: hash) == 56 + indent, "comment misplaced: \(line)")
            }
        }
    }

    @Test("sequence and item lengths, explicit or undefined, are the ones dcmdump reads",
          .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "dcmdump")),
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian])
    func nestedLengthsAsDCMTK(_ syntax: TransferSyntax) throws {
        let files = try SampleFiles()
        let path = try files.write(SampleFiles.nested(), as: "nested.dcm", syntax: syntax)
        let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), [path])
        try #require(ours.status == 0 && theirs.status == 0, "\(ours.stderr)\(theirs.stderr)")
        let mine = DumpListing.lines(ours.stdout, dataSetOnly: true)
        let dcmtk = DumpListing.lines(theirs.stdout, dataSetOnly: true)
        try #require(mine.count == dcmtk.count, "\(mine.count) lines, dcmdump \(dcmtk.count)\n\(ours.stdout)\n\(theirs.stdout)")
        #expect(mine.contains { $0.tag == "fffe,e000" && $0.length != "u/l" } && mine.contains { $0.vr == "SQ" && $0.length != "u/l" })
        for (line, reference) in zip(mine, dcmtk) {
            #expect([line.depth, line.multiplicity] == [reference.depth, reference.multiplicity]
                        && [line.tag, line.vr, line.length] == [reference.tag, reference.vr, reference.length],
                    "\(syntax):\n  netdicom \(line)\n  dcmdump  \(reference)")
        }
    }

    @Test("an item longer than its sequence (pydicom's DICOMDIR-nooffset) is read to the sequence's end: every record, as dcmdump lists them",
          .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "dcmdump")), .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func itemLongerThanItsSequence() throws {
        let python = try ExternalTools.require("python")
        let located = try ExternalTools.run(python, ["-c", "import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files', 'dicomdirtests', 'DICOMDIR-nooffset'))"])
        let path = located.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let ours = try ExternalTools.run(ExternalTools.netdicom(), ["dump", path])
        let theirs = try ExternalTools.run(ExternalTools.require("dcmdump"), [path])
        #expect(ours.status == 0, "\(ours.stderr)")
        try #require(theirs.status == 0, "\(theirs.stderr)")
        // dcmdump adds delimitation items "for re-encoding", and calls some UL offsets "up".
        let delimiters: Set<String> = ["fffe,e00d", "fffe,e0dd"]
        let mine = DumpListing.lines(ours.stdout, dataSetOnly: true).map { "\($0.depth) \($0.tag)" }
        let dcmtk = DumpListing.lines(theirs.stdout, dataSetOnly: true).filter { !delimiters.contains($0.tag) }.map { "\($0.depth) \($0.tag)" }
        #expect(mine.filter { $0.hasSuffix("fffe,e000") }.count == 52, "\(ours.stdout)")
        #expect(mine == dcmtk, "\(ours.stdout)\n\(theirs.stdout)")
    }

    /// The lines of a listing by tag (the first line of each tag).
    private func lines(_ output: String) -> [String: DumpLine] {
        var byTag: [String: DumpLine] = [:]
        for line in DumpListing.lines(output) where byTag[line.tag] == nil {
            byTag[line.tag] = line
        }
        return byTag
    }
}
