@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// How storing an instance writes its patient, study and series rows: a new value replaces the
/// row's, a missing one keeps it, and the same values leave the row as it was; a replacement
/// filed under another patient leaves no empty patient behind.
@Suite("Archive index: upserts of the parent rows")
struct IndexUpsertTests {
    static let study = "1.2.826.0.1.3680043.10.546.1"

    @Test("a later instance updates its study and patient with the values it has and keeps the others", arguments: TestBackend.all)
    func laterInstanceUpdates(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("upserts")
        var instance = ArchiveFixtures.Instance(studyUID: Self.study, seriesUID: "\(Self.study).1", sopInstanceUID: "\(Self.study).1.1")
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))

        // The same values again: nothing to update.
        instance.sopInstanceUID = "\(Self.study).1.2"
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        #expect(try await ArchiveFixtures.search(test.archive, .study, [(.studyDescription, .LO, "")], returning: .studyDescription) == ["CHEST"])

        instance.sopInstanceUID = "\(Self.study).1.3"
        instance.studyDescription = "CHEST AND ABDOMEN"
        instance.patientName = ""
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        #expect(try await ArchiveFixtures.search(test.archive, .study, [(.studyDescription, .LO, "")], returning: .studyDescription) == ["CHEST AND ABDOMEN"])
        #expect(try await ArchiveFixtures.search(test.archive, .patient, [(.patientName, .PN, "")], returning: .patientName) == ["SMITH^JOHN"],
                "an instance without Patient Name keeps the patient's")

        let counts = try await test.archive.index.counts()
        #expect(counts.patients == 1 && counts.studies == 1 && counts.series == 1 && counts.instances == 3)
    }

    @Test("a replacement filed under another patient removes the patient it leaves empty", arguments: TestBackend.all)
    func replacementMovesPatient(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("upserts")
        var instance = ArchiveFixtures.Instance(patientID: "PAT-OLD", studyUID: Self.study, seriesUID: "\(Self.study).1", sopInstanceUID: "\(Self.study).1.1")
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))

        instance.patientID = "PAT-NEW"
        instance.studyUID = "\(Self.study)9"
        instance.seriesUID = "\(Self.study)9.1"
        let outcome = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        guard case .replaced(_, let previous) = outcome else { Issue.record("expected .replaced, got \(outcome)"); return }
        #expect(previous.studyInstanceUID == Self.study && previous.seriesInstanceUID == "\(Self.study).1")
        #expect(previous.patientKey == "PAT-OLD\\\\SMITH^JOHN", "Patient ID, no issuer, Patient's Name")

        #expect(try await ArchiveFixtures.search(test.archive, .patient, [(.patientID, .LO, "")], returning: .patientID) == ["PAT-NEW"])
        let counts = try await test.archive.index.counts()
        #expect(counts.patients == 1 && counts.studies == 1 && counts.series == 1 && counts.instances == 1)
    }
}
