@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// The SQL prefilter of PN keys must keep every name the Swift matcher accepts (it may keep
/// more, never fewer), on names whose groups, padding and case make its prefix condition easy to
/// get wrong; and it must narrow, or it is useless.
@Suite("PN keys: the SQL prefilter keeps every match")
struct PersonNamePrefilterTests {
    static let names = [
        "SMITH^JOHN", "Smith^Anna", " SMITH^PADDED", "JONES^SMITH", "^SMITH", "SMYTHE^JOHN", "O'SMITH^X",
        "Yamada^Tarou=山田^太郎=やまだ^たろう", "=Smith^Ideographic", "Sm%th^Percent", "S_MITH^Underscore", "Müller^Jürgen",
        "MÜLLER^ANNA",
    ]

    static let keys = [
        "SMITH*", "smith^j*", "SMITH^JOHN", "S?ITH*", "Sm%th*", "S_*", "山田*", "YAMADA^TAROU", "*SMITH", "やまだ*",
        "müller*", "M*", "SM*^*", "O'*", "=山田*", "SMITH",
    ]

    /// Study UIDs per name: the name's index in ``names``.
    static func studyUID(_ index: Int) -> String { "1.2.826.0.1.3680043.10.543.77.\(index)" }

    @Test("a PN key's matches through SQL are the Swift matcher's over every name", arguments: TestBackend.all)
    func soundOnTrickyNames(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        do {
            let directory = try ArchiveFixtures.temporaryDirectory("names")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            for (index, name) in Self.names.enumerated() {
                var instance = ArchiveFixtures.Instance()
                instance.patientName = name
                instance.patientID = "NAME-\(index)"
                instance.characterSet = "ISO_IR 192"
                instance.studyUID = Self.studyUID(index)
                instance.seriesUID = "\(instance.studyUID).1"
                instance.sopInstanceUID = "\(instance.seriesUID).1"
                try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
            }
            for key in Self.keys {
                let isWildcard = key.contains("*") || key.contains("?")
                let expected = Self.names.indices.filter {
                    PersonNameMatching.matches(key: key, value: Self.names[$0], isWildcard: isWildcard, ignoresCase: true)
                }.map(Self.studyUID).sorted()
                let found = try await ArchiveFixtures.search(
                    test.archive, .study, [(.patientName, .PN, key), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
                #expect(found == expected, "PatientName=\(key)")
            }
            // Not vacuous: the names above do match, and the prefix narrows.
            let smith = try await ArchiveFixtures.search(
                test.archive, .study, [(.patientName, .PN, "SMITH*"), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
            #expect(smith == [0, 1, 2, 8].map(Self.studyUID).sorted())
            let query = try Query(identifier: ArchiveFixtures.identifier(.study, [(.patientName, .PN, "SMITH*")]))
            let kept = try await test.archive.index.search(query, level: .study, matching: false)
            // "JONES^SMITH", "^SMITH" and "O'SMITH^X" contain the run but do not start with it;
            // the padded name and the one with an empty first group pass, as they must.
            #expect(kept.count == 4)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }
}
