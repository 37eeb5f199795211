@testable import DICOMArchive
import DICOMCore
import Foundation
import NIOCore
import Testing

/// `Archive.receive`, the network's way in: the answer comes once the instance is read (on
/// SQLite before it is placed and its index rows commit), and whoever reads the index
/// afterwards finds it, in its place.
@Suite("Archive receive: answered once read, found in place by whoever reads after")
struct ArchiveReceiveTests {
    /// A durable arrival in `incoming/` of `archive`, as the network leaves one.
    static func arrival(_ instance: ArchiveFixtures.Instance, in archive: Archive) throws -> String {
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("receive"))
        let incoming = try #require(archive.store.incomingPath(for: instance.sopInstanceUID))
        try FileSystem.copyDurably(source, to: incoming)
        return incoming
    }

    /// `receive`, awaited until it acknowledges; whether the file was in its place by then.
    static func receive(_ path: String, _ uid: String, placedAt relative: String, in archive: Archive) async -> (Result<Void, ArchiveError>, placed: Bool) {
        await withCheckedContinuation { continuation in
            archive.receive(path, expectedSOPInstanceUID: uid) { result in
                continuation.resume(returning: (result, FileSystem.fileSize(archive.store.absolutePath(relative)) != nil))
            }
        }
    }

    @Test("an acknowledged instance is found by the index's readers, its file in place", arguments: TestBackend.all)
    func acknowledged(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        #expect(test.archive.acknowledgesBeforeIndexing == (backend == .sqlite))
        var instances: [ArchiveFixtures.Instance] = []
        for number in 1...20 {
            var instance = ArchiveFixtures.Instance()
            instance.sopInstanceUID = "1.2.826.0.1.3680043.10.543.1.1.\(number)"
            instances.append(instance)
        }
        var relatives: [String] = []
        for instance in instances {
            let relative = try InstanceStore.relativePath(
                studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
            relatives.append(relative)
            let (result, _) = await Self.receive(try Self.arrival(instance, in: test.archive), instance.sopInstanceUID, placedAt: relative, in: test.archive)
            #expect(throws: Never.self) { try result.get() }
        }
        // No waiting here: the index's readers wait for what was acknowledged.
        #expect(try await test.archive.index.counts().instances == instances.count)
        for relative in relatives {
            #expect(FileSystem.fileSize(test.archive.store.absolutePath(relative)) != nil, "placed before its rows commit")
        }
        let last = try #require(try await test.archive.index.instance(sopInstanceUID: instances[19].sopInstanceUID))
        #expect(last.path == relatives[19])
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("a second copy received replaces the first in place; on SQLite the replaced file is freed at once, small or large (over 64 KiB), else it keeps a name in incoming/ until settled",
          arguments: TestBackend.all, [256, 40_000])
    func replacement(_ backend: TestBackend, pixelCount: Int) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        var instance = ArchiveFixtures.Instance()
        let relative = try InstanceStore.relativePath(
            studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
        let (first, _) = await Self.receive(try Self.arrival(instance, in: test.archive), instance.sopInstanceUID, placedAt: relative, in: test.archive)
        #expect(throws: Never.self) { try first.get() }
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty, "nothing superseded: no name left")

        instance.pixelCount = pixelCount
        let second = try Self.arrival(instance, in: test.archive)
        let secondBytes = try Data(contentsOf: URL(fileURLWithPath: second))
        let (result, _) = await Self.receive(second, instance.sopInstanceUID, placedAt: relative, in: test.archive)
        #expect(throws: Never.self) { try result.get() }
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID))
        #expect(record.fileSize == secondBytes.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: test.archive.store.absolutePath(relative))) == secondBytes, "in place once found")
        let kept = test.archive.store.incomingNames().filter { $0.hasSuffix(InstanceStore.supersededSuffix) }
        // Answered before the rows, nothing puts the replaced file back: it goes at once.
        #expect(kept.count == (test.archive.acknowledgesBeforeIndexing ? 0 : 1), "\(kept)")
        #expect(try await test.archive.index.counts().instances == 1)
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty, "the arrival's name and the replaced file's are removed")
    }

    @Test("an arrival received with its data set's bytes is recorded from them, as from its file", arguments: TestBackend.all)
    func keptDataSet(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let path = try Self.arrival(instance, in: test.archive)
        let file = try FileSystem.contents(of: path, offset: 0, length: 1 << 20)
        let header = try DICOMFile.readHeader(file)
        let bytes = try #require(file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset))
        let result = await withCheckedContinuation { continuation in
            test.archive.receive(path, expectedSOPInstanceUID: instance.sopInstanceUID, dataSet: ArrivalDataSet(bytes: bytes, transferSyntax: header.transferSyntax)) {
                continuation.resume(returning: $0)
            }
        }
        #expect(throws: Never.self) { try result.get() }
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID))
        #expect(record.fileSize == file.readableBytes)
        #expect(record.studyInstanceUID == instance.studyUID && record.seriesInstanceUID == instance.seriesUID)
    }

    @Test("an arrival that is no instance of its command is refused, and removed", arguments: TestBackend.all)
    func refused(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let path = try Self.arrival(instance, in: test.archive)
        let relative = try InstanceStore.relativePath(
            studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
        let (result, placed) = await Self.receive(path, "1.2.826.0.1.3680043.10.543.99", placedAt: relative, in: test.archive)
        guard case .failure(let error) = result else { Issue.record("expected a refusal"); return }
        #expect(error.code == .identityMismatch)
        #expect(!placed)
        await test.archive.awaitAcknowledgedInstances()
        // On SQLite placing follows the answer: checked again once the writer is done.
        #expect(FileSystem.fileSize(test.archive.store.absolutePath(relative)) == nil, "never placed")
        #expect(FileSystem.fileSize(path) == nil, "the arrival is removed")
        #expect(try await test.archive.index.counts().instances == 0)
    }

    @Test("receiveDurable answers on the calling thread once read, on SQLite; elsewhere it leaves the arrival to receive", arguments: TestBackend.all)
    func receiveDurable(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        var relatives: [String] = []
        for number in 1...10 {
            var instance = ArchiveFixtures.Instance()
            instance.sopInstanceUID = "1.2.826.0.1.3680043.10.543.1.1.\(number)"
            let path = try Self.arrival(instance, in: test.archive)
            let relative = try InstanceStore.relativePath(
                studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
            let result = test.archive.receiveDurable(path, expectedSOPInstanceUID: instance.sopInstanceUID)
            guard backend == .sqlite else {
                #expect(result == nil, "the answer waits for the rows")
                #expect(FileSystem.fileSize(path) != nil && FileSystem.fileSize(test.archive.store.absolutePath(relative)) == nil, "nothing done")
                return
            }
            #expect(throws: Never.self) { try #require(result).get() }
            relatives.append(relative)
        }
        // No waiting here: the index's readers wait for what was acknowledged.
        #expect(try await test.archive.index.counts().instances == relatives.count)
        for relative in relatives {
            #expect(FileSystem.fileSize(test.archive.store.absolutePath(relative)) != nil, "placed before its rows commit")
        }
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("receiveDurable refuses an arrival that is no instance of its command, and removes it")
    func receiveDurableRefused() async throws {
        let test = try await TestArchive.make(.sqlite)
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let path = try Self.arrival(instance, in: test.archive)
        let result = test.archive.receiveDurable(path, expectedSOPInstanceUID: "1.2.826.0.1.3680043.10.543.99")
        guard case .failure(let error)? = result else { Issue.record("expected a refusal, not \(String(describing: result))"); return }
        #expect(error.code == .identityMismatch)
        #expect(FileSystem.fileSize(path) == nil, "the arrival is removed")
        #expect(try await test.archive.index.counts().instances == 0)
    }

    @Test("readArrival reads a kept data set before its file is there; its second half, once the file is durable, queues it with the file's length", arguments: TestBackend.all)
    func readArrival(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, settleDelay: .seconds(3600))
        defer { Task { await test.close() } }
        let instance = ArchiveFixtures.Instance()
        let source = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("read-arrival"))
        let file = try FileSystem.contents(of: source, offset: 0, length: 1 << 20)
        let header = try DICOMFile.readHeader(file)
        let bytes = try #require(file.getSlice(at: file.readerIndex + header.dataSetOffset, length: file.readableBytes - header.dataSetOffset))
        let kept = ArrivalDataSet(bytes: bytes, transferSyntax: header.transferSyntax)
        let path = try #require(test.archive.store.incomingPath(for: instance.sopInstanceUID))

        // Not an instance of its command: left to receive, which refuses it from the file.
        #expect(test.archive.readArrival(path, expectedSOPInstanceUID: "1.2.826.0.1.3680043.10.543.99", dataSet: kept) == nil)
        let queue = test.archive.readArrival(path, expectedSOPInstanceUID: instance.sopInstanceUID, dataSet: kept)
        guard backend == .sqlite else {
            #expect(queue == nil, "the answer waits for the rows")
            return
        }
        let second = try #require(queue)
        #expect(FileSystem.fileSize(path) == nil, "read without the file")
        try FileSystem.copyDurably(source, to: path)
        #expect(throws: Never.self) { try #require(second(file.readableBytes)).get() }
        let record = try #require(try await test.archive.index.instance(sopInstanceUID: instance.sopInstanceUID))
        #expect(record.fileSize == file.readableBytes)
        let relative = try InstanceStore.relativePath(
            studyInstanceUID: instance.studyUID, seriesInstanceUID: instance.seriesUID, sopInstanceUID: instance.sopInstanceUID)
        #expect(FileSystem.fileSize(test.archive.store.absolutePath(relative)) == file.readableBytes, "placed")
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }
}
