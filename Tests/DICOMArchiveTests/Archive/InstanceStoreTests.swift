@testable import DICOMArchive
import DICOMCore
import DICOMNetworkCore
import Foundation
import Testing

/// Storing: the duplicate policies, UIDs that must never become paths, the incoming directory,
/// schema migrations.
@Suite("Archive store: duplicates, unsafe UIDs, migrations")
struct InstanceStoreTests {
    static let study = "1.2.826.0.1.3680043.10.543.1"

    /// The bytes of the file at `path`.
    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test("a duplicate replaces the stored copy by default: new file, new record, old series pruned", arguments: TestBackend.all)
    func replace(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("duplicates")
        var instance = ArchiveFixtures.Instance()
        let first = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: directory))
        guard case .stored = first else { Issue.record("expected .stored, got \(first)"); return }

        instance.studyDescription = "CORRECTED"
        instance.seriesUID = "\(Self.study).9"
        instance.pixelCount = 128
        let source = try ArchiveFixtures.write(instance, into: directory)
        let second = try await test.archive.importFile(at: source)
        guard case .replaced(let record, let previous) = second else { Issue.record("expected .replaced, got \(second)"); return }
        #expect(previous.seriesInstanceUID == "\(Self.study).1")
        #expect(record.path == "\(Self.study)/\(Self.study).9/\(instance.sopInstanceUID).dcm")
        #expect(try Self.bytes(test.archive.store.absolutePath(record.path)) == Self.bytes(source))
        #expect(!FileManager.default.fileExists(atPath: test.archive.store.absolutePath(previous.path)), "the former file is removed")

        let counts = try await test.archive.index.counts()
        #expect(counts.instances == 1 && counts.series == 1 && counts.studies == 1, "the emptied series is pruned")
        let described = try await ArchiveFixtures.search(test.archive, .study, [(.studyDescription, .LO, "")], returning: .studyDescription)
        #expect(described == ["CORRECTED"])
    }

    @Test("keep: the stored copy stays and the new one is discarded", arguments: TestBackend.all)
    func keep(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, duplicatePolicy: .keep)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("duplicates")
        var instance = ArchiveFixtures.Instance()
        let original = try ArchiveFixtures.write(instance, into: directory)
        let stored = try await test.archive.importFile(at: original).instance
        instance.pixelCount = 8
        let outcome = try await test.archive.importFile(at: ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("copy")))
        guard case .keptExisting = outcome else { Issue.record("expected .keptExisting, got \(outcome)"); return }
        #expect(try Self.bytes(test.archive.store.absolutePath(stored.path)) == Self.bytes(original))
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("reject: the new copy is refused with 0111H and the stored one stays", arguments: TestBackend.all)
    func reject(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend, duplicatePolicy: .reject)
        defer { Task { await test.close() } }
        let directory = try ArchiveFixtures.temporaryDirectory("duplicates")
        var instance = ArchiveFixtures.Instance()
        let original = try ArchiveFixtures.write(instance, into: directory)
        let stored = try await test.archive.importFile(at: original).instance
        instance.pixelCount = 8
        let copy = try ArchiveFixtures.write(instance, into: ArchiveFixtures.temporaryDirectory("copy"))
        await #expect { try await test.archive.importFile(at: copy) } throws: { error in
            guard let error = error as? ArchiveError else { return false }
            return error.code == .duplicate && ArchiveService.status(for: error) == .duplicateSOPInstance
        }
        #expect(try Self.bytes(test.archive.store.absolutePath(stored.path)) == Self.bytes(original))
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
    }

    @Test("a Study, Series or SOP Instance UID that is no UID is refused with C000H and never becomes a path",
          arguments: [("../../etc", "1.2.3", "1.2.3.4"), ("1.2.3", "1.2/3", "1.2.3.4"), ("1.2.3", "1.2.3", "..")])
    func unsafeUIDs(_ uids: (String, String, String)) async throws {
        let test = try await TestArchive.make(.sqlite)
        defer { Task { await test.close() } }
        var instance = ArchiveFixtures.Instance()
        instance.studyUID = uids.0
        instance.seriesUID = uids.1
        instance.sopInstanceUID = uids.2
        let directory = try ArchiveFixtures.temporaryDirectory("unsafe")
        let path = "\(directory)/instance.dcm"
        try DICOMFile(dataSet: ArchiveFixtures.dataSet(instance), transferSyntax: .explicitVRLittleEndian).write(toFileAt: path, durable: false)
        await #expect { try await test.archive.importFile(at: path) } throws: { error in
            guard let error = error as? ArchiveError else { return false }
            return error.code == .unsafeUID && ArchiveService.status(for: error) == .cannotUnderstand
        }
        #expect(FileSystem.names(in: test.root).sorted() == ["incoming", "index.sqlite", "index.sqlite-shm", "index.sqlite-wal"].filter {
            FileManager.default.fileExists(atPath: "\(test.root)/\($0)")
        })
        try await test.archive.settle()
        #expect(test.archive.store.incomingNames().isEmpty)
        #expect(try await test.archive.index.counts().instances == 0)
    }

    @Test("placing links a new file, making its directories, and replaces a file in place, whichever it was told to expect")
    func placing() throws {
        let store = try InstanceStore(root: ArchiveFixtures.temporaryDirectory("placing"))
        let relative = "\(Self.study)/\(Self.study).1/\(Self.study).1.1.dcm"
        func arrival(_ text: String) throws -> String {
            let path = try #require(store.incomingPath(for: "\(Self.study).1.1"))
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        for expectsFile in [false, true] {
            store.remove(relative)
            let first = try arrival("first")
            #expect(try store.place(first, at: relative, durable: false, replacing: expectsFile) == nil, "nothing replaced")
            #expect(try Self.bytes(store.absolutePath(relative)) == Data("first".utf8))
            let second = try arrival("second")
            let superseded = try #require(try store.place(second, at: relative, durable: false, replacing: !expectsFile))
            #expect(try Self.bytes(store.absolutePath(relative)) == Data("second".utf8))
            #expect(try Self.bytes(superseded) == Data("first".utf8), "the replaced file keeps a name of its own")
            #expect(store.isPlaced(second, at: relative))
            for path in [first, second, superseded] { store.discard(path) }
        }
        // Not keeping the replaced file: it has no name left but its arrival's.
        store.remove(relative)
        let first = try arrival("first")
        #expect(try store.place(first, at: relative, durable: false, keepingReplaced: false) == nil)
        let second = try arrival("second")
        #expect(try store.place(second, at: relative, durable: false, keepingReplaced: false) == nil, "nothing kept")
        #expect(try Self.bytes(store.absolutePath(relative)) == Data("second".utf8))
        #expect(store.isPlaced(second, at: relative))
        #expect(FileSystem.identity(of: first)?.links == 1, "the replaced file is named only by its arrival")
        #expect(Set(store.incomingNames()) == Set([first, second].map { String($0.split(separator: "/").last!) }))
        for path in [first, second] { store.discard(path) }
    }

    @Test("not keeping the replaced file, placing told to expect one replaces it, places where none is, and makes missing directories")
    func placingExpectingAFileNotKept() throws {
        let store = try InstanceStore(root: ArchiveFixtures.temporaryDirectory("placing-expecting"))
        let relative = "\(Self.study)/\(Self.study).2/\(Self.study).2.1.dcm"
        func arrival(_ text: String) throws -> String {
            let path = try #require(store.incomingPath(for: "\(Self.study).2.1"))
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        // Directories missing, then the file missing, then a file there.
        let first = try arrival("first")
        #expect(try store.place(first, at: relative, durable: false, replacing: true, keepingReplaced: false) == nil)
        #expect(try Self.bytes(store.absolutePath(relative)) == Data("first".utf8))
        store.remove(relative)
        let second = try arrival("second")
        #expect(try store.place(second, at: relative, durable: false, replacing: true, keepingReplaced: false) == nil)
        #expect(store.isPlaced(second, at: relative))
        let third = try arrival("third")
        #expect(try store.place(third, at: relative, durable: false, replacing: true, keepingReplaced: false) == nil, "nothing kept")
        #expect(try Self.bytes(store.absolutePath(relative)) == Data("third".utf8))
        #expect(store.isPlaced(third, at: relative))
        #expect(FileSystem.identity(of: second)?.links == 1, "the replaced file is named only by its arrival")
        // Every arrival keeps its name in incoming/, and no second name is left there.
        #expect(Set(store.incomingNames()) == Set([first, second, third].map { String($0.split(separator: "/").last!) }))
    }

    @Test("relative paths are built only from safe UIDs")
    func relativePaths() throws {
        #expect(try InstanceStore.relativePath(studyInstanceUID: "1.2", seriesInstanceUID: "1.2.3", sopInstanceUID: "1.2.3.4") == "1.2/1.2.3/1.2.3.4.dcm")
        #expect(throws: ArchiveError.self) { try InstanceStore.relativePath(studyInstanceUID: "", seriesInstanceUID: "1", sopInstanceUID: "1") }
        #expect(throws: ArchiveError.self) { try InstanceStore.relativePath(studyInstanceUID: "1", seriesInstanceUID: "1\u{0}", sopInstanceUID: "1") }
        let store = try InstanceStore(root: ArchiveFixtures.temporaryDirectory("paths"))
        #expect(store.incomingPath(for: "../x") == nil)
        #expect(store.incomingPath(for: "1.2.3")?.hasPrefix(store.incomingDirectory + "/1.2.3.") == true)
    }

    @Test("opening a store removes stale temporary files of incoming/, and keeps fresh ones another node may be writing")
    func incomingCleanup() throws {
        let root = try ArchiveFixtures.temporaryDirectory("incoming")
        let store = try InstanceStore(root: root)
        let leftover = store.incomingDirectory + "/.1.2.3.dcm.AbC123"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3])))
        _ = try InstanceStore(root: root)
        #expect(FileManager.default.fileExists(atPath: leftover))
        _ = try InstanceStore(root: root, staleIncomingAge: .zero)
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    @Test("migrations are recorded once and reopening keeps the data", arguments: TestBackend.all)
    func migrations(_ backend: TestBackend) async throws {
        let test = try await TestArchive.make(backend)
        defer { Task { await test.close() } }
        try await ArchiveFixtures.populate(test.archive)
        #expect(try await test.archive.index.currentSchemaVersion() == ArchiveIndex.schemaVersion)
        // A second index on the same database (another node, or a restart) migrates nothing.
        let again = try await ArchiveIndex.open(test.archive.index.database, logger: ArchiveFixtures.logger)
        #expect(try await again.currentSchemaVersion() == ArchiveIndex.schemaVersion)
        #expect(try await again.counts().instances == ArchiveFixtures.population.count)
        try await again.close()
    }
}
