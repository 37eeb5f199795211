import DICOMCore
public import Logging
import NIOPosix

/// An archive: an ``InstanceStore`` of files and the ``ArchiveIndex`` that finds them, with
/// the rules for adding an instance (``ingest(_:expectedSOPInstanceUID:)``).
///
/// ```swift
/// let archive = try await Archive.open(storage: "netdicom-archive")   // SQLite inside
/// let outcome = try await archive.importFile(at: "ct.dcm")
/// try await archive.close()
/// ```
public final class Archive: Sendable {
    /// The files.
    public let store: InstanceStore
    /// The index.
    public let index: ArchiveIndex
    /// What happens to a second copy of a stored SOP Instance UID.
    public let duplicatePolicy: DuplicatePolicy
    let logger: Logger

    /// An archive of `store` and `index`.
    public init(store: InstanceStore, index: ArchiveIndex, duplicatePolicy: DuplicatePolicy = .replace, logger: Logger = Logger(label: "netdicom.archive")) {
        self.store = store
        self.index = index
        self.duplicatePolicy = duplicatePolicy
        self.logger = logger
    }

    /// Opens the archive stored in `storage` (created when missing), indexed in `database` (by
    /// default the SQLite file ``IndexDatabase/defaultSQLiteFileName`` in `storage`).
    public static func open(
        storage: String,
        database: IndexDatabase? = nil,
        duplicatePolicy: DuplicatePolicy = .replace,
        logger: Logger = Logger(label: "netdicom.archive")
    ) async throws(ArchiveError) -> Archive {
        let store = try await Self.blocking { () throws(ArchiveError) in try InstanceStore(root: storage) }
        let database = database ?? .sqlite(path: store.root + "/" + IndexDatabase.defaultSQLiteFileName)
        let index = try await ArchiveIndex.open(database, logger: logger)
        let archive = Archive(store: store, index: index, duplicatePolicy: duplicatePolicy, logger: logger)
        do {
            try await archive.indexPlacedInstances()
        } catch {
            try? await index.close()
            throw error
        }
        return archive
    }

    /// Indexes the instances a crash left placed in the tree but not indexed (still named in
    /// `incoming/`, see ``InstanceStore/placedIncomingFiles()``): none was acknowledged, but
    /// their files are in the tree, and every file of the tree must be indexed.
    func indexPlacedInstances() async throws(ArchiveError) {
        let store = self.store
        let placed = try await Self.blocking { () throws(ArchiveError) -> [(String, IndexedInstance)] in
            store.placedIncomingFiles().compactMap { path in
                guard let record = try? Self.record(ofFileAt: path), store.isPlaced(path, at: record.path) else { return nil }
                return (path, record)
            }
        }
        for (path, record) in placed {
            let previous = try await index.record(record)
            if let previous, previous.path != record.path { store.remove(previous.path) }
            store.discard(path)
            logger.notice("indexed \(record.sopInstanceUID), placed but not indexed before the archive stopped")
        }
    }

    /// The index record of the Part 10 file at `path`, read up to its Pixel Data.
    private static func record(ofFileAt path: String, expectedSOPInstanceUID: String? = nil) throws(ArchiveError) -> IndexedInstance {
        let read = try InstanceReader.read(path)
        let sopInstanceUID = read.dataSet.uid(.sopInstanceUID)?.string ?? ""
        if let expectedSOPInstanceUID, sopInstanceUID != expectedSOPInstanceUID {
            throw ArchiveError(.missingAttribute, "the data set's SOP Instance UID \"\(sopInstanceUID.prefix(64))\" is not the command's \(expectedSOPInstanceUID)")
        }
        let study = read.dataSet.uid(.studyInstanceUID)?.string ?? ""
        let series = read.dataSet.uid(.seriesInstanceUID)?.string ?? ""
        let relative = try InstanceStore.relativePath(studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sopInstanceUID)
        return try IndexedInstance(dataSet: read.dataSet, path: relative, fileSize: read.fileSize, transferSyntaxUID: read.transferSyntax.uid.string)
    }

    /// Closes the index.
    public func close() async throws {
        try await index.close()
    }

    /// What became of an instance handed to ``ingest(_:expectedSOPInstanceUID:)``.
    public enum Outcome: Sendable {
        /// Stored: a new instance.
        case stored(IndexedInstance)
        /// Stored in place of `previous`, the former copy of the same SOP Instance UID.
        case replaced(IndexedInstance, previous: IndexedInstance)
        /// Not stored: the archive keeps its copy (``DuplicatePolicy/keep``).
        case keptExisting(IndexedInstance)

        /// The instance's record as the archive now holds it.
        public var instance: IndexedInstance {
            switch self {
            case .stored(let instance), .replaced(let instance, _), .keptExisting(let instance): instance
            }
        }
    }

    /// Adds the durable Part 10 file at `path` (a file of ``InstanceStore/incomingDirectory``,
    /// which it takes over: placed, or removed): reads its data set up to Pixel Data,
    /// applies the duplicate policy, places it durably, then indexes it. When this
    /// returns, the instance survives a crash and is visible to queries.
    ///
    /// - Parameter expectedSOPInstanceUID: the SOP Instance UID of the C-STORE command, which
    ///   the data set must carry too.
    /// - Throws: ``ArchiveError/Code/unsafeUID``, ``ArchiveError/Code/missingAttribute``,
    ///   ``ArchiveError/Code/unreadableInstance`` (refused: the file is removed);
    ///   ``ArchiveError/Code/duplicate`` under ``DuplicatePolicy/reject``;
    ///   ``ArchiveError/Code/fileSystem`` or ``ArchiveError/Code/database`` when storing failed.
    @discardableResult
    public func ingest(_ path: String, expectedSOPInstanceUID: String? = nil) async throws(ArchiveError) -> Outcome {
        let store = self.store
        let record: IndexedInstance
        do {
            record = try await Self.blocking { () throws(ArchiveError) in
                try Self.record(ofFileAt: path, expectedSOPInstanceUID: expectedSOPInstanceUID)
            }
        } catch {
            store.discard(path)
            throw error
        }

        // The duplicate check, the placing and the rows in one transaction of the index.
        let placing = ArchiveIndex.Placing(place: { _ throws(ArchiveError) in
            try store.place(path, at: record.path)
        }, undo: { previous in
            // Not acknowledged: take back a file no record points to.
            if previous?.path != record.path { store.remove(record.path) }
        })
        let outcome: Outcome
        do {
            outcome = try await index.record(record, duplicatePolicy: duplicatePolicy, placing: placing)
        } catch {
            store.discard(path)
            if error.code == .duplicate { logger.notice("refusing a second copy of \(record.sopInstanceUID)") }
            throw error
        }
        // Placed and indexed (or kept out): the incoming name, the journal of the placing, goes.
        store.discard(path)
        switch outcome {
        case .stored:
            break
        case .replaced(_, let previous):
            logger.notice("replaced the stored copy of \(record.sopInstanceUID)")
            if previous.path != record.path { store.remove(previous.path) }
        case .keptExisting:
            logger.notice("keeping the stored copy of \(record.sopInstanceUID); the new one is discarded")
        }
        return outcome
    }

    /// Copies the Part 10 file at `path` byte for byte into the archive (through `incoming/`, as
    /// a received instance) and ingests it. For tools and tests; the network path streams instead.
    @discardableResult
    public func importFile(at path: String) async throws(ArchiveError) -> Outcome {
        let store = self.store
        let incoming = try await Self.blocking { () throws(ArchiveError) -> String in
            let source: Part10FileSource
            do {
                source = try Part10FileSource(path: path)
            } catch {
                throw ArchiveError(.unreadableInstance, "\(path): \(error)")
            }
            guard let incoming = store.incomingPath(for: source.sopInstanceUID.string) else {
                throw ArchiveError(.unsafeUID, "\(path) has no valid SOP Instance UID")
            }
            try FileSystem.copyDurably(path, to: incoming)
            return incoming
        }
        return try await ingest(incoming)
    }

    /// Runs blocking file work on NIO's thread pool, off the event loops.
    static func blocking<Result: Sendable>(_ work: @escaping @Sendable () throws(ArchiveError) -> Result) async throws(ArchiveError) -> Result {
        do {
            return try await NIOThreadPool.singleton.runIfActive { try work() }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.fileSystem, "\(error)")
        }
    }
}
