@testable import DICOMArchive
import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Testing

/// What an entity without a value matches, over a real socket: an absent or zero-length
/// attribute is unknown and matches every key on it, for the Optional Keys the archive supports
/// as for the Required ones (PS3.4 C.2.2.1.1, and FF00H: "Optional Keys were supported in the
/// same manner as Required Keys"); and the elements that describe other keys, a Private Creator
/// and Timezone Offset From UTC, select nothing.
@Suite("qrscp C-FIND: unknown values, Private Creators and Timezone Offset From UTC on loopback")
struct ArchiveUnknownValueTests {
    typealias Find = ArchiveFindStatusTests

    /// The Study Instance UIDs a study query with `keys` (and Patient ID FIND) finds, among three
    /// studies of which the second has no Institution Name and none a Referring Physician's Name.
    static func studies(_ backend: TestBackend, _ keys: [(Tag, VR, String)]) async throws -> [String] {
        var found: [String] = []
        try await Find.withArchive(backend, studies: 3, institution: { $0 == 2 ? nil : "SOMEWHERE \($0)" }) { association in
            let responses = try await ArchiveEndToEndTests.collect(association.find(ArchiveFixtures.identifier(.study, [
                (.patientID, .LO, "FIND"), (.studyInstanceUID, .UI, ""),
            ] + keys)))
            #expect(responses.last?.status == .success)
            #expect(responses.dropLast().allSatisfy { $0.status.code == 0xFF00 })
            found = responses.compactMap { $0.identifier?.string(.studyInstanceUID) }
        }
        return found
    }

    static var all: [String] { (1...3).map(Find.studyUID) }

    @Test("an Optional Key the index keeps, unknown in every study, matches them all", arguments: TestBackend.all)
    func indexedOptionalKey(_ backend: TestBackend) async throws {
        #expect(try await Self.studies(backend, [(.referringPhysicianName, .PN, "SMITH*")]) == Self.all)
        #expect(try await Self.studies(backend, [(.studyDescription, .LO, "ABDOMEN")]).isEmpty, "a known value still has to match")
    }

    @Test("an Optional Key read from the files matches the study that lacks it, and those whose value matches", arguments: TestBackend.all)
    func fileOptionalKey(_ backend: TestBackend) async throws {
        #expect(try await Self.studies(backend, [(.institutionName, .LO, "SOMEWHERE 1")]) == [Find.studyUID(1), Find.studyUID(2)])
    }

    @Test("a Private Creator with its private key, and a Timezone Offset From UTC, exclude no study", arguments: TestBackend.all)
    func describingElements(_ backend: TestBackend) async throws {
        #expect(try await Self.studies(backend, [(Tag(0x0009_0010), .LO, "ACME"), (Tag(0x0009_1001), .LO, "")]) == Self.all)
        #expect(try await Self.studies(backend, [(.timezoneOffsetFromUTC, .SH, "+0100")]) == Self.all)
    }
}
