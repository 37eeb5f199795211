@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// Opening an archive whose index cannot commit (a full disk) while `incoming/` holds
/// acknowledged instances to recover: the archive opens all the same and serves what is
/// indexed; the instances left wait, as acknowledged arrivals whose rows failed
/// (``UnindexedArrivals``), and are recorded once the index commits again.
@Suite("Opening with instances of incoming/ the index cannot take yet")
struct OpenUnindexedTests {
    /// An archive in `root` with `indexed` stored, and `left` in `incoming/` as a crash leaves
    /// an acknowledged instance; the rows of `refusedStudy` refused from now on by a trigger
    /// kept in the database, as a full disk refuses a commit.
    static func prepare(root: String, indexed: ArchiveFixtures.Instance, left: ArchiveFixtures.Instance, refusedStudy: String) async throws {
        let archive = try await Archive.open(storage: root, logger: ArchiveFixtures.logger)
        try await archive.importFile(at: try ArchiveFixtures.write(indexed, into: ArchiveFixtures.temporaryDirectory("open-unindexed")))
        _ = try ArchiveReceiveTests.arrival(left, in: archive)
        let writer = try #require(archive.index.writer)
        _ = try await writer.write { connection in
            try connection.execute("""
                CREATE TRIGGER refuse_rows BEFORE INSERT ON instance WHEN NEW.instance_study_uid = '\(refusedStudy)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test: database or disk is full'); END
                """)
        }
        try await archive.close()
    }

    static func acceptRows(in archive: Archive) async throws {
        let writer = try #require(archive.index.writer)
        _ = try await writer.write { connection in try connection.execute("DROP TRIGGER refuse_rows") }
    }

    static func instances() -> (indexed: ArchiveFixtures.Instance, left: ArchiveFixtures.Instance) {
        var indexed = ArchiveFixtures.Instance()
        indexed.studyUID = "1.2.826.0.1.3680043.10.543.81"
        indexed.seriesUID = "1.2.826.0.1.3680043.10.543.81.1"
        indexed.sopInstanceUID = "1.2.826.0.1.3680043.10.543.81.1.1"
        var left = ArchiveFixtures.Instance()
        left.studyUID = "1.2.826.0.1.3680043.10.543.82"
        left.seriesUID = "1.2.826.0.1.3680043.10.543.82.1"
        left.sopInstanceUID = "1.2.826.0.1.3680043.10.543.82.1.1"
        return (indexed, left)
    }

    static func relativePath(_ instance: ArchiveFixtures.Instance) throws -> String {
        try InstanceStore.relativePath(studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
    }

    @Test("it opens, serves the indexed instance, and records the one left once the index commits")
    func recordedOnceTheIndexCommits() async throws {
        let root = try ArchiveFixtures.temporaryDirectory("open-unindexed")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (indexed, left) = Self.instances()
        try await Self.prepare(root: root, indexed: indexed, left: left, refusedStudy: left.studyUID)

        let archive = try await Archive.open(storage: root, settleDelay: .seconds(3600), logger: ArchiveFixtures.logger)
        #expect(!archive.unindexed.isEmpty, "the left instance's rows were to fail")
        #expect(try await archive.index.instance(sopInstanceUID: indexed.sopInstanceUID) != nil)
        #expect(try await archive.index.instance(sopInstanceUID: left.sopInstanceUID) == nil)
        #expect(UnindexedSupersededTests.placedFiles(of: archive) == [try Self.relativePath(indexed)], "not placed without its rows")
        #expect(archive.store.incomingNames().count == 1, "kept in incoming/")

        try await Self.acceptRows(in: archive)
        await archive.awaitAcknowledgedInstances()
        #expect(archive.unindexed.isEmpty)
        let record = try #require(try await archive.index.instance(sopInstanceUID: left.sopInstanceUID))
        #expect(record.path == (try Self.relativePath(left)))
        #expect(FileSystem.fileSize(archive.store.absolutePath(record.path)) == record.fileSize, "placed when recorded")
        try await archive.settle()
        #expect(archive.store.incomingNames().isEmpty)
        try await archive.close()
    }

    @Test("a newer copy stored while the left one waits wins, and the left one is discarded")
    func newerCopyWins() async throws {
        let root = try ArchiveFixtures.temporaryDirectory("open-unindexed")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (indexed, left) = Self.instances()
        try await Self.prepare(root: root, indexed: indexed, left: left, refusedStudy: left.studyUID)

        let archive = try await Archive.open(storage: root, settleDelay: .seconds(3600), logger: ArchiveFixtures.logger)
        #expect(!archive.unindexed.isEmpty)
        var newer = left
        newer.studyUID = "1.2.826.0.1.3680043.10.543.83"
        newer.seriesUID = "1.2.826.0.1.3680043.10.543.83.1"
        newer.pixelCount = 128
        let arrival = try ArchiveReceiveTests.arrival(newer, in: archive)
        let (result, placed) = await ArchiveReceiveTests.receive(arrival, newer.sopInstanceUID, placedAt: try Self.relativePath(newer), in: archive)
        #expect(throws: Never.self) { try result.get() }
        #expect(placed)

        try await Self.acceptRows(in: archive)
        await archive.awaitAcknowledgedInstances()
        #expect(archive.unindexed.isEmpty)
        let record = try #require(try await archive.index.instance(sopInstanceUID: left.sopInstanceUID))
        #expect(record.studyInstanceUID == newer.studyUID, "the newer copy's rows, not the older's")
        #expect(UnindexedSupersededTests.placedFiles(of: archive) == [try Self.relativePath(indexed), try Self.relativePath(newer)].sorted())
        try await archive.settle()
        #expect(archive.store.incomingNames().isEmpty, "the older copy's incoming/ name is gone too")
        try await archive.close()
    }
}
