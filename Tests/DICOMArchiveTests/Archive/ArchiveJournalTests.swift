@testable import DICOMArchive
import DICOMCore
import Foundation
import Testing

/// Storing acknowledges an instance once its file is durable in `incoming/` and it is linked
/// into the tree and indexed; the link and the index rows are made durable later, many at once
/// (IncomingJournal), and the `incoming/` name stays until then. These tests take the archive
/// to the states a power loss may leave before that settling, on purpose, and check that the
/// next open gives back every acknowledged instance.
@Suite("Archive journal: settling many stores at once, and recovery before it")
struct ArchiveJournalTests {
    /// Long enough that nothing settles by itself during a test.
    static let never: Duration = .seconds(3600)

    /// What a crash does to the process: the index's connections go, and the lock on the
    /// store's arrivals (``IncomingOwnership``); nothing is settled.
    static func crash(_ archive: Archive) async throws {
        try await archive.index.close()
        archive.store.releaseArrivals()
    }

    @Test("a stored instance keeps its incoming/ name until settled; settling removes it and changes nothing else", arguments: TestBackend.all)
    func settling(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: Self.never)
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let record = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("journal"))).instance
        #expect(test.archive.store.pendingIncomingFiles().count == 1)
        #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) == record, "visible to queries at once")
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
        #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) == record)
        #expect(FileSystem.fileSize(test.archive.store.absolutePath(record.path)) == record.fileSize)
    }

    @Test("a replaced file keeps a name in incoming/ until settled, so that freeing it is not part of storing; settling removes it", arguments: TestBackend.all)
    func replacedFileSettles(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: Self.never)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("journal")
        var instance = ArchiveFixtures.Instance()
        let firstSource = try ArchiveFixtures.write(instance, into: directory)
        let firstBytes = try Data(contentsOf: URL(fileURLWithPath: firstSource))
        let first = try await test.archive.importFile(at: firstSource).instance
        try await test.archive.settle()
        instance.pixelCount = 256
        let secondSource = try ArchiveFixtures.write(instance, into: directory)
        let second = try await test.archive.importFile(at: secondSource).instance
        #expect(second.path == first.path)

        let names = test.archive.store.incomingNames()
        let superseded = try #require(names.first { $0.hasSuffix(InstanceStore.supersededSuffix) })
        #expect(names.count == 2)
        let supersededPath = test.archive.store.incomingDirectory + "/" + superseded
        #expect(try Data(contentsOf: URL(fileURLWithPath: supersededPath)) == firstBytes, "the former copy")
        #expect(try Data(contentsOf: URL(fileURLWithPath: test.archive.store.absolutePath(second.path))) == Data(contentsOf: URL(fileURLWithPath: secondSource)))

        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
        #expect(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID) == second)
    }

    @Test("with the default delay, the journal settles by itself", arguments: TestBackend.all)
    func settlesByItself(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .milliseconds(20))
        defer { Task { await test.close() } }
        try await ArchiveFixtures.populate(test.archive)
        let deadline = ContinuousClock.now + .seconds(10)
        while !test.archive.store.incomingNames().isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("power loss before settling: an acknowledged instance whose link into the tree and index row were lost is placed and indexed again at open", arguments: TestBackend.all)
    func lostLinkAndRow(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: Self.never)
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("lost"))
        let record = try await test.archive.importFile(at: source).instance
        // What may be on disk after a power loss: the incoming/ file (durable before the
        // acknowledgement), but neither the tree's new name nor the uncommitted log's row.
        #expect(FileSystem.remove(test.archive.store.absolutePath(record.path)))
        #expect(try await test.archive.index.remove(sopInstanceUID: instance.sopInstanceUID) != nil)
        try await Self.crash(test.archive)

        let reopened = try await Archive.open(storage: test.root, database: test.archive.index.database, settleDelay: Self.never, logger: ArchiveFixtures.logger)
        let recovered = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(recovered?.path == record.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: reopened.store.absolutePath(record.path))) == Data(contentsOf: URL(fileURLWithPath: source)))
        #expect(reopened.store.incomingNames().isEmpty, "recovery settles what it indexed")
        try await reopened.close()
    }

    @Test("power loss before settling a replacement: the tree and index went back to the old copy; the new copy wins at open", arguments: TestBackend.all)
    func lostReplacement(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: Self.never)
        defer { Task { await test.close() } }
        var instance = ArchiveFixtures.Instance()
        let first = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("old"))
        let old = try await test.archive.importFile(at: first).instance
        try await test.archive.settle()
        instance.pixelCount = 300
        instance.studyDescription = "NEW COPY"
        let second = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("new"))
        #expect(try await test.archive.importFile(at: second).instance.fileSize != old.fileSize)
        // The old copy's name and row, as a power loss before settling may leave them.
        let tree = test.archive.store.absolutePath(old.path)
        #expect(FileSystem.remove(tree))
        try FileSystem.copyDurably(first, to: tree)
        try await test.archive.index.record(old)
        try await Self.crash(test.archive)

        let reopened = try await Archive.open(storage: test.root, database: test.archive.index.database, settleDelay: Self.never, logger: ArchiveFixtures.logger)
        let recovered = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(recovered?.attributes[.studyDescription] == "NEW COPY")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tree)) == Data(contentsOf: URL(fileURLWithPath: second)))
        #expect(recovered?.fileSize == FileSystem.fileSize(tree))
        #expect(reopened.store.incomingNames().isEmpty)
        try await reopened.close()
    }

    @Test("two copies of one instance both unsettled at a crash: the newer one is what the archive holds after open", arguments: TestBackend.all)
    func twoUnsettledCopies(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: Self.never)
        defer { Task { await test.close() } }
        var instance = ArchiveFixtures.Instance()
        try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("older")))
        instance.pixelCount = 500
        instance.studyDescription = "NEWER"
        let newer = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("newer"))
        let record = try await test.archive.importFile(at: newer).instance
        #expect(test.archive.store.pendingIncomingFiles().count == 2)
        try await Self.crash(test.archive)

        let reopened = try await Archive.open(storage: test.root, database: test.archive.index.database, settleDelay: Self.never, logger: ArchiveFixtures.logger)
        let recovered = try await reopened.index.instance(sopInstanceUID: instance.sopInstanceUID)
        #expect(recovered?.attributes[.studyDescription] == "NEWER")
        #expect(recovered?.fileSize == record.fileSize)
        #expect(try Data(contentsOf: URL(fileURLWithPath: reopened.store.absolutePath(record.path))) == Data(contentsOf: URL(fileURLWithPath: newer)))
        #expect(reopened.store.incomingNames().isEmpty)
        try await reopened.close()
    }

    @Test("concurrent stores share transactions (group commit): each is answered after its commit, and a refused one does not undo the others", arguments: TestBackend.all)
    func groupCommit(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, duplicatePolicy: .reject)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("group")
        let base = "1.2.826.0.1.3680043.10.543.7"
        func instance(_ number: Int) -> ArchiveFixtures.Instance {
            var instance = ArchiveFixtures.Instance()
            instance.seriesUID = "\(base).\(number % 3)"
            instance.sopInstanceUID = "\(base).\(number % 3).\(number)"
            return instance
        }
        // Ten stored first: their second copies must be refused, in the same batches as new ones.
        for number in 0..<10 {
            try await test.archive.importFile(at: ArchiveFixtures.write(instance(number), into: directory))
        }
        let copies = try (0..<10).map { number in
            try ArchiveFixtures.write(instance(number), into: ArchiveFixtures.temporaryDirectory("copy"))
        }
        let fresh = try (10..<50).map { try ArchiveFixtures.write(instance($0), into: directory) }
        let archive = test.archive
        let (stored, refused) = await withTaskGroup(of: Bool?.self) { group in
            for path in copies + fresh {
                group.addTask {
                    do {
                        guard case .stored = try await archive.importFile(at: path) else { return nil }
                        return true
                    } catch let error as ArchiveError where error.code == .duplicate {
                        return false
                    } catch {
                        return nil
                    }
                }
            }
            var counts = (0, 0)
            for await outcome in group {
                if outcome == true { counts.0 += 1 } else if outcome == false { counts.1 += 1 }
            }
            return counts
        }
        #expect(stored == 40 && refused == 10)
        let counts = try await test.archive.index.counts()
        #expect(counts.instances == 50 && counts.series == 3 && counts.studies == 1 && counts.patients == 1)
        for number in 0..<50 {
            let record = try await test.archive.index.instance(sopInstanceUID: instance(number).sopInstanceUID)
            #expect(record.map { FileSystem.fileSize(test.archive.store.absolutePath($0.path)) == $0.fileSize } == true)
        }
    }
}
