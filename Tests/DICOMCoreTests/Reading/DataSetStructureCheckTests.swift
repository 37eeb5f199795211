import DICOMCore
import Foundation
import NIOCore
import Testing
import TestSupport

/// ``DataSetStructureCheck``: the streaming verdict on a data set's structure agrees with what
/// ``DataSetReader`` makes of the same bytes, however they are cut into pieces.
@Suite("Data set structure check")
struct DataSetStructureCheckTests {
    /// A data set with what nests: an undefined-length sequence of undefined-length items (one
    /// holding another such sequence), a defined-length sequence, a UN of undefined length where
    /// the syntax allows it, and pixel data, native or encapsulated.
    static func nested(encapsulated: Bool, withUN: Bool) -> DataSet {
        var inner = DataSet()
        inner.setString("INNER", for: .codeValue, vr: .SH)
        var item = DataSet()
        item.setString("1.2.3.4", for: .referencedSOPInstanceUID, vr: .UI)
        item.insert(DataElement(tag: .purposeOfReferenceCodeSequence, items: [inner], hasUndefinedLength: true))
        var definedItem = DataSet()
        definedItem.setString("CODE", for: .codeMeaning, vr: .LO)
        definedItem.itemHasUndefinedLength = false

        var dataSet = DataSet()
        dataSet.setString("DOE^JOHN", for: .patientName, vr: .PN)
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.insert(DataElement(tag: .referencedImageSequence, items: [item, DataSet()], hasUndefinedLength: true))
        dataSet.insert(DataElement(tag: .procedureCodeSequence, items: [definedItem], hasUndefinedLength: false))
        if withUN {
            // A private element the dictionary does not know, holding items: UN of undefined length.
            dataSet.setString("NETDICOM TEST", for: Tag(0x0009_0010), vr: .LO)
            var privateItem = DataSet()
            privateItem.setString("X", for: .patientID, vr: .LO)
            dataSet.insert(DataElement(tag: Tag(0x0009_1001), vr: .UN, items: [privateItem], hasUndefinedLength: true))
        }
        if encapsulated {
            let fragments = EncapsulatedFragments(fragments: [ByteBuffer(repeating: 0xAB, count: 10), ByteBuffer(repeating: 0xCD, count: 6)])
            dataSet.insert(DataElement(tag: .pixelData, vr: .OB, fragments: fragments))
        } else {
            dataSet.insert(DataElement(tag: .pixelData, vr: .OW, bytes: ByteBuffer(repeating: 0x11, count: 32)))
        }
        return dataSet
    }

    static let encodings: [(name: String, syntax: TransferSyntax, encapsulated: Bool)] = [
        ("explicit VR little endian", .explicitVRLittleEndian, false),
        ("implicit VR little endian", .implicitVRLittleEndian, false),
        ("explicit VR big endian", .explicitVRBigEndian, false),
        ("JPEG baseline, encapsulated", TransferSyntax(uid: "1.2.840.10008.1.2.4.50"), true),
    ]

    /// The check's verdict on `bytes` handed over in pieces of `piece` bytes.
    static func verdict(_ bytes: ByteBuffer, _ syntax: TransferSyntax, piece: Int) -> DICOMParsingError? {
        var check = DataSetStructureCheck(transferSyntax: syntax)
        var rest = bytes
        while rest.readableBytes > 0, let slice = rest.readSlice(length: min(piece, rest.readableBytes)) {
            check.consume(slice)
        }
        #expect(check.offset == bytes.readableBytes, "every byte is counted, checked or not")
        return check.finish()
    }

    @Test("every prefix of a well-formed data set: the check fails exactly where the reader fails", arguments: encodings.indices)
    func prefixesAgreeWithTheReader(_ index: Int) throws {
        let (name, syntax, encapsulated) = Self.encodings[index]
        let encoded = try DataSetWriter.encode(Self.nested(encapsulated: encapsulated, withUN: !syntax.isBigEndian), transferSyntax: syntax)
        #expect(Self.verdict(encoded, syntax, piece: encoded.readableBytes) == nil, "\(name): the whole data set")
        var failures = 0
        for length in 0...encoded.readableBytes {
            let prefix = encoded.getSlice(at: encoded.readerIndex, length: length)!
            let readerFails = (try? DataSetReader.read(prefix, transferSyntax: syntax)) == nil
            for piece in [1, 7, max(length, 1)] {
                let error = Self.verdict(prefix, syntax, piece: piece)
                #expect((error != nil) == readerFails, "\(name): \(length) of \(encoded.readableBytes) bytes in pieces of \(piece): \(error.map(String.init(describing:)) ?? "accepted")")
            }
            if readerFails { failures += 1 }
        }
        // Most prefixes end inside something; the check must have refused them, not skipped them.
        #expect(failures > encoded.readableBytes / 2, "\(name): \(failures) prefixes refused")
    }

    @Test("a data set cut inside its pixel data names the element and how much is missing")
    func truncatedPixelData() throws {
        let encoded = try DataSetWriter.encode(Self.nested(encapsulated: false, withUN: false), transferSyntax: .explicitVRLittleEndian)
        let cut = encoded.getSlice(at: encoded.readerIndex, length: encoded.readableBytes - 20)!
        let error = try #require(Self.verdict(cut, .explicitVRLittleEndian, piece: 64))
        #expect(error.code == .valueLengthExceedsInput)
        #expect(error.tag == .pixelData)
        #expect(error.detail.contains("20 of its 32 bytes are missing"), "\(error)")
    }

    @Test("a length larger than everything that follows, and malformed headers, are refused")
    func malformed() {
        for test in MalformedInputTests.cases where !Self.insideDefinedLengthContainer.contains(test.name) {
            let bytes = ByteBuffer(bytes: test.bytes)
            let error = Self.verdict(bytes, .explicitVRLittleEndian, piece: 3)
            #expect(error != nil, "\(test.name)")
            #expect(error?.code == test.code, "\(test.name): \(error.map(String.init(describing:)) ?? "accepted")")
        }
    }

    /// Malformations inside a defined-length sequence or item: the check counts past those as
    /// values (it checks only that the container fits), so they are the reader's to find.
    static let insideDefinedLengthContainer: Set<String> = [
        "an element where an item should be",
        "an item longer than its sequence, whose element runs past the sequence",
        "an item element running past its item",
    ]

    @Test("a deflated data set is not checked: its structure exists only once inflated")
    func deflatedIsNotChecked() {
        var check = DataSetStructureCheck(transferSyntax: .deflatedExplicitVRLittleEndian)
        check.consume(ByteBuffer(bytes: [1, 2, 3]))
        #expect(check.finish() == nil)
        #expect(check.offset == 3)
    }

    @Test("pydicom's test files: the check passes every file DICOMFile reads and refuses every file it refuses",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pydicomFiles() throws {
        var agreed = 0
        for url in try PydicomTestFiles.all() {
            let readable = (try? DICOMFile(contentsOf: url.path)) != nil
            // A file whose header Part10FileSource cannot open is not sent either way.
            guard let source = try? Part10FileSource(path: url.path) else { continue }
            let checked: Bool
            do {
                try source.checkStructure()
                checked = true
            } catch {
                checked = false
            }
            #expect(checked == readable || source.transferSyntax.isDeflated, "\(url.lastPathComponent): DICOMFile \(readable ? "reads it" : "refuses it"), the check \(checked ? "passes" : "refuses")")
            agreed += 1
        }
        #expect(agreed >= 90, "\(agreed) files compared")
    }

    @Test("a Part 10 file of 300 encapsulated fragments: whole it passes, cut in a fragment's header, in its value or before the delimiter it is refused")
    func manyFragments() throws {
        let directory = try Part10TestDirectory()
        let syntax = TransferSyntax(uid: "1.2.840.10008.1.2.4.50")
        var dataSet = DataSet()
        dataSet.setString("1.2.840.10008.5.1.4.1.1.7", for: .sopClassUID, vr: .UI)
        dataSet.setString("1.2.3", for: .sopInstanceUID, vr: .UI)
        let fragments = (0..<300).map { ByteBuffer(repeating: UInt8(truncatingIfNeeded: $0), count: 1_000 + $0) }
        dataSet.insert(DataElement(tag: .pixelData, vr: .OB, fragments: EncapsulatedFragments(fragments: fragments)))
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: syntax)
        let path = try Part10FileSourceTests.writeFile(meta: meta, dataSet: dataSet, syntax: syntax, in: directory)
        try Part10FileSource(path: path).checkStructure()
        let whole = try Part10FileSourceTests.bytes(of: path)
        // 8 bytes of sequence delimiter end the file; the last fragment (1,299 bytes) before it.
        for cut in [4, 8, 9, 600, 1_299 + 8 + 8 + 3] {
            let truncated = try Part10FileSourceTests.write(whole.getSlice(at: 0, length: whole.readableBytes - cut)!, in: directory, name: "cut-\(cut).dcm")
            #expect(throws: DICOMParsingError.self, "cut \(cut)") { try Part10FileSource(path: truncated).checkStructure() }
        }
    }

    @Test("a Part 10 file: whole it passes, cut anywhere in its data set it is refused with its path", arguments: [false, true])
    func part10File(encapsulated: Bool) throws {
        let directory = try Part10TestDirectory()
        let syntax: TransferSyntax = encapsulated ? TransferSyntax(uid: "1.2.840.10008.1.2.4.50") : .explicitVRLittleEndian
        let meta = FileMetaInformation.make(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3", transferSyntax: syntax)
        let path = try Part10FileSourceTests.writeFile(meta: meta, dataSet: Self.nested(encapsulated: encapsulated, withUN: true), syntax: syntax, in: directory)
        try Part10FileSource(path: path).checkStructure()

        let whole = try Part10FileSourceTests.bytes(of: path)
        let dataSetOffset = try Part10FileSource(path: path).dataSetRange.lowerBound
        for cut in [1, 9, 30] {
            let truncated = try Part10FileSourceTests.write(whole.getSlice(at: 0, length: whole.readableBytes - cut)!, in: directory, name: "cut-\(cut).dcm")
            let source = try Part10FileSource(path: truncated)
            #expect(source.dataSetRange.lowerBound == dataSetOffset)
            let error = #expect(throws: DICOMParsingError.self) { try source.checkStructure() }
            #expect(error?.detail.contains(truncated) == true, "\(error.map(String.init(describing:)) ?? "")")
            #expect((error?.offset ?? 0) >= dataSetOffset, "offsets count from the start of the file")
        }
    }
}
