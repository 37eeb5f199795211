import DICOMCore
public import Logging
import NIOPosix
import Synchronization

/// An archive: an ``InstanceStore`` of files and the ``ArchiveIndex`` that finds them, with
/// the rules for adding an instance (``ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)``).
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
    /// The `incoming/` names of stored instances not yet known durable in place and in the index.
    let journal: IncomingJournal
    /// Acknowledged instances whose index rows failed to commit, to record again.
    let unindexed = UnindexedArrivals()
    /// The lock under which arrivals are placed and displaced files removed (``PlacingOrder``).
    let placingOrder = PlacingOrder()
    let logger: Logger

    /// How long after an instance is stored its place and index rows are made durable (with
    /// those of the instances stored meanwhile) and its `incoming/` name removed, by default.
    /// Each settling fsyncs the directories linked into and the SQLite log: every fsync is a
    /// flush of the disk's cache that the arrivals' own fsyncs queue behind, so a sender's
    /// steady stream should pay for few. At 200 ms, a stream of 3.5 ms CT instances settles once
    /// per ~57 of them (at 50 ms, once per ~14: 0.14 fsyncs more per instance than storing files
    /// alone). The price: a crash leaves up to that much more to index again at the next open.
    public static let defaultSettleDelay: Duration = .milliseconds(200)

    /// An archive of `store` and `index`.
    ///
    /// - Parameter settleDelay: how long after an instance is stored its place and index rows
    ///   are made durable, with those of the instances stored meanwhile (see ``settle()``).
    public init(
        store: InstanceStore,
        index: ArchiveIndex,
        duplicatePolicy: DuplicatePolicy = .replace,
        settleDelay: Duration = Archive.defaultSettleDelay,
        logger: Logger = Logger(label: "netdicom.archive")
    ) {
        self.store = store
        self.index = index
        self.duplicatePolicy = duplicatePolicy
        self.logger = logger
        journal = IncomingJournal(store: store, delay: settleDelay, logger: logger) { () throws(ArchiveError) in
            try await index.makeDurable()
        }
    }

    /// Opens the archive stored in `storage` (created when missing), indexed in `database` (by
    /// default the SQLite file ``IndexDatabase/defaultSQLiteFileName`` in `storage`).
    ///
    /// Opening indexes the instances that a crash or power loss left in `incoming/` (see
    /// ``InstanceStore``), placing them again where needed, before it returns.
    public static func open(
        storage: String,
        database: IndexDatabase? = nil,
        duplicatePolicy: DuplicatePolicy = .replace,
        settleDelay: Duration = Archive.defaultSettleDelay,
        logger: Logger = Logger(label: "netdicom.archive")
    ) async throws(ArchiveError) -> Archive {
        let store = try await Self.blocking { () throws(ArchiveError) in try InstanceStore(root: storage) }
        let database = database ?? .sqlite(path: store.root + "/" + IndexDatabase.defaultSQLiteFileName)
        let index = try await ArchiveIndex.open(database, logger: logger)
        let archive = Archive(store: store, index: index, duplicatePolicy: duplicatePolicy, settleDelay: settleDelay, logger: logger)
        do {
            try await archive.indexPendingInstances()
        } catch {
            try? await index.close()
            throw error
        }
        return archive
    }

    /// Indexes the complete files of `incoming/` (``InstanceStore/pendingIncomingFiles()``):
    /// instances stored before the archive stopped whose place or index rows were not known
    /// durable yet, and arrivals it had not looked at. An acknowledged one may have lost its
    /// link into the tree or its rows (power loss): it is placed and indexed again. In arrival
    /// order, the copy the tree holds last among equals, so that the newest copy of a SOP
    /// Instance UID wins as it did. A file that is no storable instance was never acknowledged
    /// and is removed.
    func indexPendingInstances() async throws(ArchiveError) {
        let store = self.store
        let pending = try await Self.blocking { () throws(ArchiveError) -> [(path: String, record: IndexedInstance?, placed: Bool)] in
            store.pendingIncomingFiles().map { path in
                let record = try? Self.record(ofFileAt: path, expectedSOPInstanceUID: InstanceStore.sopInstanceUID(ofIncoming: path))
                let placed = record.map { store.isPlaced(path, at: $0.path) } ?? false
                return (FileSystem.modificationTime(of: path) ?? 0, path, record, placed)
            }
            // Oldest first; of files as old, the one placed last.
            .sorted { ($0.0, $0.3 ? 1 : 0, $0.1) < ($1.0, $1.3 ? 1 : 0, $1.1) }
            .map { ($0.1, $0.2, $0.3) }
        }
        var failures = 0
        for (path, record, _) in pending {
            guard let record else {
                store.discard(path)
                logger.notice("removed \(path): not a storable instance, never acknowledged")
                continue
            }
            // A placed file was let in by the duplicate policy already. Asked now, not when
            // sorting: an older copy indexed just before may have taken its place.
            let placed = try await Self.blocking { store.isPlaced(path, at: record.path) }
            do {
                let outcome = try await index.record(
                    record, duplicatePolicy: placed ? .replace : duplicatePolicy, placing: placed ? nil : placing(path, record))
                await finishing(path, outcome)
                logger.notice("indexed \(record.sopInstanceUID), stored but not settled before the archive stopped")
            } catch where error.code == .duplicate {
                store.discard(path)
            } catch {
                // The archive opens all the same (a full disk must not take the indexed
                // instances offline): the arrival waits, acknowledged, for the index to commit.
                try deferRecovery(of: UnindexedArrivals.Arrival(incoming: path, record: record, placed: placed), after: error)
                failures += 1
            }
        }
        if failures > 0 {
            logger.error("opened with \(failures) acknowledged instance(s) of incoming/ not indexed yet; retried every \(Self.unindexedRetryInterval) until the index can commit")
            startRetryTimer()
        }
        do {
            try await journal.settle()
        } catch {
            logger.error("cannot make the recovered instances' places and index durable yet (retried with the next ones): \(error)")
        }
    }

    /// Leaves `arrival`, an instance of `incoming/` that opening could not index (`error`), to
    /// be recorded once the index commits again, as an acknowledged arrival whose rows failed
    /// (``UnindexedArrivals``): a newer copy stored meanwhile supersedes it. Only under the
    /// replace policy on SQLite, whose retries those are; otherwise opening fails.
    private func deferRecovery(of arrival: UnindexedArrivals.Arrival, after error: ArchiveError) throws(ArchiveError) {
        guard acknowledgesBeforeIndexing else { throw error }
        logger.error("could not index \(arrival.record.sopInstanceUID), left in incoming/ before the archive stopped: \(error)")
        placingOrder.inLock {
            if let older = unindexed.add(arrival) {
                discard(older, supersededBy: arrival.incoming, placedAt: arrival.record.path)
            }
        }
    }

    /// The index record of the Part 10 file at `path` (an arrival of `incoming/`): from `kept`,
    /// its data set as received, when given; else read whole when small, else up to its Pixel
    /// Data.
    static func record(
        ofFileAt path: String, expectedSOPInstanceUID: String? = nil, expectedSOPClassUID: String? = nil, kept: ArrivalDataSet? = nil
    ) throws(ArchiveError) -> IndexedInstance {
        try record(of: ArrivalReader.read(path, kept: kept), expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID)
    }

    /// The index record of an arrival read (``record(ofFileAt:expectedSOPInstanceUID:expectedSOPClassUID:kept:)``).
    private static func record(
        of read: ArrivalReader.Arrival, expectedSOPInstanceUID: String?, expectedSOPClassUID: String?
    ) throws(ArchiveError) -> IndexedInstance {
        let sopInstanceUID = read.dataSet.uid(.sopInstanceUID)?.string ?? ""
        // Absent is the instance's own fault (C000H), as DCMTK's storescp answers; another UID
        // is a data set that is not the request's (A900H).
        guard !sopInstanceUID.isEmpty else { throw ArchiveError(.missingAttribute, "the data set has no SOP Instance UID (0008,0018)") }
        if let expectedSOPInstanceUID, sopInstanceUID != expectedSOPInstanceUID {
            throw ArchiveError(.identityMismatch, "the data set's SOP Instance UID \"\(sopInstanceUID.prefix(64))\" is not the command's \(expectedSOPInstanceUID)")
        }
        if let expectedSOPClassUID, let sopClassUID = read.dataSet.uid(.sopClassUID)?.string, sopClassUID != expectedSOPClassUID {
            throw ArchiveError(.identityMismatch, "the data set's SOP Class UID \"\(sopClassUID.prefix(64))\" is not the command's \(expectedSOPClassUID)")
        }
        let study = read.dataSet.uid(.studyInstanceUID)?.string ?? ""
        let series = read.dataSet.uid(.seriesInstanceUID)?.string ?? ""
        let relative = try InstanceStore.relativePath(studyInstanceUID: study, seriesInstanceUID: series, sopInstanceUID: sopInstanceUID)
        return try IndexedInstance(dataSet: read.dataSet, path: relative, fileSize: read.fileSize, transferSyntaxUID: read.transferSyntax.uid.string)
    }

    /// Settles what is pending (``settle()``), then closes the index.
    public func close() async throws {
        // Last: until then, no other store opening on the root recovers this one's arrivals.
        defer { store.releaseArrivals() }
        await awaitAcknowledgedInstances()
        unindexed.close()
        do {
            try await journal.close()
        } catch {
            // The next open recovers what is left in incoming/.
            logger.error("could not settle the last instances before closing: \(error)")
        }
        try await index.close()
    }

    /// Makes every instance stored so far durable in its place and in the index and removes
    /// its `incoming/` name, at once instead of after the settle delay. Stored instances are
    /// safe without it (a crash leaves them to the next open); tools and tests use it to see
    /// `incoming/` empty.
    public func settle() async throws(ArchiveError) {
        await awaitAcknowledgedInstances()
        try await journal.settle()
    }

    /// Removes every instance: the index's rows, then the files they name and the directories
    /// that held them, and whatever is left in `incoming/` (pynetdicom qrscp's `--clean`). Other
    /// files in the storage directory are left. Returns how many instances the index held.
    /// Not while the archive serves: an instance arriving meanwhile may be left half removed.
    public func removeAll() async throws(ArchiveError) -> Int {
        try await settle()
        let paths = try await index.removeAll()
        let store = self.store
        try await Self.blocking { () throws(ArchiveError) in
            for path in paths { store.remove(path) }
            // The series directories, then the studies', once empty.
            let series = Set(paths.map(FileSystem.parent(of:)))
            let studies = Set(series.map(FileSystem.parent(of:)))
            for directory in [series, studies].joined() where directory != "." {
                FileSystem.removeDirectory(store.absolutePath(directory))
            }
            for name in store.incomingNames() { FileSystem.remove(store.incomingDirectory + "/" + name) }
            try FileSystem.syncDirectory(store.root)
        }
        return paths.count
    }

    /// What became of an instance handed to ``ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)``.
    public enum Outcome: Sendable {
        /// Stored: a new instance.
        case stored(IndexedInstance)
        /// Stored in place of `previous`, the former copy of the same SOP Instance UID.
        case replaced(IndexedInstance, previous: StoredCopy)
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
    /// - Parameters:
    ///   - expectedSOPInstanceUID: the SOP Instance UID of the C-STORE command, which the data
    ///     set must carry too.
    ///   - expectedSOPClassUID: the command's SOP Class UID, which the data set must carry too.
    /// - Throws: ``ArchiveError/Code/unsafeUID``, ``ArchiveError/Code/missingAttribute``,
    ///   ``ArchiveError/Code/unreadableInstance``, ``ArchiveError/Code/identityMismatch``
    ///   (refused: the file is removed);
    ///   ``ArchiveError/Code/duplicate`` under ``DuplicatePolicy/reject``;
    ///   ``ArchiveError/Code/fileSystem`` or ``ArchiveError/Code/database`` when storing failed.
    @discardableResult
    public func ingest(_ path: String, expectedSOPInstanceUID: String? = nil, expectedSOPClassUID: String? = nil) async throws(ArchiveError) -> Outcome {
        let store = self.store
        // Reading the data set, the duplicate check, the placing and the rows: the last three in
        // one transaction of the index, the reading just before it on the same thread.
        let outcome: Outcome
        do {
            outcome = try await index.record(reading: { () throws(ArchiveError) in
                try Self.record(ofFileAt: path, expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID)
            }, duplicatePolicy: duplicatePolicy, placing: { record in self.placing(path, record) })
        } catch {
            await Self.blocking { store.discard(path) }
            if error.code == .duplicate { logger.notice("refusing a second copy of \(expectedSOPInstanceUID ?? path)") }
            throw error
        }
        await finishing(path, outcome)
        if case .keptExisting = outcome { return outcome }
        await Self.blocking { self.settleDisplaced(outcome.instance, committedFrom: path) }
        if !unindexed.isEmpty { retryUnindexed() }
        return outcome
    }

    /// Whether ``receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)`` answers before the index
    /// rows are committed: on SQLite, under the duplicate policy ``DuplicatePolicy/replace``
    /// (the others answer after looking at what is stored).
    public var acknowledgesBeforeIndexing: Bool {
        index.recordsWithoutWaiting && duplicatePolicy == .replace
    }

    /// Takes over the received file at `path` (durable in `incoming/`) as
    /// ``ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)`` does, and calls `acknowledge` as soon as the
    /// answer is known (see ``acknowledgesBeforeIndexing``): once the data set is read, or not
    /// (the error), before the file is placed in the tree and its index rows are committed.
    /// The instance is safe by then: its `incoming/` name stays until its place and rows are
    /// durable, and the archive indexes what it finds there when it opens, should the rest
    /// fail. The index's readers wait for the place and the rows
    /// (``awaitAcknowledgedInstances()``).
    ///
    /// An arrival whose placing or rows fail after the answer (a full disk) is recorded again
    /// later (``UnindexedArrivals``); while any waits, the answer waits for the commit, as it
    /// does under the other policies: `acknowledge` is called once
    /// ``ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)`` returns.
    ///
    /// - Parameter dataSet: the data set's bytes as received, if the network kept them (a small
    ///   one): read instead of the file.
    public func receive(
        _ path: String, expectedSOPInstanceUID: String, expectedSOPClassUID: String? = nil, dataSet: ArrivalDataSet? = nil,
        acknowledge: @escaping @Sendable (Result<Void, ArchiveError>) -> Void
    ) {
        guard acknowledgesBeforeIndexing, unindexed.isEmpty else {
            return ingestThenAcknowledge(path, expectedSOPInstanceUID, expectedSOPClassUID, acknowledge)
        }
        // Read on the writer's thread (the caller may not block), and answered from there.
        let store = self.store
        let submitted = submitArrival(path, reading: { () throws(ArchiveError) in
            try Self.record(ofFileAt: path, expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID, kept: dataSet)
        }, promptly: true) { read in
            if case .failure = read { store.discard(path) }
            acknowledge(read.map { _ in })
        }
        if !submitted { ingestThenAcknowledge(path, expectedSOPInstanceUID, expectedSOPClassUID, acknowledge) }
    }

    /// ``ingest(_:expectedSOPInstanceUID:expectedSOPClassUID:)``, then `acknowledge` with how it went: the answer
    /// waits for the rows.
    private func ingestThenAcknowledge(
        _ path: String, _ expectedSOPInstanceUID: String, _ expectedSOPClassUID: String?,
        _ acknowledge: @escaping @Sendable (Result<Void, ArchiveError>) -> Void
    ) {
        Task {
            do throws(ArchiveError) {
                try await ingest(path, expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID)
                acknowledge(.success(()))
            } catch {
                acknowledge(.failure(error))
            }
        }
    }

    /// ``receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)`` on the calling thread, the
    /// I/O thread that just made the arrival at `path` durable, when it may answer before the
    /// rows (``acknowledgesBeforeIndexing``): reads the data set, queues the arrival on the
    /// index's writer (which places it and writes its rows with its next batch) and returns the
    /// answer, without the trips to the writer's thread and back before it. Returns nil, having
    /// done nothing, when the answer must wait for the rows (another duplicate policy,
    /// PostgreSQL, acknowledged arrivals waiting to be recorded again): call `receive` then.
    /// Blocks (reading a large data set's file).
    ///
    /// - Parameter dataSet: the data set's bytes as received, if the network kept them (a small
    ///   one): read instead of the file.
    public func receiveDurable(
        _ path: String, expectedSOPInstanceUID: String, expectedSOPClassUID: String? = nil, dataSet: ArrivalDataSet? = nil
    ) -> Result<Void, ArchiveError>? {
        guard acknowledgesBeforeIndexing, unindexed.isEmpty else { return nil }
        let record: IndexedInstance
        do {
            record = try Self.record(
                ofFileAt: path, expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID, kept: dataSet)
        } catch {
            store.discard(path)
            return .failure(error)
        }
        // Nobody waits for the writer: it takes the arrival with its next batch.
        guard submitArrival(path, reading: { record }, promptly: false, onRead: { _ in }) else { return nil }
        return .success(())
    }

    /// ``receiveDurable(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:)`` in two halves,
    /// for an arrival whose whole data set the network kept (`dataSet`): this one reads it, not
    /// touching the file at `path`, so that it may run while the file is made durable; the half
    /// it returns, called once the file is durable there with `fileLength` bytes, queues the
    /// arrival on the index's writer and returns the answer. Neither blocks. Nil from either,
    /// having done nothing: answer with ``receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)``
    /// (the answer must wait for the rows, or the data set did not read: refused from the file).
    public func readArrival(
        _ path: String, expectedSOPInstanceUID: String, expectedSOPClassUID: String? = nil, dataSet: ArrivalDataSet
    ) -> (@Sendable (_ fileLength: Int) -> Result<Void, ArchiveError>?)? {
        guard acknowledgesBeforeIndexing, unindexed.isEmpty, !dataSet.isPrefix, let arrival = ArrivalReader.read(kept: dataSet),
              let read = try? Self.record(of: arrival, expectedSOPInstanceUID: expectedSOPInstanceUID, expectedSOPClassUID: expectedSOPClassUID) else {
            return nil
        }
        return { [self] fileLength in
            guard acknowledgesBeforeIndexing, unindexed.isEmpty else { return nil }
            var record = read
            record.fileSize = fileLength
            // Nobody waits for the writer: it takes the arrival with its next batch.
            guard submitArrival(path, reading: { [record] in record }, promptly: false, onRead: { _ in }) else { return nil }
            return .success(())
        }
    }

    /// Queues the arrival at `path` on SQLite's writer, answered before its rows: `read` (its
    /// record) runs on the writer's thread before the batch's transaction and `onRead` gets what
    /// it returned; in the transaction, the arrival is placed as the copy it replaces requires
    /// (no guess: one link for a new instance) and its rows written. Placing there, in the order
    /// the rows commit, keeps every copy of a SOP Instance UID in step with its rows, and takes
    /// the placing off the answer's way. False, having done nothing, on PostgreSQL.
    private func submitArrival(
        _ path: String, reading read: @escaping @Sendable () throws(ArchiveError) -> IndexedInstance, promptly: Bool,
        onRead: @escaping @Sendable (Result<IndexedInstance, ArchiveError>) -> Void
    ) -> Bool {
        // What was read, once acknowledged: to record again if the rows fail.
        let acknowledged = Mutex<IndexedInstance?>(nil)
        // Whether it was placed.
        let placed = Mutex(false)
        let store = self.store
        let unindexed = self.unindexed
        let placingOrder = self.placingOrder
        let placing = { @Sendable (record: IndexedInstance) in
            // Acknowledged: nothing puts a replaced copy back should the rows fail (the arrival
            // stays placed and its rows are recorded again), so a replaced file is freed at
            // once, by the rename over it. Kept under a name until settled, large replaced
            // files were freed in batches, and a resent CT series got slower round after round
            // (scripts/bench archive-store --rounds: 1.1-1.3x storescp late in a run, against
            // about 1.0x freed at once).
            ArchiveIndex.Placing(place: { previous throws(ArchiveError) in
                try placingOrder.inLock { () throws(ArchiveError) in
                    try store.place(path, at: record.path, durable: false, replacing: previous?.path == record.path, keepingReplaced: false)
                    unindexed.markSuperseded(record.sopInstanceUID, by: path, at: record.path)
                    placed.withLock { $0 = true }
                }
            }, undo: { _ in })
        }
        return index.submitRecord(reading: read, duplicatePolicy: .replace, placing: placing, read: { read in
            if case .success(let record) = read { acknowledged.withLock { $0 = record } }
            onRead(read)
        }, promptly: promptly) { [self] recorded in
            rowsRecorded(path, acknowledged.withLock { $0 }, placed: placed.withLock { $0 }, recorded)
        }
    }

    /// What follows the commit (or failure) of the rows of an arrival at `path` answered before
    /// them: `record` is what was read and acknowledged (nil when it was refused when read),
    /// `placed` whether it is in the tree. On the writer's thread.
    private func rowsRecorded(_ path: String, _ record: IndexedInstance?, placed: Bool, _ recorded: Result<Outcome, ArchiveError>) {
        switch recorded {
        case .success(let outcome):
            finish(path, outcome, keptReplaced: false)
            settleDisplaced(outcome.instance, committedFrom: path)
            if !unindexed.isEmpty { retryUnindexed() }
        case .failure(let error):
            // Refused when read (answered so), or acknowledged: recorded again later, and
            // placed then if it is not.
            guard let record else { return }
            logger.error("could not index \(record.sopInstanceUID), acknowledged: it is indexed again once the index can commit: \(error)")
            placingOrder.inLock {
                if let older = unindexed.add(UnindexedArrivals.Arrival(incoming: path, record: record, placed: placed)) {
                    discard(older, supersededBy: path, placedAt: record.path)
                }
            }
            startRetryTimer()
        }
    }

    /// Removes what the committed copy of `instance` (arrived at `path`) displaced among the
    /// acknowledged copies whose rows were never committed: their `incoming/` names, and their
    /// placed files left elsewhere in the tree. In ``placingOrder``'s lock, so that no copy is
    /// placed at such a file's path meanwhile. Blocks.
    private func settleDisplaced(_ instance: IndexedInstance, committedFrom path: String) {
        placingOrder.inLock {
            guard let displaced = unindexed.committed(instance.sopInstanceUID, incoming: path, at: instance.path) else { return }
            if let older = displaced.arrival { discard(older, supersededBy: path, placedAt: instance.path) }
            for file in displaced.obsoleteFiles {
                store.remove(file)
                logger.notice("\(instance.sopInstanceUID): removed \(file), an uncommitted copy's file, now that a newer copy's rows are committed")
            }
        }
    }

    /// Waits until the instances acknowledged so far are indexed (or their indexing failed):
    /// what a query, a retrieve or a Storage Commitment request must see. Acknowledged
    /// instances whose rows failed to commit are recorded again first.
    public func awaitAcknowledgedInstances() async {
        if !unindexed.isEmpty { retryUnindexed() }
        await index.awaitSubmittedRecords()
    }

    /// How often acknowledged instances whose rows failed to commit are recorded again, when
    /// nothing else (a commit that succeeds, a query) tries sooner.
    static let unindexedRetryInterval: Duration = .seconds(1)

    /// Queues the recording of the acknowledged instances whose rows failed to commit (those
    /// not queued already), on SQLite's writer. Does not wait.
    private func retryUnindexed() {
        for arrival in unindexed.takeForRetry() {
            let unindexed = self.unindexed
            let placing = arrival.placed ? nil : placing(arrival.incoming, arrival.record)
            let submitted = index.submitRecord(again: arrival.record, placing: placing, isCurrent: { unindexed.isCurrent(arrival) }) { [self] result in
                switch result {
                case .success(let outcome?):
                    finish(arrival.incoming, outcome)
                    settleDisplaced(outcome.instance, committedFrom: arrival.incoming)
                    logger.notice("indexed \(arrival.record.sopInstanceUID), acknowledged before its rows could be committed")
                case .success(nil), .failure:
                    // Superseded by a newer copy (which discards it once committed), or still
                    // failing.
                    unindexed.retryFailed(arrival)
                }
            }
            if !submitted { unindexed.retryFailed(arrival) }
        }
    }

    /// Starts retrying the unindexed instances every ``unindexedRetryInterval`` until none is
    /// left (or the archive closes), unless that runs already.
    private func startRetryTimer() {
        guard unindexed.startTimer() else { return }
        Task { [self] in
            repeat {
                try? await Task.sleep(for: Self.unindexedRetryInterval)
                retryUnindexed()
            } while unindexed.continueTimer()
        }
    }

    /// Removes `older`, an acknowledged copy whose rows were never committed, now that the copy
    /// arrived at `incoming` (placed at `relativePath`) replaces it: its `incoming/` name, the
    /// name that kept the file its own placing replaced, and, when the newer copy took its
    /// place in the tree, the name that kept it then. Blocks.
    private func discard(_ older: UnindexedArrivals.Arrival, supersededBy incoming: String, placedAt relativePath: String) {
        store.discard(older.incoming)
        store.discard(InstanceStore.supersededPath(of: older.incoming))
        if older.record.path == relativePath { store.discard(InstanceStore.supersededPath(of: incoming)) }
        logger.notice("\(older.record.sopInstanceUID): a newer copy replaced the one whose rows were not committed")
    }

    /// Placing the arrival at `path` as `record` says, in the index's transaction: linked into
    /// the tree, not yet durably (the journal settles it), replacing the stored copy's file
    /// when it is filed there. A file it replaces keeps a name in `incoming/` until the journal
    /// removes it.
    private func placing(_ path: String, _ record: IndexedInstance) -> ArchiveIndex.Placing {
        let store = self.store
        let unindexed = self.unindexed
        let placingOrder = self.placingOrder
        return ArchiveIndex.Placing(place: { previous throws(ArchiveError) in
            try placingOrder.inLock { () throws(ArchiveError) in
                try store.place(path, at: record.path, durable: false, replacing: previous?.path == record.path)
                unindexed.markSuperseded(record.sopInstanceUID, by: path, at: record.path)
            }
        }, undo: { previous in
            unindexed.unmarkSuperseded(record.sopInstanceUID, by: path)
            // Not acknowledged: put back the file it replaced, or take back a file no record
            // points to.
            if (try? store.restore(InstanceStore.supersededPath(of: path), at: record.path)) != nil { return }
            if previous?.path != record.path {
                placingOrder.inLock {
                    store.remove(record.path)
                    store.removeEmptyDirectories(above: record.path)
                }
            }
        })
    }

    /// What follows recording the arrival at `path`: a copy kept out goes; a replaced copy
    /// filed elsewhere goes; the arrival's `incoming/` name (and the name that keeps the copy
    /// it replaced in place) waits in the journal until its place and rows are durable. Blocks
    /// in the first two cases (``finishes(_:)`` is false).
    ///
    /// - Parameter keptReplaced: whether placing kept a replaced file under a name of its own,
    ///   when known; otherwise a copy replaced in place is taken to have been.
    private func finish(_ path: String, _ outcome: Outcome, keptReplaced: Bool? = nil) {
        switch outcome {
        case .keptExisting(let record):
            store.discard(path)
            logger.notice("keeping the stored copy of \(record.sopInstanceUID); the new one is discarded")
        case .replaced(let record, let previous):
            if previous.path != record.path { store.remove(previous.path) }
            journal.add(incoming: path, placedAt: record.path, supersedes: keptReplaced ?? (previous.path == record.path))
            logger.notice("replaced the stored copy of \(record.sopInstanceUID)")
        case .stored(let record):
            journal.add(incoming: path, placedAt: record.path, supersedes: keptReplaced ?? false)
        }
    }

    /// Whether ``finish(_:_:)`` of `outcome` does not block.
    private static func finishes(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .stored: true
        case .replaced(let record, let previous): previous.path == record.path
        case .keptExisting: false
        }
    }

    /// ``finish(_:_:)`` from an async context: on the thread pool when it blocks.
    private func finishing(_ path: String, _ outcome: Outcome) async {
        if Self.finishes(outcome) { return finish(path, outcome) }
        await Self.blocking { self.finish(path, outcome) }
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

    /// Runs blocking file work that cannot fail on NIO's thread pool, off the event loops (and
    /// off the association's loop, where the store handler runs).
    static func blocking(_ work: @escaping @Sendable () -> Void) async {
        _ = try? await NIOThreadPool.singleton.runIfActive { work() }
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
