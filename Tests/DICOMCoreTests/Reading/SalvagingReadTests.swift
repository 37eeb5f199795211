import DICOMCore
import NIOCore
import Testing

/// `DataSetReader.readSalvaging`: a damaged data set read as far as it is well formed, with the
/// error that stopped it, for the dump of damaged files.
@Suite("Salvaging read")
struct SalvagingReadTests {
    typealias M = MalformedInputTests
    static let patientID = M.element(0x0010, 0x0020, "LO", length: 2, value: Array("ID".utf8))
    static let modality = M.element(0x0008, 0x0060, "CS", length: 2, value: Array("CT".utf8))

    static func read(_ bytes: [UInt8]) -> (DataSet, DICOMParsingError?) {
        DataSetReader.readSalvaging(ByteBuffer(bytes: bytes), transferSyntax: .explicitVRLittleEndian)
    }

    @Test("every corruption of the malformed-input table: the same error as a plain read, and no trap", arguments: MalformedInputTests.cases)
    func sameError(_ testCase: MalformedInputTests.Case) {
        let (_, error) = Self.read(testCase.bytes)
        #expect(error?.code == testCase.code && error?.offset == testCase.offset && error?.tag == testCase.tag)
    }

    @Test("a value running past the input: the elements before it, without it")
    func truncatedValue() {
        let (dataSet, error) = Self.read(M.patientName + Self.patientID + M.element(0x0010, 0x0030, "DA", length: 8, value: Array("2001".utf8)))
        #expect(error?.code == .valueLengthExceedsInput)
        #expect(dataSet.tags == [Tag(0x0010_0010), Tag(0x0010_0020)])
        #expect(dataSet.string(Tag(0x0010_0020)) == "ID")
    }

    @Test("an error inside the second item of a sequence: the first item whole, the second cut before the bad element")
    func cutInsideAnItem() throws {
        let first = M.item(length: UInt32(Self.modality.count)) + Self.modality
        let secondBody = Self.modality + M.element(0x0010, 0x0020, "LO", length: 40, value: Array("ID".utf8))
        let second = M.item(length: UInt32(secondBody.count)) + secondBody
        let sequence = M.element(0x0008, 0x1115, "SQ", length: UInt32(first.count + second.count)) + first + second
        let (dataSet, error) = Self.read(M.patientName + sequence + Self.patientID)
        #expect(error?.code == .valueLengthExceedsInput)
        #expect(error?.tag == Tag(0x0010_0020))
        #expect(dataSet.tags == [Tag(0x0010_0010), Tag(0x0008_1115)])
        let items = try #require(dataSet[Tag(0x0008_1115)]?.items)
        #expect(items.count == 2)
        #expect(items.map(\.tags) == [[Tag(0x0008_0060)], [Tag(0x0008_0060)]])
    }

    @Test("input cut inside a defined-length sequence: its first item whole, the second up to the cut, nested items too; the error is the sequence's length")
    func cutInsideADefinedLengthSequence() throws {
        let nested = M.element(0x0040, 0xA730, "SQ", length: UInt32(8 + Self.modality.count)) + M.item(length: UInt32(Self.modality.count)) + Self.modality
        let first = M.item(length: UInt32(nested.count)) + nested
        let secondBody = Self.modality + Self.patientID
        let second = M.item(length: UInt32(secondBody.count)) + secondBody
        let sequence = M.element(0x0008, 0x1115, "SQ", length: UInt32(first.count + second.count)) + first + second
        // Cut in the middle of the second item's PatientID.
        let bytes = Array((M.patientName + sequence + M.patientName).dropLast(M.patientName.count + 3))
        let (dataSet, error) = Self.read(bytes)
        #expect(error?.code == .valueLengthExceedsInput)
        #expect(error?.tag == Tag(0x0008_1115))
        #expect(dataSet.tags == [Tag(0x0010_0010), Tag(0x0008_1115)])
        let items = try #require(dataSet[Tag(0x0008_1115)]?.items)
        #expect(items.map(\.tags) == [[Tag(0x0040_A730)], [Tag(0x0008_0060)]])
        #expect(items.map(\.itemHasUndefinedLength) == [false, false], "items of defined length, the cut one too")
        #expect(items.first?[Tag(0x0040_A730)]?.items?.first?.string(Tag(0x0008_0060)) == "CT")
        // A sequence whose items end before its length does: every item, and the same error.
        let long = M.element(0x0008, 0x1115, "SQ", length: UInt32(first.count + 100)) + first
        let (whole, overrun) = Self.read(M.patientName + long)
        #expect(overrun?.code == .valueLengthExceedsInput && overrun?.tag == Tag(0x0008_1115))
        #expect(whole[Tag(0x0008_1115)]?.items?.map(\.tags) == [[Tag(0x0040_A730)]])
    }

    @Test("an undefined-length sequence that never ends: its items so far, nested ones too")
    func unendedSequence() throws {
        let inner = M.element(0x0040, 0xA730, "SQ", length: 0xFFFF_FFFF) + M.item(length: 0xFFFF_FFFF) + Self.modality + M.itemDelimiter
            + M.sequenceDelimiter
        let bytes = M.element(0x0008, 0x1115, "SQ", length: 0xFFFF_FFFF) + M.item(length: 0xFFFF_FFFF) + inner + M.itemDelimiter
            + M.item(length: 0xFFFF_FFFF) + M.patientName
        let (dataSet, error) = Self.read(bytes)
        #expect(error?.code == .missingDelimiter)
        let items = try #require(dataSet[Tag(0x0008_1115)]?.items)
        #expect(items.map(\.tags) == [[Tag(0x0040_A730)], [Tag(0x0010_0010)]])
        #expect(items.first?[Tag(0x0040_A730)]?.items?.first?.string(Tag(0x0008_0060)) == "CT")
    }

    @Test("a well-formed data set: no error, and what a plain read returns")
    func wellFormed() throws {
        let bytes = M.patientName + M.element(0x0008, 0x1115, "SQ", length: 0xFFFF_FFFF) + M.item(length: 0xFFFF_FFFF) + Self.modality
            + M.itemDelimiter + M.sequenceDelimiter + Self.patientID
        let (dataSet, error) = Self.read(bytes)
        #expect(error == nil)
        #expect(dataSet == (try DataSetReader.read(ByteBuffer(bytes: bytes), transferSyntax: .explicitVRLittleEndian)))
    }
}
