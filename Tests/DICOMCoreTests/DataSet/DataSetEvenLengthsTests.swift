import DICOMCore
import NIOCore
import Testing

/// ``DataSet/paddedToEvenLengths()``: what a sender does to values of odd length, as DCMTK does.
@Suite("Padding values of odd length")
struct DataSetEvenLengthsTests {
    @Test("odd values get a space (strings) or a NUL (UI, binary), in items and fragments too; even ones are left as they are")
    func padding() throws {
        var item = DataSet()
        item.itemHasUndefinedLength = false
        item[.codeValue] = DataElement(tag: .codeValue, vr: .SH, bytes: ByteBuffer(string: "ABC"))
        var dataSet = DataSet()
        dataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh"))
        dataSet[.patientID] = DataElement(tag: .patientID, vr: .LO, bytes: ByteBuffer(string: "ID"))
        dataSet[.sopInstanceUID] = DataElement(tag: .sopInstanceUID, vr: .UI, bytes: ByteBuffer(string: "1.2.3"))
        dataSet[Tag(0x0009_1001)] = DataElement(tag: Tag(0x0009_1001), vr: .OB, bytes: ByteBuffer(bytes: [1, 2, 3]))
        dataSet.insert(DataElement(tag: .procedureCodeSequence, items: [item], hasUndefinedLength: false))
        dataSet.insert(DataElement(tag: .pixelData, vr: .OB, fragments: EncapsulatedFragments(fragments: [ByteBuffer(bytes: [0xFF, 0xD9, 0x01])])))

        let padded = dataSet.paddedToEvenLengths()
        #expect(padded[.patientName]?.bytes == ByteBuffer(string: "Doe^Joh "))
        #expect(padded[.patientID]?.bytes == ByteBuffer(string: "ID"))
        #expect(padded[.sopInstanceUID]?.bytes == ByteBuffer(bytes: Array("1.2.3".utf8) + [0]))
        #expect(padded[Tag(0x0009_1001)]?.bytes == ByteBuffer(bytes: [1, 2, 3, 0]))
        let paddedItem = try #require(padded.sequence(.procedureCodeSequence)?.first)
        #expect(paddedItem[.codeValue]?.bytes == ByteBuffer(string: "ABC "))
        #expect(paddedItem.itemHasUndefinedLength == false)
        #expect(padded[.procedureCodeSequence]?.hasUndefinedLength == false)
        #expect(padded[.pixelData]?.fragments?.fragments == [ByteBuffer(bytes: [0xFF, 0xD9, 0x01, 0])])
        #expect(padded.tags == dataSet.tags)

        // Written, the padded data set has no odd length left for the structure check to report.
        var check = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian)
        check.consume(try DataSetWriter.encode(padded, transferSyntax: .explicitVRLittleEndian))
        #expect(check.finish() == nil)
        #expect(check.oddLengthTag == nil)
        var original = DataSetStructureCheck(transferSyntax: .explicitVRLittleEndian)
        original.consume(try DataSetWriter.encode(dataSet, transferSyntax: .explicitVRLittleEndian))
        #expect(original.oddLengthTag == .sopInstanceUID, "the first odd one")
        #expect(padded.paddedToEvenLengths() == padded, "padding is a fixed point")
    }

    @Test("group lengths present grow by the padding in their group, items' included, and then give the group's length as written",
          arguments: [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian])
    func groupLengths(syntax: TransferSyntax) throws {
        var item = DataSet()
        item.itemHasUndefinedLength = false
        item[.codeValue] = DataElement(tag: .codeValue, vr: .SH, bytes: ByteBuffer(string: "ABC"))
        var dataSet = DataSet()
        dataSet[.sopInstanceUID] = DataElement(tag: .sopInstanceUID, vr: .UI, bytes: ByteBuffer(string: "1.2.3"))
        dataSet.insert(DataElement(tag: .procedureCodeSequence, items: [item], hasUndefinedLength: false))
        dataSet[.patientName] = DataElement(tag: .patientName, vr: .PN, bytes: ByteBuffer(string: "Doe^Joh"))
        dataSet[.patientID] = DataElement(tag: .patientID, vr: .LO, bytes: ByteBuffer(string: "ID"))
        /// Sets each group's length to what its other elements encode to in `syntax`.
        func withGroupLengths(_ dataSet: DataSet) -> DataSet {
            var result = dataSet
            for group: UInt16 in [0x0008, 0x0010] {
                let elements = DataSet(dataSet.filter { $0.tag.group == group && !$0.tag.isGroupLength })
                var value = ByteBuffer()
                value.writeInteger(UInt32(DataSetWriter.encodedLength(of: elements, transferSyntax: syntax)), endianness: .little)
                result[Tag(group: group, element: 0)] = DataElement(tag: Tag(group: group, element: 0), vr: .UL, bytes: value)
            }
            return result
        }
        let padded = withGroupLengths(dataSet).paddedToEvenLengths()
        #expect(padded == withGroupLengths(padded), "each group length is its group's padded length")
        #expect(padded[Tag(group: 0x0008, element: 0)] != withGroupLengths(dataSet)[Tag(group: 0x0008, element: 0)])
    }

    @Test("a UID's length rule and how a message shows a long or binary one")
    func uidMessages() {
        #expect(UID("1.2.3").hasValidLength)
        #expect(!UID("").hasValidLength)
        #expect(!UID(String(repeating: "1", count: 65)).hasValidLength)
        #expect(UID("1.2\u{1}3").messageText == "1.2?3")
        let long = UID(String(repeating: "7", count: 200))
        #expect(long.messageText == String(repeating: "7", count: 64) + "...")
    }
}
