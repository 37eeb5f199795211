import DICOMCore
import NIOCore
import Testing

@Suite("DataSet person name accessors (PS3.5 §6.2.1)")
struct DataSetPersonNamesTests {
    static let tag = Tag(0x0010_0010)

    static func dataSet(_ vr: VR, _ text: String) -> DataSet {
        DataSet([DataElement(tag: tag, vr: vr, bytes: ByteBuffer(bytes: Array(text.utf8)))])
    }

    @Test("Reads every name of a PN element", arguments: [
        ("Doe^John", ["Doe^John"]), ("Doe^John^^^ ", ["Doe^John"]), ("Doe^John\\Roe^Jane ", ["Doe^John", "Roe^Jane"]),
        ("=Yamada^Tarou", ["=Yamada^Tarou"]), ("", []), ("a=b=c=d", []), ("Doe\\a^b^c^d^e^f", []),
    ])
    func personNames(text: String, expected: [String]) {
        let dataSet = Self.dataSet(.PN, text)
        #expect(dataSet.personNames(Self.tag).map(\.description) == expected)
        #expect(dataSet.personName(Self.tag)?.description == expected.first)
    }

    @Test("Reads the components")
    func components() throws {
        let name = try #require(Self.dataSet(.PN, "Adams^John Robert Quincy^^Rev.^B.A. M.Div.").personName(Self.tag))
        #expect(name.alphabetic.familyName == "Adams")
        #expect(name.alphabetic.givenName == "John Robert Quincy")
        #expect(name.alphabetic.middleName == "")
        #expect(name.alphabetic.namePrefix == "Rev.")
        #expect(name.alphabetic.nameSuffix == "B.A. M.Div.")
    }

    @Test("Reads PN only")
    func otherVRs() {
        #expect(Self.dataSet(.LO, "Doe^John").personName(Self.tag) == nil)
        #expect(DataSet().personName(Self.tag) == nil)
    }

    @Test("Setters write the PN form padded with a space")
    func setters() {
        var dataSet = DataSet()
        dataSet.setPersonName(PersonName(familyName: "Doe", givenName: "Joe"), for: Self.tag)
        #expect(dataSet[Self.tag]?.vr == .PN)
        #expect(dataSet[Self.tag]?.bytes.map { Array($0.readableBytesView) } == Array("Doe^Joe ".utf8))

        dataSet.setPersonNames([PersonName(familyName: "Doe"), PersonName(familyName: "Roe", namePrefix: "Dr")], for: Self.tag)
        #expect(dataSet[Self.tag]?.bytes.map { Array($0.readableBytesView) } == Array("Doe\\Roe^^^Dr".utf8))
        #expect(dataSet.personNames(Self.tag) == [PersonName(familyName: "Doe"), PersonName(familyName: "Roe", namePrefix: "Dr")])
    }
}
