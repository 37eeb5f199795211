import DICOMCore
import Testing

@Suite("Data dictionary: repeating groups, group lengths, private creators")
struct RepeatingGroupTests {
    struct Fact: Sendable, CustomTestStringConvertible {
        let tag: DICOMCore.Tag
        let keyword: String
        let name: String
        let vr: VR
        let isRetired: Bool
        var testDescription: String { "\(tag) \(keyword)" }
    }

    static let facts: [Fact] = [
        Fact(tag: DICOMCore.Tag(0x5002_0010), keyword: "NumberOfPoints", name: "Number of Points", vr: .US, isRetired: true),
        Fact(tag: DICOMCore.Tag(0x6000_3000), keyword: "OverlayData", name: "Overlay Data", vr: .OB, isRetired: false),
        Fact(tag: DICOMCore.Tag(0x601E_3000), keyword: "OverlayData", name: "Overlay Data", vr: .OB, isRetired: false),
        Fact(tag: DICOMCore.Tag(0x6002_0010), keyword: "OverlayRows", name: "Overlay Rows", vr: .US, isRetired: false),
        Fact(tag: DICOMCore.Tag(0x0020_3105), keyword: "SourceImageIDs", name: "Source Image IDs", vr: .CS, isRetired: true),
        Fact(tag: DICOMCore.Tag(0x1000_0011), keyword: "RunLengthTriplet", name: "Run Length Triplet", vr: .US, isRetired: true),
        Fact(tag: DICOMCore.Tag(0x1000_1230), keyword: "EscapeTriplet", name: "Escape Triplet", vr: .US, isRetired: true),
        Fact(tag: DICOMCore.Tag(0x0028_0420), keyword: "RowsForNthOrderCoefficients", name: "Rows For Nth Order Coefficients", vr: .US, isRetired: true),
        Fact(tag: DICOMCore.Tag(0x7F02_0010), keyword: "VariablePixelData", name: "Variable Pixel Data", vr: .OB, isRetired: true),
    ]

    @Test("A tag in a repeating group gets the group's entry, under its own tag", arguments: facts)
    func repeating(fact: Fact) throws {
        let entry = try #require(DataDictionary.entry(for: fact.tag))
        #expect(entry.tag == fact.tag)
        #expect(entry.keyword == fact.keyword)
        #expect(entry.name == fact.name)
        #expect(entry.vr == fact.vr)
        #expect(entry.isRetired == fact.isRetired)
        #expect(DataDictionary.vr(for: fact.tag) == fact.vr)
        #expect(fact.tag.keyword == fact.keyword)
    }

    @Test("A repeating keyword gives the first group's tag")
    func repeatingKeyword() {
        #expect(DICOMCore.Tag(keyword: "OverlayData") == DICOMCore.Tag(0x6000_3000))
        #expect(DICOMCore.Tag(keyword: "NumberOfPoints") == DICOMCore.Tag(0x5000_0010))
        #expect(DICOMCore.Tag(keyword: "EscapeTriplet") == DICOMCore.Tag(0x1000_0000))
    }

    @Test("Odd groups are private, not repeating: (6001,3000) and (5003,0005) have no public entry")
    func oddGroupsAreNotRepeating() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x6001_3000)) == nil)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x5003_0005)) == nil)
        #expect(DataDictionary.vr(for: DICOMCore.Tag(0x6001_3000)) == .UN)
    }

    @Test("Only the elements the pattern allows match: (1000,xxx0) does not take (1000,0016)")
    func patternDigits() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x1000_0016)) == nil)
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0028_0425)) == nil)
    }

    @Test("Any group's (gggg,0000) is a group length, UL", arguments: [DICOMCore.Tag(0x0008_0000), DICOMCore.Tag(0x0010_0000), DICOMCore.Tag(0x0009_0000), DICOMCore.Tag(0x6000_0000)])
    func groupLength(tag: DICOMCore.Tag) throws {
        let entry = try #require(DataDictionary.entry(for: tag))
        #expect(entry.tag == tag)
        #expect(entry.vr == .UL)
        #expect(entry.name == "Group Length")
        #expect(entry.keyword == nil)
        #expect(DataDictionary.vr(for: tag) == .UL)
    }

    @Test("Groups 0000 and 0002 keep their own group length names")
    func namedGroupLengths() {
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0000_0000))?.name == "Command Group Length")
        #expect(DataDictionary.entry(for: DICOMCore.Tag(0x0002_0000))?.name == "File Meta Information Group Length")
    }

    @Test("(gggg,0010-00FF) in a private group is a private creator, LO", arguments: [DICOMCore.Tag(0x0009_0010), DICOMCore.Tag(0x0029_0011), DICOMCore.Tag(0x7FE1_00FF)])
    func privateCreator(tag: DICOMCore.Tag) throws {
        let entry = try #require(DataDictionary.entry(for: tag))
        #expect(entry.tag == tag)
        #expect(entry.vr == .LO)
        #expect(entry.name == "Private Creator")
        #expect(DataDictionary.vr(for: tag) == .LO)
    }

    @Test("Private elements without their creator are unknown", arguments: [DICOMCore.Tag(0x0009_0009), DICOMCore.Tag(0x0029_1010), DICOMCore.Tag(0x0029_0100)])
    func privateWithoutCreator(tag: DICOMCore.Tag) {
        #expect(DataDictionary.entry(for: tag) == nil)
        #expect(DataDictionary.vr(for: tag) == .UN)
    }
}
