@testable import DICOMArchive
import DICOMCore
import Testing

/// ``ArchiveIndex/retrieveFiles(matching:)``: the files a C-GET or C-MOVE sends, selected by one
/// statement where SQL decides the identifier exactly, and always those of
/// ``ArchiveIndex/instances(matching:)``, in its order.
@Suite("Archive index: the files of a retrieve")
struct RetrieveFilesTests {
    static let s1 = ArchiveIndexTests.s1
    static let s3 = ArchiveIndexTests.s3

    /// Identifiers, whether SQL decides each exactly (one statement of paths), and how many
    /// files each retrieves in the fixture population.
    static let cases: [(name: String, level: QueryRetrieveLevel, keys: [(Tag, VR, String)], exact: Bool, count: Int)] = [
        ("a study", .study, [(.studyInstanceUID, .UI, s1)], true, 3),
        ("a series of a study", .series, [(.studyInstanceUID, .UI, s1), (.seriesInstanceUID, .UI, "\(s1).1")], true, 2),
        ("a list of instances", .image, [(.sopInstanceUID, .UI, "\(s1).1.2\\\(s3).1.2\\1.2.3.4.5")], true, 2),
        ("a patient's study (Patient Root)", .study, [(.patientID, .LO, "PAT-1"), (.studyInstanceUID, .UI, s1)], true, 3),
        ("another patient's ID with the study", .study, [(.patientID, .LO, "NOBODY"), (.studyInstanceUID, .UI, s1)], true, 0),
        ("an unknown study", .study, [(.studyInstanceUID, .UI, "1.2.3.4.5")], true, 0),
        ("a study with a name wild card (matched in Swift)", .study, [(.studyInstanceUID, .UI, s1), (.patientName, .PN, "SMITH*")], false, 3),
        ("a study with a date range (matched in Swift)", .study, [(.studyInstanceUID, .UI, s1), (.studyDate, .DA, "19000101-")], false, 3),
    ]

    @Test("the same files as instances(matching:), in its order, on every backend", arguments: TestBackend.all)
    func sameAsInstances(_ backend: TestBackend) async throws {
        try await ArchiveIndexTests.withPopulation(backend) { archive in
            for test in Self.cases {
                let query = try Query(identifier: ArchiveFixtures.identifier(test.level, test.keys))
                var instanceQuery = query
                instanceQuery.level = .image
                #expect((ArchiveIndex.fileStatement(for: instanceQuery) != nil) == test.exact, "\(test.name)")
                let files = try await archive.index.retrieveFiles(matching: query)
                let expected = try await archive.index.instances(matching: query)
                #expect(files.map(\.path) == expected.map(\.path), "\(test.name)")
                // What a C-MOVE proposes its contexts from, as the instance's record has it.
                #expect(files.map(\.sopClassUID) == expected.map(\.sopClassUID), "\(test.name)")
                #expect(files.map(\.sopInstanceUID) == expected.map(\.sopInstanceUID), "\(test.name)")
                #expect(files.map(\.transferSyntaxUID) == expected.map(\.transferSyntaxUID), "\(test.name)")
                #expect(files.count == test.count, "\(test.name): \(files)")
            }
        }
    }
}
