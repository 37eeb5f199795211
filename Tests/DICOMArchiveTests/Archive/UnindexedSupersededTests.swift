@testable import DICOMArchive
import DICOMCore
import Dispatch
import Foundation
import Testing

/// An acknowledged copy whose index rows failed to commit (a full disk: `UnindexedArrivals`)
/// and a newer copy of the same SOP Instance UID filed in another study: the newer copy wins,
/// and the older copy's placed file does not stay in the tree without a row.
@Suite("Unindexed copies superseded from another study leave no file behind")
struct UnindexedSupersededTests {
    /// Makes the index's writer refuse the rows of any instance of `study`, as a full disk
    /// refuses a commit: the instance is acknowledged, its rows fail after the answer.
    static func refuseRows(ofStudy study: String, in archive: Archive) async throws {
        let writer = try #require(archive.index.writer)
        let name = "refuse_" + study.replacingOccurrences(of: ".", with: "_")
        _ = try await writer.write { connection in
            try connection.execute("""
                CREATE TEMP TRIGGER \(name) BEFORE INSERT ON instance WHEN NEW.instance_study_uid = '\(study)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test: no space left'); END
                """)
        }
    }

    static func acceptRows(ofStudy study: String, in archive: Archive) async throws {
        let writer = try #require(archive.index.writer)
        _ = try await writer.write { connection in
            try connection.execute("DROP TRIGGER refuse_" + study.replacingOccurrences(of: ".", with: "_"))
        }
    }

    /// `instance` received and acknowledged; returns its place in the tree.
    static func receive(_ instance: ArchiveFixtures.Instance, in archive: Archive) async throws -> String {
        let relative = try InstanceStore.relativePath(
            studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
        let (result, _) = await ArchiveReceiveTests.receive(
            try ArchiveReceiveTests.arrival(instance, in: archive), instance.sopInstanceUID, placedAt: relative, in: archive)
        #expect(throws: Never.self) { try result.get() }
        return relative
    }

    /// The `.dcm` files of the tree, `incoming/` aside, relative to the root.
    static func placedFiles(of archive: Archive) -> [String] {
        let root = URL(fileURLWithPath: archive.store.root).standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String {
            if name.hasSuffix(".dcm"), !name.hasPrefix("incoming/") { files.append(name) }
        }
        return files.sorted()
    }

    static func copies() -> (older: ArchiveFixtures.Instance, newer: ArchiveFixtures.Instance) {
        var older = ArchiveFixtures.Instance()
        older.studyUID = "1.2.826.0.1.3680043.10.543.71"
        older.seriesUID = "1.2.826.0.1.3680043.10.543.71.1"
        older.sopInstanceUID = "1.2.826.0.1.3680043.10.543.71.1.1"
        var newer = older
        newer.studyUID = "1.2.826.0.1.3680043.10.543.72"
        newer.seriesUID = "1.2.826.0.1.3680043.10.543.72.1"
        newer.pixelCount = 128
        return (older, newer)
    }

    @Test("an unindexed copy superseded by a committed copy in another study: its file goes, the newer copy is indexed")
    func supersededByCommittedCopy() async throws {
        let test = try await TestArchive.make(.sqlite, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        let (older, newer) = Self.copies()
        try await Self.refuseRows(ofStudy: older.studyUID, in: test.archive)
        let olderPath = try await Self.receive(older, in: test.archive)
        await test.archive.index.awaitSubmittedRecords()
        #expect(!test.archive.unindexed.isEmpty, "the older copy's rows were to fail")
        #expect(Self.placedFiles(of: test.archive) == [olderPath], "placed all the same")

        let newerPath = try await Self.receive(newer, in: test.archive)
        await test.archive.awaitAcknowledgedInstances()
        #expect(test.archive.unindexed.isEmpty)
        #expect(Self.placedFiles(of: test.archive) == [newerPath], "the older copy's file is not left without a row")
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: newer.sopInstanceUID))
        #expect(record.path == newerPath && record.studyInstanceUID == newer.studyUID)
        #expect(try await test.archive.index.counts().instances == 1)
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("an unindexed copy superseded by another whose rows fail too: the file goes once the newer copy's rows commit")
    func supersededByUnindexedCopy() async throws {
        let test = try await TestArchive.make(.sqlite, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        let (older, newer) = Self.copies()
        try await Self.refuseRows(ofStudy: older.studyUID, in: test.archive)
        try await Self.refuseRows(ofStudy: newer.studyUID, in: test.archive)
        // Both acknowledged before either's rows fail: the writer is held until both are queued.
        let writer = try #require(test.archive.index.writer)
        let gate = DispatchSemaphore(value: 0)
        writer.submit(preparing: { gate.wait() }, { _, _ in }, completion: { _ in })
        var placed: [String] = []
        for copy in [older, newer] {
            let path = try ArchiveReceiveTests.arrival(copy, in: test.archive)
            #expect(throws: Never.self) { try #require(test.archive.receiveDurable(path, expectedSOPInstanceUID: copy.sopInstanceUID)).get() }
            placed.append(try InstanceStore.relativePath(studyInstanceUID: copy.studyUID, seriesInstanceUID: copy.seriesUID, sopInstanceUID: copy.sopInstanceUID))
        }
        gate.signal()
        await test.archive.index.awaitSubmittedRecords()
        #expect(Set(Self.placedFiles(of: test.archive)) == Set(placed), "both placed, neither indexed")
        #expect(try await test.archive.index.counts().instances == 0)

        // The older copy stays refused: only the newer one can be recorded, and is.
        try await Self.acceptRows(ofStudy: newer.studyUID, in: test.archive)
        await test.archive.awaitAcknowledgedInstances()
        #expect(test.archive.unindexed.isEmpty)
        #expect(Self.placedFiles(of: test.archive) == [placed[1]], "the older copy's file is not left without a row")
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: newer.sopInstanceUID))
        #expect(record.path == placed[1])
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("copies in both studies recorded at once after an unindexed one: the row that wins points at its own file, and no other file is left", arguments: 0..<3)
    func concurrentCopies(_ round: Int) async throws {
        let test = try await TestArchive.make(.sqlite, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        var (older, newer) = Self.copies()
        try await Self.refuseRows(ofStudy: older.studyUID, in: test.archive)
        _ = try await Self.receive(older, in: test.archive)
        await test.archive.index.awaitSubmittedRecords()
        try await Self.acceptRows(ofStudy: older.studyUID, in: test.archive)
        // One copy back at the older copy's path, one elsewhere, in one batch of the writer
        // when they meet there: the one filed elsewhere may commit after the other was placed.
        older.pixelCount = 32 + round
        let again = try ArchiveReceiveTests.arrival(older, in: test.archive)
        let elsewhere = try ArchiveReceiveTests.arrival(newer, in: test.archive)
        async let first = test.archive.ingest(elsewhere, expectedSOPInstanceUID: newer.sopInstanceUID)
        async let second = test.archive.ingest(again, expectedSOPInstanceUID: older.sopInstanceUID)
        _ = try await (first, second)
        await test.archive.awaitAcknowledgedInstances()
        #expect(test.archive.unindexed.isEmpty)
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: older.sopInstanceUID))
        #expect(Self.placedFiles(of: test.archive) == [record.path])
        #expect(FileSystem.fileSize(test.archive.store.absolutePath(record.path)) == record.fileSize, "the row's own file")
    }
}
