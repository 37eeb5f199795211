import DICOMCore
import Testing

@Suite("Data dictionary: public tags")
struct DataDictionaryTests {
    struct Fact: Sendable, CustomTestStringConvertible {
        let tag: DICOMCore.Tag
        let keyword: String
        let name: String
        let vrs: [VR]
        let vm: String
        let isRetired: Bool
        var testDescription: String { "\(tag) \(keyword)" }
    }

    static let facts: [Fact] = [
        Fact(tag: DICOMCore.Tag(0x0010_0010), keyword: "PatientName", name: "Patient's Name", vrs: [.PN], vm: "1", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x7FE0_0010), keyword: "PixelData", name: "Pixel Data", vrs: [.OB, .OW], vm: "1", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0008_0018), keyword: "SOPInstanceUID", name: "SOP Instance UID", vrs: [.UI], vm: "1", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0000_0001), keyword: "CommandLengthToEnd", name: "Command Length to End", vrs: [.UL], vm: "1", isRetired: true),
        Fact(tag: DICOMCore.Tag(0x0028_0106), keyword: "SmallestImagePixelValue", name: "Smallest Image Pixel Value", vrs: [.US, .SS], vm: "1", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0028_1200), keyword: "GrayLookupTableData", name: "Gray Lookup Table Data", vrs: [.US, .SS, .OW], vm: "1-n", isRetired: true),
        Fact(tag: DICOMCore.Tag(0x0018_1164), keyword: "ImagerPixelSpacing", name: "Imager Pixel Spacing", vrs: [.DS], vm: "2", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0040_A730), keyword: "ContentSequence", name: "Content Sequence", vrs: [.SQ], vm: "1", isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0002_0000), keyword: "FileMetaInformationGroupLength", name: "File Meta Information Group Length", vrs: [.UL], vm: "1", isRetired: false),
    ]

    @Test("A public tag's entry carries PS3.6's VR, VM, name, keyword and status", arguments: facts)
    func entryForTag(fact: Fact) throws {
        let entry = try #require(DataDictionary.entry(for: fact.tag))
        #expect(entry.tag == fact.tag)
        #expect(entry.keyword == fact.keyword)
        #expect(entry.name == fact.name)
        #expect(entry.allowedVRs == fact.vrs)
        #expect(entry.vr == fact.vrs[0])
        #expect(entry.valueMultiplicity.description == fact.vm)
        #expect(entry.isRetired == fact.isRetired)
        #expect(DataDictionary.vr(for: fact.tag) == fact.vrs[0])
    }

    @Test("A keyword leads back to its tag and entry", arguments: facts)
    func keywordToTag(fact: Fact) {
        #expect(DataDictionary.tag(forKeyword: fact.keyword) == fact.tag)
        #expect(DataDictionary.entry(forKeyword: fact.keyword)?.name == fact.name)
        #expect(DataDictionary.keyword(for: fact.tag) == fact.keyword)
        #expect(DICOMCore.Tag(keyword: fact.keyword) == fact.tag)
        #expect(fact.tag.keyword == fact.keyword)
        #expect(fact.tag.name == fact.name)
    }

    @Test("Multi-VR elements list their alternatives after the primary VR")
    func alternativeVRs() throws {
        #expect(try #require(DICOMCore.Tag.pixelData.dictionaryEntry).alternativeVRs == [.OW])
        #expect(try #require(DICOMCore.Tag.lutData.dictionaryEntry).alternativeVRs == [.OW])
        #expect(try #require(DICOMCore.Tag.lutData.dictionaryEntry).vr == .US)
        #expect(try #require(DICOMCore.Tag.patientName.dictionaryEntry).alternativeVRs.isEmpty)
    }

    @Test("The item and delimitation tags, which have no VR, give UN")
    func delimiters() throws {
        let item = try #require(DataDictionary.entry(for: .item))
        #expect(item.name == "Item")
        #expect(item.vr == .UN)
        #expect(item.alternativeVRs.isEmpty)
        #expect(DataDictionary.tag(forKeyword: "SequenceDelimitationItem") == .sequenceDelimitationItem)
    }

    @Test("Unknown keywords and tags give nil, and UN for the VR")
    func unknown() {
        #expect(DataDictionary.tag(forKeyword: "NoSuchKeyword") == nil)
        #expect(DataDictionary.tag(forKeyword: "patientName") == nil)
        #expect(DICOMCore.Tag(keyword: "") == nil)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0010_0011)) == nil)
        #expect(DataDictionary.vr(for: DICOMCore.Tag(0x0010_0011)) == .UN)
        #expect(DICOMCore.Tag(0x0010_0011).keyword == nil)
    }

    @Test("Public rows without a keyword are found by tag but give no keyword")
    func rowsWithoutKeyword() throws {
        // (0018,0061) is retired and PS3.6 leaves its keyword blank.
        let entry = try #require(DataDictionary.entry(for: DICOMCore.Tag(0x0018_0061)))
        #expect(entry.keyword == nil)
        #expect(entry.vr == .DS)
        #expect(entry.isRetired)
    }

    @Test("Only the keyword column answers a keyword: a VR, a VM, a retired mark or a name is no keyword")
    func keywordColumnOnly() {
        for text in ["UL", "US/SS", "1-n", "R", "Patient's Name", "0010", "00100010", "PatientName\t", "\tPatientName"] {
            #expect(DataDictionary.tag(forKeyword: text) == nil, "\(text)")
        }
        // One keyword the prefix of another: each finds its own.
        #expect(DataDictionary.tag(forKeyword: "PatientID") == DICOMCore.Tag(0x0010_0020))
        #expect(DataDictionary.tag(forKeyword: "PatientIdentityRemoved") == DICOMCore.Tag(0x0012_0062))
        // The last row of the table, and a repeating element under its first group.
        #expect(DataDictionary.tag(forKeyword: "SequenceDelimitationItem") == DICOMCore.Tag(0xFFFE_E0DD))
        #expect(DataDictionary.tag(forKeyword: "OverlayData") == DICOMCore.Tag(0x6000_3000))
    }

    @Test("VRs and keywords, read apart from the entries, agree with every entry's")
    func indexAgreesWithEntries() {
        var tags = 0
        var mismatches: [String] = []
        forEachTagKeywordStatic { keyword, tag in
            guard let entry = DataDictionary.entry(for: tag) else { return }
            tags += 1
            if DataDictionary.vr(for: tag) != entry.vr { mismatches.append("\(keyword): \(DataDictionary.vr(for: tag)) against \(entry.vr)") }
        }
        // Beyond the fixed tags: group lengths, private creators and elements, repeating
        // elements in a later group, unknown tags.
        let others: [UInt32] = [0x0008_0000, 0x0009_0010, 0x0009_1001, 0x6002_3000, 0x6000_0010, 0x1000_0010, 0x0010_0011, 0x0018_0061]
        for raw in others {
            let tag = DICOMCore.Tag(raw)
            if DataDictionary.keyword(for: tag) != DataDictionary.entry(for: tag)?.keyword {
                mismatches.append("\(tag): \(String(describing: DataDictionary.keyword(for: tag))) against \(String(describing: DataDictionary.entry(for: tag)?.keyword))")
            }
            if DataDictionary.vr(for: tag) != (DataDictionary.entry(for: tag)?.vr ?? .UN) { mismatches.append("\(tag): VR") }
        }
        #expect(DataDictionary.keyword(for: DICOMCore.Tag(0x6002_3000)) == "OverlayData")
        #expect(tags > 5_000)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
