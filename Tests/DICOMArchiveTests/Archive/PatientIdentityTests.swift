@testable import DICOMArchive
import DICOMCore
import Foundation
import SQLKit
import Testing

/// A Patient ID alone does not tell patients apart in the data an archive receives (anonymised
/// sets share one ID or none; two sites' IDs collide): each study answers with its own
/// patient's name, whatever order the studies came in.
@Suite("Archive index: patients sharing a Patient ID")
struct PatientIdentityTests {
    static let first = "1.2.826.0.1.3680043.10.547.1"
    static let second = "1.2.826.0.1.3680043.10.547.2"

    static func instance(study: String, name: String, number: Int = 1) -> ArchiveFixtures.Instance {
        ArchiveFixtures.Instance(
            patientID: "SAME-ID", patientName: name, studyUID: study, seriesUID: "\(study).1", sopInstanceUID: "\(study).1.\(number)")
    }

    /// Stores DUP^NAME's study and OTHER^NAME's, in `order`, under one Patient ID.
    static func populate(_ archive: Archive, reversed: Bool) async throws {
        let directory = try ArchiveFixtures.temporaryDirectory("patients")
        var instances = [instance(study: first, name: "DUP^NAME"), instance(study: second, name: "OTHER^NAME")]
        if reversed { instances.reverse() }
        for instance in instances {
            try await archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        }
    }

    @Test("a study query on one name finds that study only, and each study answers with its own name, in either order",
          arguments: TestBackend.all, [false, true])
    func studyAnswersWithItsOwnName(_ backend: TestBackend, reversed: Bool) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await Self.populate(test.archive, reversed: reversed)

        #expect(try await ArchiveFixtures.search(test.archive, .study, [(.patientName, .PN, "DUP^NAME"), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
            == [Self.first])
        let query = try Query(identifier: ArchiveFixtures.identifier(.study, [(.studyInstanceUID, .UI, ""), (.patientName, .PN, "")]))
        let names = Dictionary(uniqueKeysWithValues: try await test.archive.index.search(query, level: .study).map {
            ($0.attributes.string(.studyInstanceUID) ?? "", $0.attributes.string(.patientName) ?? "")
        })
        #expect(names == [Self.first: "DUP^NAME", Self.second: "OTHER^NAME"])
        #expect(try await ArchiveFixtures.search(test.archive, .patient, [(.patientID, .LO, "SAME-ID"), (.patientName, .PN, "")], returning: .patientName)
            == ["DUP^NAME", "OTHER^NAME"], "two patients, one Patient ID")
    }

    @Test("an instance without a name stays with its study's patient, and leaves no patient to answer or count", arguments: TestBackend.all)
    func namelessInstanceKeepsThePatient(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await Self.populate(test.archive, reversed: false)
        let directory = try ArchiveFixtures.temporaryDirectory("patients")
        try await test.archive.importFile(at: ArchiveFixtures.write(Self.instance(study: Self.first, name: "", number: 2), into: directory))

        #expect(try await ArchiveFixtures.search(test.archive, .study, [(.patientName, .PN, "DUP^NAME"), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
            == [Self.first])
        #expect(try await ArchiveFixtures.search(test.archive, .patient, [(.patientID, .LO, ""), (.patientName, .PN, "")], returning: .patientName)
            == ["DUP^NAME", "OTHER^NAME"])
        let counts = try await test.archive.index.counts()
        #expect(counts.patients == 2 && counts.studies == 2 && counts.instances == 3)
    }

    @Test("a study stored again under a corrected name moves to that patient; the old one is no longer answered", arguments: TestBackend.all)
    func correctedNameMovesTheStudy(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await Self.populate(test.archive, reversed: false)
        let directory = try ArchiveFixtures.temporaryDirectory("patients")
        try await test.archive.importFile(at: ArchiveFixtures.write(Self.instance(study: Self.first, name: "CORRECTED^NAME"), into: directory))

        #expect(try await ArchiveFixtures.search(test.archive, .patient, [(.patientID, .LO, ""), (.patientName, .PN, "")], returning: .patientName)
            == ["CORRECTED^NAME", "OTHER^NAME"])
        #expect(try await ArchiveFixtures.search(test.archive, .study, [(.patientName, .PN, "CORRECTED^NAME"), (.studyInstanceUID, .UI, "")], returning: .studyInstanceUID)
            == [Self.first])
    }

    @Test("schema version 2 rewrites a version-1 index's patient keys (Patient ID only) to include the name", arguments: TestBackend.all)
    func migrationRewritesKeys(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await Self.populate(test.archive, reversed: false)
        // Back to what version 1 wrote: one patient row per Patient ID, keyed by it alone.
        try await test.archive.index.pool.withDatabase(logger: ArchiveFixtures.logger) { database in
            for statement in [
                "DELETE FROM patient WHERE patient_name = 'OTHER^NAME'",
                "UPDATE patient SET patient_key = 'SAME-ID'",
                "UPDATE study SET study_patient_key = 'SAME-ID'",
                "DELETE FROM schema_version WHERE version = 2",
            ] {
                try await database.raw(SQLQueryString(statement)).run()
            }
        }
        let migrated = try await ArchiveIndex.open(test.archive.index.database, logger: ArchiveFixtures.logger)
        #expect(try await migrated.currentSchemaVersion() == 2)
        let keys = try await migrated.pool.withDatabase(logger: ArchiveFixtures.logger) { database in
            try await database.raw("SELECT study_patient_key AS k FROM study").all().map { try $0.decode(column: "k", as: String.self) }
        }
        #expect(keys == ["SAME-ID\\\\DUP^NAME", "SAME-ID\\\\DUP^NAME"])
        #expect(try await migrated.counts().patients == 1)
        try await migrated.close()
    }
}
