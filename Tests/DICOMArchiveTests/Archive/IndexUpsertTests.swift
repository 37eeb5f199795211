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

    @Test("a copy stored again under its series updates its instance row, keeping what it lacks", arguments: TestBackend.all)
    func copyStoredAgainInPlace(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("upserts")
        let uid = "\(Self.study).1.1"
        var instance = ArchiveFixtures.Instance(studyUID: Self.study, seriesUID: "\(Self.study).1", sopInstanceUID: uid)
        instance.extra = [(.contentDate, .DA, "20240316")]
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))

        // Another instance number and size, no Content Date.
        instance.instanceNumber = "7"
        instance.extra = []
        instance.pixelCount = 256
        let outcome = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        guard case .replaced(let record, let previous) = outcome else { Issue.record("expected .replaced, got \(outcome)"); return }
        #expect(previous.path == record.path && previous.fileSize < record.fileSize)

        let stored = try #require(try await test.archive.index.instance(sopInstanceUID: uid))
        #expect(stored.attributes[.instanceNumber] == "7")
        #expect(stored.attributes[.contentDate] == "20240316", "a value the new copy lacks is kept, as by the upsert")
        #expect(stored.fileSize == record.fileSize && stored.path == record.path)
        #expect(stored.seriesInstanceUID == "\(Self.study).1" && stored.studyInstanceUID == Self.study)
        #expect(try await ArchiveFixtures.search(test.archive, .image, [(.studyInstanceUID, .UI, Self.study), (.seriesInstanceUID, .UI, "\(Self.study).1"), (.instanceNumber, .IS, "")], returning: .instanceNumber) == ["7"])
        let counts = try await test.archive.index.counts()
        #expect(counts.patients == 1 && counts.studies == 1 && counts.series == 1 && counts.instances == 1)
    }

    @Test("the in-place update of an instance row sets every column but the two links, by the upsert's placeholders")
    func refreshStatement() {
        #expect(IndexUpsert.refreshSQL(placeholder: { "?\($0)" }) == """
            UPDATE instance SET sop_class_uid = COALESCE(?2, instance.sop_class_uid), instance_number = COALESCE(?3, instance.instance_number), \
            content_date = COALESCE(?4, instance.content_date), content_time = COALESCE(?5, instance.content_time), file_path = ?8, file_size = ?9, \
            transfer_syntax_uid = ?10, stored_at = ?11 WHERE sop_instance_uid = ?1
            """)
        #expect(IndexUpsert.columns(of: .instance) == [
            "sop_instance_uid", "sop_class_uid", "instance_number", "content_date", "content_time",
            "instance_series_uid", "instance_study_uid", "file_path", "file_size", "transfer_syntax_uid", "stored_at",
        ])
    }
}
