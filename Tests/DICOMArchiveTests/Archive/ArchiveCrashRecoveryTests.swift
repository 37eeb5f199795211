@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// What opening an archive does with the state a crash leaves between placing a file in the tree
/// and indexing it (the window that `kill -9` hits in QRSCPCrashSafetyTests, made here on
/// purpose): the placed file is indexed, so that the index and the files agree.
@Suite("Archive crash recovery: placed but not indexed")
struct ArchiveCrashRecoveryTests {
    /// Takes `instance` as far as a crash after placing would: durable in `incoming/`, placed in
    /// the tree, not indexed. Returns its `incoming/` path and its path in the tree.
    static func placeWithoutIndexing(_ instance: ArchiveFixtures.Instance, in archive: Archive) throws -> (incoming: String, relative: String) {
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("placed"))
        let incoming = try #require(archive.store.incomingPath(for: instance.sopInstanceUID))
        try FileSystem.copyDurably(source, to: incoming)
        let relative = try InstanceStore.relativePath(
            studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
        try archive.store.place(incoming, at: relative)
        return (incoming, relative)
    }

    @Test("a new instance placed but not indexed is indexed when the archive opens again", arguments: TestBackend.all)
    func newInstance(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let (incoming, relative) = try Self.placeWithoutIndexing(instance, in: test.archive)
        #expect(test.archive.store.pendingIncomingFiles() == [incoming])
        #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) == nil)

        // The process is gone, and its claim on its arrivals with it (IncomingOwnership).
        test.archive.store.releaseArrivals()
        let reopened = try await Archive.open(storage: test.root, database: test.archive.index.database, logger: ArchiveFixtures.logger)
        let record = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(record?.path == relative)
        #expect(record?.fileSize == FileSystem.fileSize(reopened.store.absolutePath(relative)))
        #expect(reopened.store.incomingNames().isEmpty, "the journal name is removed once indexed")
        try await reopened.close()
    }

    @Test("a replacement placed but not indexed updates the record when the archive opens again", arguments: TestBackend.all)
    func replacement(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        var instance = ArchiveFixtures.Instance()
        let stored = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("first"))).instance
        try await test.archive.settle()
        instance.pixelCount = 256
        instance.studyDescription = "SECOND COPY"
        let (incoming, relative) = try Self.placeWithoutIndexing(instance, in: test.archive)
        #expect(relative == stored.path)
        let arrival = String(incoming.split(separator: "/").last ?? "")
        #expect(Set(test.archive.store.incomingNames()) == [arrival, arrival + InstanceStore.supersededSuffix],
                "no replacement name is left behind; the replaced file keeps a name until it is settled")

        test.archive.store.releaseArrivals()
        let reopened = try await Archive.open(storage: test.root, database: test.archive.index.database, logger: ArchiveFixtures.logger)
        let record = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(record?.fileSize == FileSystem.fileSize(reopened.store.absolutePath(relative)))
        #expect(record?.fileSize != stored.fileSize)
        let described = try await ArchiveFixtures.search(reopened, .study, [(.studyDescription, .LO, "")], returning: .studyDescription)
        #expect(described == ["SECOND COPY"])
        #expect(reopened.store.incomingNames().isEmpty)
        try await reopened.close()
    }

    @Test("an arrival never placed is indexed when the archive opens (it may have been acknowledged); a file that is no instance, or not the one its name says, is removed; temporary files go once stale")
    func neverPlaced() async throws {
        let root = try ArchiveFixtures.temporaryDirectory("never-placed")
        let archive = try await Archive.open(storage: root, logger: ArchiveFixtures.logger)
        let instance = ArchiveFixtures.Instance()
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("arrived"))
        let incoming = try #require(archive.store.incomingPath(for: instance.sopInstanceUID))
        try FileSystem.copyDurably(source, to: incoming)
        // A file whose data set is another instance than its name (the C-STORE command's UID) says.
        let misnamed = try #require(archive.store.incomingPath(for: "1.2.826.0.1.3680043.10.543.9"))
        try FileSystem.copyDurably(source, to: misnamed)
        let garbage = try #require(archive.store.incomingPath(for: "1.2.826.0.1.3680043.10.543.8"))
        #expect(FileManager.default.createFile(atPath: garbage, contents: Data("not DICOM".utf8)))
        let temporary = archive.store.incomingDirectory + "/.1.2.3.dcm.XXXXXX"
        #expect(FileManager.default.createFile(atPath: temporary, contents: Data([1, 2, 3])))
        #expect(Set(archive.store.pendingIncomingFiles()) == [incoming, misnamed, garbage])
        try await archive.close()

        // Fresh temporary files stay (another node may be writing them); stale ones go.
        _ = try InstanceStore(root: root)
        #expect(FileManager.default.fileExists(atPath: temporary))
        _ = try InstanceStore(root: root, staleIncomingAge: .zero)
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(FileManager.default.fileExists(atPath: incoming))

        let reopened = try await Archive.open(storage: root, logger: ArchiveFixtures.logger)
        let record = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(record?.path == (try InstanceStore.relativePath(studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)))
        #expect(try await reopened.index.counts().instances == 1)
        #expect(reopened.store.incomingNames().isEmpty)
        try await reopened.close()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Stores sharing a root (qrscp nodes on one PostgreSQL index, a tool beside a running qrscp)
/// recover only the arrivals of stores that are gone (IncomingOwnership).
@Suite("Archive: arrivals of another open store are left to it")
struct IncomingOwnershipTests {
    @Test("a second archive opening on the root leaves the first's arrival alone while the first is open; once the first is gone, an opening recovers it; owner files come and go with their stores")
    func liveArrivalsLeftAlone() async throws {
        let root = try ArchiveFixtures.temporaryDirectory("ownership")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try await Archive.open(storage: root, database: .sqlite(path: root + "/first.sqlite"), logger: ArchiveFixtures.logger)
        let instance = ArchiveFixtures.Instance()
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("ownership-arrival"))
        let arrival = try #require(first.store.incomingPath(for: instance.sopInstanceUID))
        try FileSystem.copyDurably(source, to: arrival)
        let owners = { FileSystem.names(in: first.store.incomingDirectory).filter { $0.hasPrefix(IncomingOwnership.prefix) } }
        #expect(owners().count == 1)

        let second = try await Archive.open(storage: root, database: .sqlite(path: root + "/second.sqlite"), logger: ArchiveFixtures.logger)
        #expect(owners().count == 2)
        #expect(FileManager.default.fileExists(atPath: arrival), "another store's arrival is not taken")
        #expect(try await second.index.instance(sopInstanceUID: instance.sopInstanceUID) == nil)
        #expect(second.store.pendingIncomingFiles().isEmpty)
        #expect(first.store.pendingIncomingFiles() == [arrival])
        try await second.close()
        #expect(owners().count == 1)

        // The first one's process is gone: its owner file stays, unlocked.
        let token = try #require(InstanceStore.token(ofIncoming: arrival))
        #expect(IncomingOwnership.isLive(token: token, in: first.store.incomingDirectory))
        first.store.releaseArrivals()
        _ = FileManager.default.createFile(atPath: first.store.incomingDirectory + "/" + IncomingOwnership.prefix + token, contents: Data())
        #expect(!IncomingOwnership.isLive(token: token, in: first.store.incomingDirectory))
        let third = try await Archive.open(storage: root, database: .sqlite(path: root + "/second.sqlite"), logger: ArchiveFixtures.logger)
        #expect(try await third.index.instance(sopInstanceUID: instance.sopInstanceUID) != nil, "recovered")
        #expect(third.store.incomingNames().isEmpty)
        #expect(owners().count == 1, "the gone store's owner file is removed; the third's is there")
        try await third.close()
        #expect(owners().isEmpty)
        try? await first.index.close()
    }
}
