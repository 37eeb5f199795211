@testable import DICOMCore
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
        dataSet.setString("1.2.3", for: .sopInstanceUID, vr: .UI)
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

    @Test("a length larger than everything that follows, and malformed headers, are refused, inside defined-length sequences and items too")
    func malformed() {
        for test in MalformedInputTests.cases {
            let bytes = ByteBuffer(bytes: test.bytes)
            let error = Self.verdict(bytes, .explicitVRLittleEndian, piece: 3)
            #expect(error != nil, "\(test.name)")
            #expect(error?.code == test.code, "\(test.name): \(error.map(String.init(describing:)) ?? "accepted")")
        }
    }

    /// A defined-length sequence in Explicit VR Little Endian holding `items`, each of defined
    /// length, after a patient name.
    static func definedSequence(_ items: [[UInt8]], sequenceLength: Int? = nil) -> [UInt8] {
        var body: [UInt8] = []
        for item in items {
            body += [0xFE, 0xFF, 0x00, 0xE0]
            body += le32(item.count)
            body += item
        }
        var bytes = element(0x0010, 0x0010, "PN", [UInt8]("DOE^JOHN".utf8))
        bytes += [0x08, 0x00, 0x40, 0x11, 0x53, 0x51, 0, 0]  // (0008,1140) SQ
        bytes += le32(sequenceLength ?? body.count)
        return bytes + body
    }

    /// A defined-length sequence whose one item claims 40 bytes more than the sequence has,
    /// then an element after the sequence.
    static func itemLongerThanItsSequence(_ content: [UInt8]) -> [UInt8] {
        var bytes = definedSequence([content])
        let itemLength = bytes.count - content.count - 4
        bytes.replaceSubrange(itemLength..<(itemLength + 4), with: le32(content.count + 40))
        return bytes + element(0x0010, 0x0020, "LO", [UInt8]("ID".utf8))
    }

    static func le32(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)]
    }

    static func element(_ group: UInt16, _ number: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
        [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(number & 0xFF), UInt8(number >> 8)] + Array(vr.utf8)
            + [UInt8(value.count & 0xFF), UInt8(value.count >> 8)] + value
    }

    @Test("damage inside a defined-length sequence's items is found where the reader finds it, in Explicit and Implicit VR")
    func insideDefinedLengthItems() throws {
        let good = Self.element(0x0008, 0x0100, "SH", [UInt8]("CODE".utf8))
        let cases: [(name: String, bytes: [UInt8], code: DICOMParsingError.Code?)] = [
            ("whole", Self.definedSequence([good, good]), nil),
            ("an empty item, an empty sequence", Self.definedSequence([[]]) + Self.definedSequence([]), nil),
            ("an unknown VR in an item", Self.definedSequence([good, [0x08, 0x00, 0x00, 0x01, 0x51, 0x51, 2, 0, 0x41, 0x41]]), .unknownVR),
            ("an element running past its item", Self.definedSequence([Array(good.dropLast(2))]), .valueLengthExceedsInput),
            ("a header cut by its item's end", Self.definedSequence([good + [0x08, 0x00]]), .truncatedElementHeader),
            ("an item delimiter in an item of defined length", Self.definedSequence([good + [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]]), .unexpectedDelimiter),
            ("a sequence delimiter in a sequence of defined length",
             Self.definedSequence([good], sequenceLength: 8 + good.count + 8) + [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0], .itemExpected),
            ("an item longer than its sequence, read to the sequence's end", Self.itemLongerThanItsSequence(good), nil),
        ]
        for test in cases {
            let bytes = ByteBuffer(bytes: test.bytes)
            let readerError: DICOMParsingError?
            do {
                _ = try DataSetReader.read(bytes, transferSyntax: .explicitVRLittleEndian)
                readerError = nil
            } catch {
                readerError = error
            }
            #expect(readerError?.code == test.code, "\(test.name): the reader says \(readerError.map(String.init(describing:)) ?? "whole")")
            for piece in [1, 5, test.bytes.count] {
                let error = Self.verdict(bytes, .explicitVRLittleEndian, piece: piece)
                #expect(error?.code == test.code, "\(test.name), pieces of \(piece): \(error.map(String.init(describing:)) ?? "accepted")")
            }
        }

        // Implicit VR: the dictionary makes (0008,1140) a sequence, so its defined-length items
        // are followed; a private element of defined length is counted past, as its value.
        var item = DataSet()
        item.setString("1.2.3", for: .referencedSOPInstanceUID, vr: .UI)
        item.itemHasUndefinedLength = false
        var dataSet = DataSet()
        dataSet.insert(DataElement(tag: .referencedImageSequence, items: [item], hasUndefinedLength: false))
        var encoded = try DataSetWriter.encode(dataSet, transferSyntax: .implicitVRLittleEndian)
        #expect(Self.verdict(encoded, .implicitVRLittleEndian, piece: 2) == nil)
        // The item's element says 200 bytes: past its item and its sequence.
        encoded.setInteger(UInt32(200), at: encoded.readerIndex + 8 + 8 + 4, endianness: .little)
        #expect(Self.verdict(encoded, .implicitVRLittleEndian, piece: 2)?.code == .valueLengthExceedsInput)
        #expect(throws: DICOMParsingError.self) { try DataSetReader.read(encoded, transferSyntax: .implicitVRLittleEndian) }
    }

    @Test("a value of odd length is reported (the first one), and the data set passes")
    func oddLengths() {
        var check = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian)
        check.consume(ByteBuffer(bytes: Self.element(0x0008, 0x0060, "CS", [UInt8]("CT".utf8))
            + Self.element(0x0010, 0x0010, "PN", [UInt8]("Doe^Joh".utf8)) + Self.element(0x0010, 0x0020, "LO", [UInt8]("ABC".utf8))))
        #expect(check.finish() == nil)
        #expect(check.oddLengthTag == .patientName)

        var even = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian)
        even.consume(ByteBuffer(bytes: Self.definedSequence([Self.element(0x0008, 0x0100, "SH", [UInt8]("CODE".utf8))])))
        #expect(even.finish() == nil)
        #expect(even.oddLengthTag == nil)
    }

    @Test("a deflated data set is inflated as it comes and its structure checked: whole in any pieces it passes, cut or damaged it is refused")
    func deflated() throws {
        let syntax = TransferSyntax.deflatedExplicitVRLittleEndian
        let encoded = try DataSetWriter.encode(Self.nested(encapsulated: false, withUN: true), transferSyntax: syntax)
        for piece in [1, 3, 100, encoded.readableBytes] {
            #expect(Self.verdict(encoded, syntax, piece: piece) == nil, "pieces of \(piece)")
        }
        // Cut anywhere but in the padding byte: the stream does not end.
        for cut in [1, 2, 5, encoded.readableBytes / 2, encoded.readableBytes - 1] where cut > 1 || encoded.readableBytes % 2 == 1 {
            let prefix = encoded.getSlice(at: encoded.readerIndex, length: encoded.readableBytes - cut)!
            #expect(Self.verdict(prefix, syntax, piece: 7)?.code == .deflateFailed, "cut \(cut)")
            #expect(throws: DICOMParsingError.self, "cut \(cut)") { try DataSetReader.read(prefix, transferSyntax: syntax) }
        }
        // Not a deflate stream: the bytes of an Explicit VR data set labelled deflated.
        let plain = try DataSetWriter.encode(Self.nested(encapsulated: false, withUN: true), transferSyntax: .explicitVRLittleEndian)
        #expect(Self.verdict(plain, syntax, piece: 16)?.code == .deflateFailed)
        #expect(throws: DICOMParsingError.self) { try DataSetReader.read(plain, transferSyntax: syntax) }
        // A deflate stream of a damaged data set: the inflated bytes' error.
        var damaged = try DataSetWriter.encode(Self.nested(encapsulated: false, withUN: true), transferSyntax: .explicitVRLittleEndian)
        damaged.setBytes(Array("QQ".utf8), at: damaged.readerIndex + 4)
        let deflatedDamage = try Self.deflate(damaged)
        #expect(Self.verdict(deflatedDamage, syntax, piece: 5)?.code == .unknownVR)
    }

    /// Raw deflate of `bytes`, as the writer deflates a data set.
    static func deflate(_ bytes: ByteBuffer) throws -> ByteBuffer {
        try Deflate.deflate(bytes)
    }

    @Test("pydicom's test files: the check passes every file DICOMFile reads and refuses every file it refuses",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pydicomFiles() throws {
        var agreed = 0
        for url in try PydicomTestFiles.all() {
            let readable = (try? DICOMFile(contentsOf: url.path)) != nil
            // A file whose header Part10FileSource cannot open (or whose data set lacks its SOP
            // Class or Instance UID) is not sent either way.
            guard let source = try? Part10FileSource(path: url.path) else { continue }
            let checked: Bool
            do {
                try source.checkStructure()
                checked = true
            } catch {
                checked = false
            }
            #expect(checked == readable, "\(url.lastPathComponent): DICOMFile \(readable ? "reads it" : "refuses it"), the check \(checked ? "passes" : "refuses")")
            agreed += 1
        }
        #expect(agreed >= 80, "\(agreed) files compared")
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
