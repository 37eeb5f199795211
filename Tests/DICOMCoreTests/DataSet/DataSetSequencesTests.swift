import DICOMCore
import NIOCore
import Testing

@Suite("DataSet sequence accessors (PS3.5 §7.5)")
struct DataSetSequencesTests {
    static let sequenceTag = Tag(0x0008_1115)
    static let innerSequenceTag = Tag(0x0008_114A)
    static let uidTag = Tag(0x0008_1155)

    static func item(_ uid: String) -> DataSet {
        var item = DataSet()
        item.setString(uid, for: uidTag, vr: .UI)
        return item
    }

    @Test("setSequence(_:for:) stores an SQ element whose items read back")
    func setAndRead() throws {
        var dataSet = DataSet()
        dataSet.setSequence([Self.item("1.2.3"), Self.item("1.2.4")], for: Self.sequenceTag)
        let element = try #require(dataSet[Self.sequenceTag])
        #expect(element.vr == .SQ)
        #expect(element.hasUndefinedLength)
        let items = try #require(dataSet.sequence(Self.sequenceTag))
        #expect(items.map { $0.uid(Self.uidTag) } == ["1.2.3", "1.2.4"])

        dataSet.setSequence([], for: Self.sequenceTag, hasUndefinedLength: false)
        #expect(dataSet[Self.sequenceTag]?.hasUndefinedLength == false)
        #expect(dataSet.sequence(Self.sequenceTag)?.isEmpty == true)
    }

    @Test("Absent elements and byte values are not sequences")
    func notSequences() {
        var dataSet = DataSet()
        #expect(dataSet.sequence(Self.sequenceTag) == nil)
        dataSet.setString("1.2", for: Self.sequenceTag, vr: .UI)
        #expect(dataSet.sequence(Self.sequenceTag) == nil)
    }

    @Test("Items inherit the container's character set")
    func characterSetInheritance() throws {
        var dataSet = DataSet()
        dataSet.setString("ISO_IR 192", for: Tag(0x0008_0005), vr: .CS)
        dataSet.setSequence([Self.item("1.2")], for: Self.sequenceTag)
        let item = try #require(dataSet.sequence(Self.sequenceTag)?.first)
        #expect(item.inheritedCharacterSet == dataSet.specificCharacterSet)
    }

    @Test("Nested sequences survive encoding in every uncompressed transfer syntax", arguments: [
        TransferSyntax.implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian,
    ])
    func nestedRoundTrip(transferSyntax: TransferSyntax) throws {
        var inner = Self.item("1.2.3.4")
        try inner.setIntegers([7], for: Tag(0x0008_1160), vr: .IS)
        var outer = Self.item("1.2.3")
        outer.setSequence([inner], for: Self.innerSequenceTag, hasUndefinedLength: false)
        var dataSet = DataSet()
        dataSet.setSequence([outer, Self.item("1.2.5")], for: Self.sequenceTag)

        let encoded = try DataSetWriter.encode(dataSet, transferSyntax: transferSyntax)
        let read = try DataSetReader.read(encoded, transferSyntax: transferSyntax)
        let items = try #require(read.sequence(Self.sequenceTag))
        #expect(items.count == 2)
        #expect(items.last?.uid(Self.uidTag) == "1.2.5")
        let nested = try #require(items.first?.sequence(Self.innerSequenceTag))
        #expect(nested.count == 1)
        #expect(nested.first?.uid(Self.uidTag) == "1.2.3.4")
        #expect(nested.first?.integer(Tag(0x0008_1160)) == 7)
    }
}
