import DICOMCore
import NIOCore
import Testing

@Suite("DataSet string accessors (PS3.5 §6.1, §6.2, §6.4)")
struct DataSetStringsTests {
    static let nameTag = Tag(0x0010_0010)
    static let textTag = Tag(0x0008_0081)

    /// A data set holding `bytes` as the value of (0010,0010) PN.
    static func dataSet(name bytes: [UInt8]) -> DataSet {
        var dataSet = DataSet()
        dataSet[nameTag] = DataElement(tag: nameTag, vr: .PN, bytes: ByteBuffer(bytes: bytes))
        return dataSet
    }

    @Test("Storing, replacing and removing (0008,0005) changes how text decodes")
    func characterSetFollowsMutations() {
        var dataSet = Self.dataSet(name: Array("M\u{FC}ller".unicodeScalars.map { UInt8($0.value) }))
        #expect(dataSet.specificCharacterSet == .defaultRepertoire)
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        #expect(dataSet.string(Self.nameTag) == "Müller")
        dataSet.setString("ISO_IR 192", for: .specificCharacterSet, vr: .CS)
        #expect(dataSet.specificCharacterSet.terms == ["ISO_IR 192"])
        #expect(dataSet.string(Self.nameTag) == "M\u{FFFD}ller")
        dataSet.remove(.specificCharacterSet)
        #expect(dataSet.specificCharacterSet == .defaultRepertoire)
        dataSet.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        dataSet.removeAll { $0.tag == .specificCharacterSet }
        #expect(dataSet.specificCharacterSet == .defaultRepertoire)
        dataSet.inheritedCharacterSet = SpecificCharacterSet("ISO_IR 100")
        #expect(dataSet.string(Self.nameTag) == "Müller")
    }

    @Test("A data set read from bytes knows its own character set")
    func characterSetOfReadDataSet() throws {
        var written = Self.dataSet(name: [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])
        written.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        let bytes = try DataSetWriter.encode(written, transferSyntax: .explicitVRLittleEndian)
        let read = try DataSetReader.read(bytes, transferSyntax: .explicitVRLittleEndian)
        #expect(read.specificCharacterSet.terms == ["ISO_IR 100"])
        #expect(read.string(Self.nameTag) == "Müller")
    }

    @Test("Padding is trimmed as PS3.5 Table 6.2-1 says: leading spaces kept in LT, ST and UT")
    func padding() {
        var dataSet = DataSet()
        dataSet[Self.nameTag] = DataElement(tag: Self.nameTag, vr: .PN, bytes: ByteBuffer(string: "  Doe^John \u{0}"))
        dataSet[Self.textTag] = DataElement(tag: Self.textTag, vr: .ST, bytes: ByteBuffer(string: "  indented \u{0}"))
        #expect(dataSet.string(Self.nameTag) == "Doe^John")
        #expect(dataSet.string(Self.textTag) == "  indented")
        #expect(dataSet.strings(Self.nameTag) == ["Doe^John"])
    }

    @Test("Values split at backslashes, each trimmed, empty ones kept, in ASCII and in other sets")
    func multipleValues() {
        var dataSet = DataSet()
        let tag = Tag(0x0008_0008)
        dataSet[tag] = DataElement(tag: tag, vr: .CS, bytes: ByteBuffer(string: "ORIGINAL\\ PRIMARY\\\\AXIAL "))
        #expect(dataSet.strings(tag) == ["ORIGINAL", "PRIMARY", "", "AXIAL"])
        #expect(dataSet.string(tag) == "ORIGINAL\\ PRIMARY\\\\AXIAL")

        var latin = Self.dataSet(name: [0x4D, 0xFC, 0x20, 0x5C, 0x20, 0x41, 0x20])
        latin.setString("ISO_IR 100", for: .specificCharacterSet, vr: .CS)
        #expect(latin.strings(Self.nameTag) == ["Mü", "A"])
    }
}
