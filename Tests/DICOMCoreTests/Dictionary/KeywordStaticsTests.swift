import DICOMCore
import Testing

@Suite("Generated keyword constants")
struct KeywordStaticsTests {
    @Test("Every Tag constant round-trips through the dictionary by tag and by keyword")
    func tagConstants() {
        var count = 0
        var mismatches: [String] = []
        forEachTagKeywordStatic { keyword, tag in
            count += 1
            if DataDictionary.keyword(for: tag) != keyword || DICOMCore.Tag(keyword: keyword) != tag {
                mismatches.append("\(keyword) \(tag)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(count > 5_000)
    }

    @Test("The spelling of constants: leading acronym lowered, the rest kept")
    func spelling() {
        #expect(DICOMCore.Tag.patientName == DICOMCore.Tag(0x0010_0010))
        #expect(DICOMCore.Tag.sopInstanceUID == DICOMCore.Tag(0x0008_0018))
        #expect(DICOMCore.Tag.sopClassUID == DICOMCore.Tag(0x0008_0016))
        #expect(DICOMCore.Tag.pixelData == DICOMCore.Tag(0x7FE0_0010))
        #expect(DICOMCore.Tag.kvp == DICOMCore.Tag(0x0018_0060))
        #expect(DICOMCore.Tag.studyInstanceUID == DICOMCore.Tag(0x0020_000D))
        #expect(UID.ctImageStorage == "1.2.840.10008.5.1.4.1.1.2")
        #expect(UID.itisTSN == "1.2.840.10008.2.16.7")
    }

    @Test("Every UID constant round-trips through the registry, one per keyword")
    func uidConstants() {
        var seen: Set<UID> = []
        var mismatches: [String] = []
        forEachUIDKeywordStatic { keyword, uid in
            seen.insert(uid)
            if uid.registryEntry?.keyword != keyword || UIDRegistry.entry(forKeyword: keyword)?.uid != uid {
                mismatches.append("\(keyword) \(uid)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        let withKeyword = UIDRegistry.allEntries.filter { $0.keyword != nil }.map(\.uid)
        #expect(seen == Set(withKeyword))
    }
}
