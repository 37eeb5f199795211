import DICOMCore
import Testing

@Suite("Data dictionary: private tags by creator")
struct PrivateDictionaryTests {
    @Test("A vendor's element is found in whichever block its creator reserved", arguments: [DICOMCore.Tag(0x0029_1010), DICOMCore.Tag(0x0029_1110), DICOMCore.Tag(0x0029_FF10)])
    func blockAgnostic(tag: DICOMCore.Tag) throws {
        let entry = try #require(DataDictionary.entry(for: tag, privateCreator: "SIEMENS CSA HEADER"))
        #expect(entry.tag == tag)
        #expect(entry.name == "CSA Image Header Info")
        #expect(entry.vr == .OB)
        #expect(entry.keyword == nil)
        #expect(DataDictionary.vr(for: tag, privateCreator: "SIEMENS CSA HEADER") == .OB)
    }

    @Test("The low byte of the element picks the row")
    func lowByte() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_1020), privateCreator: "SIEMENS CSA HEADER")?.name == "CSA Series Header Info")
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0019_101E), privateCreator: "GEMS_ACQU_01")?.name == "Display field of view")
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0019_101E), privateCreator: "GEMS_ACQU_01")?.vr == .DS)
    }

    @Test("The creator must match: another creator, another group or another case finds nothing")
    func creatorMustMatch() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_1010), privateCreator: "SIEMENS CSA HEADERX") == nil)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_1010), privateCreator: "siemens csa header") == nil)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0031_1010), privateCreator: "SIEMENS CSA HEADER") == nil)
        #expect(DataDictionary.vr(for: DICOMCore.Tag(0x0031_1010), privateCreator: "SIEMENS CSA HEADER") == .UN)
    }

    @Test("LO padding around the creator is ignored")
    func padding() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_1010), privateCreator: "SIEMENS CSA HEADER ")?.vr == .OB)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_1010), privateCreator: " SIEMENS CSA HEADER\0")?.vr == .OB)
    }

    @Test("Rows for a whole tag and for a range of groups are found too")
    func exactAndGroupRangeRows() {
        // "CANON_MEC_MR3" publishes (700D,0000) as a whole tag; "DLX_LKUP_01" publishes
        // (60xx,xx01) for any group of the 60 range.
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x700D_0000), privateCreator: "CANON_MEC_MR3")?.name == "Scale Factor")
        let entry = DataDictionary.entry(for: DICOMCore.Tag(0x6001_1101), privateCreator: "DLX_LKUP_01")
        #expect(entry?.name == "Gray Palette color lookup table descriptor")
        #expect(entry?.valueMultiplicity == ValueMultiplicity(minimum: 3, maximum: 3))
    }

    @Test("Public tags are not private, whatever the creator")
    func publicTags() {
        #expect(DataDictionary.entry(for: .patientName, privateCreator: "SIEMENS CSA HEADER") == nil)
    }

    @Test("A creator element gets the generic Private Creator entry")
    func creatorElement() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0029_0010), privateCreator: "SIEMENS CSA HEADER")?.name == "Private Creator")
    }

    @Test("The creator list is sorted and holds the well-known vendors")
    func creators() {
        let creators = DataDictionary.privateCreators
        #expect(creators == creators.sorted())
        #expect(creators.contains("SIEMENS CSA HEADER"))
        #expect(creators.contains("GEMS_ACQU_01"))
        #expect(creators.count > 400)
    }
}
