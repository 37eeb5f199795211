import DICOMCore
import NIOCore
import Testing

/// Hand-made corruptions: each must end in the `DICOMParsingError` that names it, with the offset
/// and tag where it was found, and never in a trap.
@Suite("Malformed input")
struct MalformedInputTests {
    /// Explicit VR Little Endian element bytes.
    static func element(_ group: UInt16, _ element: UInt16, _ vr: String, length: UInt32, value: [UInt8] = []) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(group, element, endianness: .little)
        buffer.writeString(vr)
        if ["OB", "OW", "SQ", "UN", "UT", "UC", "UR", "OD", "OF", "OL", "OV", "SV", "UV"].contains(vr) {
            buffer.writeInteger(UInt16(0))
            buffer.writeInteger(length, endianness: .little)
        } else {
            buffer.writeInteger(UInt16(truncatingIfNeeded: length), endianness: .little)
        }
        buffer.writeBytes(value)
        return Array(buffer.readableBytesView)
    }

    static func item(length: UInt32) -> [UInt8] { [0xFE, 0xFF, 0x00, 0xE0] + le32(length) }
    static let itemDelimiter: [UInt8] = [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]
    static let sequenceDelimiter: [UInt8] = [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static let patientName: [UInt8] = element(0x0010, 0x0010, "PN", length: 4, value: Array("DOE^".utf8))

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: DICOMParsingError.Code
        var offset: Int
        var tag: DICOMCore.Tag?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "five stray bytes after the last element", bytes: patientName + [1, 2, 3, 4, 5],
             code: .trailingBytes, offset: 12, tag: nil),
        Case(name: "value length past the end of the input",
             bytes: element(0x0010, 0x0020, "LO", length: 40, value: Array("ID".utf8)),
             code: .valueLengthExceedsInput, offset: 0, tag: Tag(0x0010_0020)),
        Case(name: "a 16-bit length of FFFFH on a US element runs past the input",
             bytes: [0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0],
             code: .valueLengthExceedsInput, offset: 0, tag: Tag(0x0028_0010)),
        Case(name: "undefined length on an OF element", bytes: element(0x7FE0, 0x0008, "OF", length: 0xFFFF_FFFF),
             code: .undefinedLengthNotAllowed, offset: 0, tag: Tag(0x7FE0_0008)),
        Case(name: "VR bytes that name no VR", bytes: element(0x0010, 0x0010, "ZZ", length: 2, value: [0x41, 0x20]),
             code: .unknownVR, offset: 4, tag: Tag(0x0010_0010)),
        Case(name: "an item delimiter where an element should be", bytes: patientName + itemDelimiter,
             code: .unexpectedDelimiter, offset: 12, tag: .itemDelimitationItem),
        Case(name: "a sequence of undefined length that never ends",
             bytes: element(0x0008, 0x1115, "SQ", length: 0xFFFF_FFFF) + item(length: 0xFFFF_FFFF) + patientName + itemDelimiter,
             code: .missingDelimiter, offset: 40, tag: Tag(0x0008_1115)),
        Case(name: "an element where an item should be",
             bytes: element(0x0008, 0x1115, "SQ", length: 12) + patientName,
             code: .itemExpected, offset: 12, tag: Tag(0x0008_1115)),
        Case(name: "an item longer than its sequence, whose element runs past the sequence",
             bytes: element(0x0008, 0x1115, "SQ", length: 16) + item(length: 100) + patientName,
             code: .valueLengthExceedsInput, offset: 20, tag: Tag(0x0010_0010)),
        Case(name: "an item element running past its item",
             bytes: element(0x0008, 0x1115, "SQ", length: 18) + item(length: 10) + patientName,
             code: .valueLengthExceedsInput, offset: 20, tag: Tag(0x0010_0010)),
        Case(name: "encapsulated pixel data without a sequence delimiter",
             bytes: element(0x7FE0, 0x0010, "OB", length: 0xFFFF_FFFF) + item(length: 0) + item(length: 2) + [1, 2],
             code: .missingDelimiter, offset: 30, tag: Tag(0x7FE0_0010)),
        Case(name: "a fragment longer than the input",
             bytes: element(0x7FE0, 0x0010, "OB", length: 0xFFFF_FFFF) + item(length: 0) + item(length: 1000) + [1, 2],
             code: .valueLengthExceedsInput, offset: 20, tag: Tag(0x7FE0_0010)),
    ]

    @Test("each corruption raises its own error, at its offset, naming its tag", arguments: cases)
    func corruption(_ testCase: Case) {
        #expect {
            _ = try DataSetReader.read(ByteBuffer(bytes: testCase.bytes), transferSyntax: .explicitVRLittleEndian)
        } throws: { error in
            guard let error = error as? DICOMParsingError else { return false }
            return error.code == testCase.code && error.offset == testCase.offset && error.tag == testCase.tag
        }
    }

    @Test("an item longer than its sequence is read to the sequence's end, as DCMTK and pydicom read it")
    func itemLongerThanItsSequence() throws {
        let bytes = Self.element(0x0008, 0x1115, "SQ", length: 20) + Self.item(length: 100) + Self.patientName
            + Self.element(0x0010, 0x0020, "LO", length: 2, value: Array("ID".utf8))
        let dataSet = try DataSetReader.read(ByteBuffer(bytes: bytes), transferSyntax: .explicitVRLittleEndian)
        let items = try #require(dataSet[Tag(0x0008_1115)]?.items)
        #expect(items.count == 1)
        #expect(items.first?.string(.patientName) == "DOE^")
        // The element after the sequence is read where the sequence ends, not where the item said.
        #expect(dataSet.string(.patientID) == "ID")
    }

    @Test("sequences nested past the limit are refused, and up to it are read")
    func nestingLimit() throws {
        func nested(_ depth: Int) -> [UInt8] {
            var bytes = Self.patientName
            for _ in 0..<depth {
                bytes = Self.element(0x0008, 0x1115, "SQ", length: 0xFFFF_FFFF) + Self.item(length: 0xFFFF_FFFF)
                    + bytes + Self.itemDelimiter + Self.sequenceDelimiter
            }
            return bytes
        }
        let limits = DataSetReader.Limits(maximumNestingDepth: 8)
        let accepted = try DataSetReader.read(ByteBuffer(bytes: nested(8)), transferSyntax: .explicitVRLittleEndian, limits: limits)
        #expect(accepted.count == 1)
        #expect {
            _ = try DataSetReader.read(ByteBuffer(bytes: nested(9)), transferSyntax: .explicitVRLittleEndian, limits: limits)
        } throws: { ($0 as? DICOMParsingError)?.code == .nestingTooDeep }
        // The default limit, 256, reads what DCMTK reads (deep SR trees), and the data set
        // encodes again: neither recursion runs out of stack there.
        let deep = try DataSetReader.read(ByteBuffer(bytes: nested(256)), transferSyntax: .explicitVRLittleEndian)
        #expect(try DataSetWriter.encode(deep, transferSyntax: .explicitVRLittleEndian).readableBytes > 256 * 16)
        #expect {
            _ = try DataSetReader.read(ByteBuffer(bytes: nested(257)), transferSyntax: .explicitVRLittleEndian)
        } throws: { ($0 as? DICOMParsingError)?.code == .nestingTooDeep }
        // The default limit stops a hostile 10,000-deep nesting without exhausting the stack.
        #expect {
            _ = try DataSetReader.read(ByteBuffer(bytes: nested(10_000)), transferSyntax: .explicitVRLittleEndian)
        } throws: { ($0 as? DICOMParsingError)?.code == .nestingTooDeep }
    }

    @Test("deflated input that does not inflate")
    func badDeflate() {
        #expect {
            _ = try DataSetReader.read(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x11]), transferSyntax: .deflatedExplicitVRLittleEndian)
        } throws: { ($0 as? DICOMParsingError)?.code == .deflateFailed }
    }

    @Test("a missing file")
    func missingFile() {
        #expect {
            _ = try DICOMFile(contentsOf: "/nonexistent/netdicom-test.dcm")
        } throws: { ($0 as? DICOMParsingError)?.code == .fileUnreadable }
    }

    @Test("a file that is not DICOM")
    func notDICOM() {
        #expect {
            _ = try DICOMFile(reading: ByteBuffer(string: "{\"this\": \"is JSON, not DICOM\"}"))
        } throws: { ($0 as? DICOMParsingError)?.code == .notPart10 }
    }

    @Test("every truncation of a real file fails cleanly or reads a prefix of its elements")
    func everyTruncation() throws {
        var dataSet = DataSet()
        dataSet.setString("DOE^JOHN", for: Tag(0x0010_0010), vr: .PN)
        dataSet.setString("1.2.3.4", for: Tag(0x0008_0018), vr: .UI)
        var inner = DataSet()
        inner.setString("CT", for: Tag(0x0008_0060), vr: .CS)
        inner.itemHasUndefinedLength = false
        dataSet[Tag(0x0008_1115)] = DataElement(tag: Tag(0x0008_1115), items: [inner, DataSet()], hasUndefinedLength: true)
        dataSet[Tag(0x7FE0_0010)] = DataElement(tag: Tag(0x7FE0_0010), fragments: EncapsulatedFragments(fragments: [ByteBuffer(bytes: [1, 2, 3, 4])]))
        let file = DICOMFile(dataSet: dataSet, transferSyntax: .jpegBaseline8Bit)
        let bytes = try file.encoded()
        #expect(try DICOMFile(reading: bytes).dataSet == dataSet)
        var failures = 0
        for length in 0..<bytes.readableBytes {
            do {
                let partial = try DICOMFile(reading: bytes.getSlice(at: 0, length: length)!)
                // Only a cut between two top-level elements reads at all.
                #expect(partial.dataSet.count < dataSet.count || partial.fileMetaInformation.count < file.fileMetaInformation.count)
            } catch {
                failures += 1  // typed throws: always a DICOMParsingError
            }
        }
        #expect(failures > bytes.readableBytes / 2)
    }
}
