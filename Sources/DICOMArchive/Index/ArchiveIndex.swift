import DICOMCore
import Foundation
public import Logging
import PostgresKit
import SQLKit
import Synchronization

/// The archive's index: one row per patient, study, series and instance, in SQLite or
/// PostgreSQL through SQLKit (the SQL is the same for both).
///
/// ```swift
/// let index = try await ArchiveIndex.open(.sqlite(path: "archive/index.sqlite"))
/// try await index.record(IndexedInstance(dataSet: dataSet, path: path, fileSize: size, transferSyntaxUID: syntax))
/// for match in try await index.search(try Query(identifier: identifier), level: .study) { … }
/// try await index.close()
/// ```
///
/// Opening migrates the schema to the newest version (see ``schemaVersion``). Several processes
/// may share one PostgreSQL index: every write is one transaction, and migrations take a lock.
public final class ArchiveIndex: Sendable {
    /// The database this index lives in.
    public let database: IndexDatabase
    let pool: SQLConnectionPool
    /// The SQLite index's one writer (nil on PostgreSQL, where every write goes through the pool).
    let writer: SQLiteWriter?
    let logger: Logger

    private init(database: IndexDatabase, pool: SQLConnectionPool, writer: SQLiteWriter?, logger: Logger) {
        self.database = database
        self.pool = pool
        self.writer = writer
        self.logger = logger
    }

    /// Opens (creating or migrating as needed) the index in `database`.
    ///
    /// - Throws: ``ArchiveError/Code/invalidConfiguration`` for a malformed URL;
    ///   ``ArchiveError/Code/database`` when the database cannot be reached or migrated.
    public static func open(_ database: IndexDatabase, logger: Logger = Logger(label: "netdicom.archive.index")) async throws(ArchiveError) -> ArchiveIndex {
        let pool = try SQLConnectionPool.make(database, logger: logger)
        do {
            try await ArchiveIndex(database: database, pool: pool, writer: nil, logger: logger).migrate()
        } catch {
            try? await pool.shutdown()
            if let error = error as? ArchiveError { throw error }
            throw ArchiveError(.database, "cannot open the index (\(database)): \(String(reflecting: error))")
        }
        guard case .sqlite(let path) = database else {
            return ArchiveIndex(database: database, pool: pool, writer: nil, logger: logger)
        }
        do {
            return ArchiveIndex(database: database, pool: pool, writer: try SQLiteWriter(path: path), logger: logger)
        } catch {
            try? await pool.shutdown()
            throw error
        }
    }

    /// Closes the database connections. The index cannot be used afterwards.
    public func close() async throws {
        try await writer?.close()
        try await pool.shutdown()
    }

    // MARK: - Recording instances

    /// Records `instance`, replacing the record of the same SOP Instance UID if there is one, and
    /// creating or updating its patient, study and series rows, all in one transaction. A value
    /// the new instance lacks keeps the patient's, study's or series' former value.
    ///
    /// Call it only once the instance's file is durable in its place: a recorded instance is
    /// visible to queries and retrieves at once.
    ///
    /// - Returns: the copy it replaced, if any.
    @discardableResult
    public func record(_ instance: IndexedInstance) async throws(ArchiveError) -> StoredCopy? {
        switch try await record(instance, duplicatePolicy: .replace, placing: nil) {
        case .replaced(_, let previous): previous
        case .stored, .keptExisting: nil
        }
    }

    /// How ``record(_:duplicatePolicy:placing:)`` puts the file in place once the duplicate
    /// policy let the instance in, and takes it back if its rows are not committed.
    struct Placing: Sendable {
        /// Places the file, given the copy it replaces. Blocks.
        var place: @Sendable (_ previous: StoredCopy?) throws(ArchiveError) -> Void
        /// Undoes ``place`` after a failure.
        var undo: @Sendable (_ previous: StoredCopy?) -> Void
    }

    /// Records `instance` under `duplicatePolicy` in one transaction (on PostgreSQL, a new
    /// instance in one statement): looks up the stored copy of its SOP Instance UID (its
    /// instance row alone; the whole record only to keep it), applies the policy, places the
    /// file (`placing`), then writes the rows. Returns once committed; the caller removes the
    /// replaced record's file if it was elsewhere.
    ///
    /// - Throws: ``ArchiveError/Code/duplicate`` under ``DuplicatePolicy/reject``; what placing
    ///   threw; ``ArchiveError/Code/database``.
    func record(_ instance: IndexedInstance, duplicatePolicy: DuplicatePolicy, placing: Placing?) async throws(ArchiveError) -> Archive.Outcome {
        do {
            if let writer {
                return try await writer.write { connection in
                    try Self.record(instance, duplicatePolicy: duplicatePolicy, placing: placing, on: connection)
                }
            }
            return try await record(instance, duplicatePolicy: duplicatePolicy, placing: placing, on: pool)
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.database, "cannot record \(instance.sopInstanceUID): \(String(reflecting: error))")
        }
    }

    /// ``record(_:duplicatePolicy:placing:)`` of the instance `read` returns, which reads it
    /// from its file (blocking). On SQLite, `read` runs on the writer's thread just before the
    /// transaction, which saves the trips to a thread of the pool and back between reading and
    /// recording; on PostgreSQL, on the pool.
    ///
    /// - Throws: what `read` threw, or what ``record(_:duplicatePolicy:placing:)`` throws.
    func record(
        reading read: @escaping @Sendable () throws(ArchiveError) -> IndexedInstance, duplicatePolicy: DuplicatePolicy,
        placing: @escaping @Sendable (IndexedInstance) -> Placing
    ) async throws(ArchiveError) -> Archive.Outcome {
        guard let writer else {
            let instance = try await Archive.blocking(read)
            return try await record(instance, duplicatePolicy: duplicatePolicy, placing: placing(instance))
        }
        do {
            return try await writer.write(preparing: read) { connection, instance in
                try Self.record(instance, duplicatePolicy: duplicatePolicy, placing: placing(instance), on: connection)
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.database, "cannot record an instance: \(String(reflecting: error))")
        }
    }

    /// Whether ``submitRecord(reading:duplicatePolicy:placing:read:promptly:completion:)`` can record:
    /// on SQLite, whose one writer takes jobs without waiting.
    var recordsWithoutWaiting: Bool { writer != nil }

    /// ``record(_:duplicatePolicy:placing:)`` of the instance `read` returns, without waiting,
    /// on SQLite: `read` runs on the writer's thread before the transaction begins, and
    /// `onRead` is called with what it returned or threw, so that an answer that depends on that alone need not wait for the rows;
    /// `completion` is called once the rows are committed, or not. With `placing`, the file is
    /// placed in the transaction, as ``record(_:duplicatePolicy:placing:)`` does. Does nothing
    /// and returns false on PostgreSQL.
    ///
    /// - Parameter promptly: whether an answer waits for `onRead` (the writer takes the job at
    ///   once); without, the writer may take it with the next batch, a few milliseconds later.
    func submitRecord(
        reading read: @escaping @Sendable () throws(ArchiveError) -> IndexedInstance, duplicatePolicy: DuplicatePolicy,
        placing: (@Sendable (IndexedInstance) -> Placing)? = nil,
        read onRead: @escaping @Sendable (Result<IndexedInstance, ArchiveError>) -> Void,
        promptly: Bool = true,
        completion: @escaping @Sendable (Result<Archive.Outcome, ArchiveError>) -> Void
    ) -> Bool {
        guard let writer else { return false }
        writer.submit(preparing: read, prepared: { onRead($0.mapError(Self.archiveError)) }, promptly: promptly, { connection, instance in
            try Self.record(instance, duplicatePolicy: duplicatePolicy, placing: placing?(instance), on: connection)
        }, completion: { completion($0.mapError(Self.archiveError)) })
        return true
    }

    /// Records `instance` again on SQLite, without waiting and under the replace policy: an
    /// acknowledged instance whose rows failed to commit, its file placed already or placed
    /// by `placing`. In the transaction, `isCurrent` says whether it still is to be recorded
    /// (no newer copy of its SOP Instance UID came since); `completion` gets nil when it was
    /// not. Does nothing and returns false on PostgreSQL.
    func submitRecord(
        again instance: IndexedInstance, placing: Placing?, isCurrent: @escaping @Sendable () -> Bool,
        completion: @escaping @Sendable (Result<Archive.Outcome?, ArchiveError>) -> Void
    ) -> Bool {
        guard let writer else { return false }
        writer.submit(preparing: {}, promptly: false, { connection, _ in
            guard isCurrent() else { return nil }
            return try Self.record(instance, duplicatePolicy: .replace, placing: placing, on: connection)
        }, completion: { completion($0.mapError(Self.archiveError)) })
        return true
    }

    /// Waits until the records submitted so far (``submitRecord(reading:duplicatePolicy:placing:read:promptly:completion:)``)
    /// are committed or failed, so that what was acknowledged is found.
    func awaitSubmittedRecords() async {
        await writer?.awaitSubmitted()
    }

    private static func archiveError(_ error: any Error) -> ArchiveError {
        error as? ArchiveError ?? ArchiveError(.database, "cannot record an instance: \(String(reflecting: error))")
    }

    /// Whether the duplicate policy keeps `previous` (the caller then reads its record and
    /// returns ``Archive/Outcome/keptExisting(_:)``); false to go on and store.
    ///
    /// - Throws: ``ArchiveError/Code/duplicate`` under ``DuplicatePolicy/reject``.
    private static func keeps(_ previous: StoredCopy?, of instance: IndexedInstance, _ policy: DuplicatePolicy) throws(ArchiveError) -> Bool {
        guard previous != nil else { return false }
        switch policy {
        case .replace: return false
        case .keep: return true
        case .reject: throw ArchiveError(.duplicate, "\(instance.sopInstanceUID) is stored already")
        }
    }

    /// The kept copy's record, for ``Archive/Outcome/keptExisting(_:)``.
    private static func kept(_ record: IndexedInstance?, of instance: IndexedInstance) throws(ArchiveError) -> Archive.Outcome {
        guard let record else { throw ArchiveError(.database, "the record of \(instance.sopInstanceUID) is incomplete") }
        return .keptExisting(record)
    }

    /// ``record(_:duplicatePolicy:placing:)`` on the SQLite writer's thread.
    private static func record(
        _ instance: IndexedInstance, duplicatePolicy: DuplicatePolicy, placing: Placing?, on connection: SQLiteWriterConnection
    ) throws(ArchiveError) -> Archive.Outcome {
        let uid: [SQLValue] = [.text(instance.sopInstanceUID)]
        let previous = try connection.values(SQLiteStatements.storedCopy, uid).first.map { values throws(ArchiveError) in
            try StoredCopy(sopInstanceUID: instance.sopInstanceUID, values)
        }
        if try keeps(previous, of: instance, duplicatePolicy) {
            let record = try connection.execute(SQLiteStatements.instance, uid).first.map { row throws(ArchiveError) in
                do { return try IndexRow.instance(row) } catch { throw ArchiveError(.database, "cannot read the record of \(instance.sopInstanceUID): \(error)") }
            }
            return try kept(record, of: instance)
        }
        if let placing {
            try placing.place(previous)
            connection.onRollback { placing.undo(previous) }
        }
        let storedAt = IndexUpsert.timestamp()
        let patientKey = instance.patientKey
        for table in IndexUpsert.tables {
            let values = IndexUpsert.values(of: table, for: instance, storedAt: storedAt, patientKey: patientKey)
            guard table != .instance else {
                let inPlace = previous.map { $0.seriesInstanceUID == instance.seriesInstanceUID && $0.studyInstanceUID == instance.studyInstanceUID } ?? false
                try connection.execute(inPlace ? SQLiteStatements.refreshInstance : SQLiteStatements.upserts[table.depth], values)
                break
            }
            // The instances of a series arrive together, mostly in one transaction.
            if connection.upsertedParents[table.depth] == values { continue }
            try connection.execute(SQLiteStatements.upserts[table.depth], values)
            connection.upsertedParents[table.depth] = values
        }
        if let previous {
            for (table, key) in IndexPrune.emptied(by: previous, replacedWith: instance) {
                try connection.execute(SQLiteStatements.prune[table]!, [.text(key)])
                connection.forgetUpsertedParents()
            }
            return .replaced(instance, previous: previous)
        }
        return .stored(instance)
    }

    /// ``record(_:duplicatePolicy:placing:)`` through the pool (PostgreSQL), in a transaction
    /// that first takes the SOP Instance UID's advisory lock (``advisoryLockKey(_:)``): nodes
    /// sharing the database store one UID in turn, each looking up, placing and writing rows
    /// only once the other's are committed, so that a record always describes the file filed,
    /// one file is left per UID, and a duplicate policy sees every copy stored before. A
    /// transaction that PostgreSQL aborts as a deadlock or a serialization failure (two nodes
    /// pruning and filling one series) is undone and run again, up to three times.
    private func record(
        _ instance: IndexedInstance, duplicatePolicy: DuplicatePolicy, placing: Placing?, on pool: SQLConnectionPool
    ) async throws -> Archive.Outcome {
        let logger = self.logger
        var attempt = 1
        while true {
            let placed = Mutex<StoredCopy??>(nil)
            do {
                return try await pool.withPostgresTransaction(logger: logger) { connection, database in
                    try await database.raw("SELECT pg_advisory_xact_lock(\(bind: Self.advisoryLockKey(instance.sopInstanceUID)))").run()
                    let previous = try await PostgresStatements.storedCopy(instance.sopInstanceUID, on: connection, logger: logger)
                    if try Self.keeps(previous, of: instance, duplicatePolicy) {
                        return try Self.kept(try await Self.instance(instance.sopInstanceUID, in: database), of: instance)
                    }
                    if let placing {
                        try await Archive.blocking { () throws(ArchiveError) in try placing.place(previous) }
                        placed.withLock { $0 = .some(previous) }
                    }
                    try await PostgresStatements.upsert(instance, storedAt: IndexUpsert.timestamp(), on: connection, logger: logger)
                    guard let previous else { return .stored(instance) }
                    for (table, key) in IndexPrune.emptied(by: previous, replacedWith: instance) {
                        try await database.raw(IndexPrune.sql(table, key: key)).run()
                    }
                    return .replaced(instance, previous: previous)
                }
            } catch {
                if let placing, case .some(let previous) = placed.withLock({ $0 }) { placing.undo(previous) }
                guard attempt < 3, Self.isTransient(error) else { throw error }
                logger.notice("recording \(instance.sopInstanceUID) again after \(String(reflecting: error))")
                attempt += 1
            }
        }
    }

    /// The key of `sopInstanceUID`'s PostgreSQL advisory lock: its UTF-8 bytes' 64-bit FNV-1a
    /// hash. Two UIDs of one hash only wait for each other.
    static func advisoryLockKey(_ sopInstanceUID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sopInstanceUID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// Whether PostgreSQL aborted a transaction that may succeed when run again: a deadlock
    /// (40P01) or a serialization failure (40001).
    static func isTransient(_ error: any Error) -> Bool {
        guard let state = (error as? PSQLError)?.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Makes every record written so far durable. On SQLite, records are committed without
    /// an fsync of their own (see ``IncomingJournal``) and this fsyncs the log once for all; a
    /// PostgreSQL commit is durable when it returns.
    func makeDurable() async throws(ArchiveError) {
        guard let writer else { return }
        try await Archive.blocking { () throws(ArchiveError) in try writer.makeDurable() }
    }

    /// The record of the instance with `sopInstanceUID`, if indexed.
    public func instance(sopInstanceUID: String) async throws(ArchiveError) -> IndexedInstance? {
        await awaitSubmittedRecords()
        do {
            return try await pool.withDatabase(logger: logger) { database in
                try await Self.instance(sopInstanceUID, in: database)
            }
        } catch {
            throw ArchiveError(.database, "cannot read \(sopInstanceUID): \(String(reflecting: error))")
        }
    }

    /// Removes the record of the instance with `sopInstanceUID` (and its series, study and
    /// patient when it was their last instance). Returns the removed record.
    ///
    /// - Parameter path: when given, the record is removed only if it names that file (relative
    ///   to the store's root): a copy stored meanwhile elsewhere keeps its record.
    @discardableResult
    public func remove(sopInstanceUID: String, ifFiledAt path: String? = nil) async throws(ArchiveError) -> IndexedInstance? {
        do {
            return try await pool.withTransaction(logger: logger) { database in
                guard let previous = try await Self.instance(sopInstanceUID, in: database) else { return nil }
                if let path, previous.path != path { return nil }
                try await database.raw("DELETE FROM instance WHERE sop_instance_uid = \(bind: sopInstanceUID)").run()
                for (table, key) in IndexPrune.emptied(by: previous.storedCopy, replacedWith: nil) {
                    try await database.raw(IndexPrune.sql(table, key: key)).run()
                }
                return previous
            }
        } catch {
            throw ArchiveError(.database, "cannot remove \(sopInstanceUID): \(String(reflecting: error))")
        }
    }

    /// Removes every row of every level, in one transaction. Returns the paths (relative to
    /// the store's root) of the instances' files.
    func removeAll() async throws(ArchiveError) -> [String] {
        await awaitSubmittedRecords()
        do {
            return try await pool.withTransaction(logger: logger) { database in
                let paths = try await database.raw("SELECT \(unsafeRaw: IndexSchema.Link.filePath) AS path FROM instance").all()
                    .map { try $0.decode(column: "path", as: String.self) }
                for table in IndexSchema.Table.allCases.sorted(by: { $0.depth > $1.depth }) {
                    try await database.raw("DELETE FROM \(unsafeRaw: table.rawValue)").run()
                }
                return paths
            }
        } catch {
            throw ArchiveError(.database, "cannot empty the index: \(String(reflecting: error))")
        }
    }

    /// The number of rows of each level: patients, studies, series, instances.
    public func counts() async throws(ArchiveError) -> (patients: Int, studies: Int, series: Int, instances: Int) {
        await awaitSubmittedRecords()
        do {
            return try await pool.withDatabase(logger: logger) { database in
                var counts: [Int] = []
                for table in IndexSchema.Table.allCases {
                    let condition = table == .patient ? " WHERE \(IndexSchema.patientHasStudies)" : ""
                    let row = try await database.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table.rawValue)\(unsafeRaw: condition)").first()
                    counts.append(try row?.decode(column: "n", as: Int.self) ?? 0)
                }
                return (counts[0], counts[1], counts[2], counts[3])
            }
        } catch {
            throw ArchiveError(.database, "cannot count: \(String(reflecting: error))")
        }
    }

    // MARK: - Statements

    static func instance(_ sopInstanceUID: String, in database: any SQLDatabase) async throws -> IndexedInstance? {
        let sql: SQLQueryString = """
            SELECT * FROM instance
            JOIN series ON series.series_uid = instance.instance_series_uid
            JOIN study ON study.study_uid = series.series_study_uid
            JOIN patient ON patient.patient_key = study.study_patient_key
            WHERE instance.sop_instance_uid = \(bind: sopInstanceUID)
            """
        guard let row = try await database.raw(sql).first() else { return nil }
        return try IndexRow.instance(row)
    }
}

/// The statements of the SQLite writer, whose text is fixed (prepared once).
private enum SQLiteStatements {
    static let storedCopy = SQLiteStatement(StoredCopy.select + " WHERE instance.sop_instance_uid = ?1")
    static let instance = SQLiteStatement("""
        SELECT * FROM instance
        JOIN series ON series.series_uid = instance.instance_series_uid
        JOIN study ON study.study_uid = series.series_study_uid
        JOIN patient ON patient.patient_key = study.study_patient_key
        WHERE instance.sop_instance_uid = ?1
        """)
    /// By table depth.
    static let upserts = IndexSchema.Table.allCases.sorted { $0.depth < $1.depth }.map {
        SQLiteStatement(IndexUpsert.sql($0, placeholder: { "?\($0)" }))
    }
    /// The instance row of a copy stored again under the same series and study.
    static let refreshInstance = SQLiteStatement(IndexUpsert.refreshSQL(placeholder: { "?\($0)" }))
    /// By table (the patient's, study's and series' rows).
    static let prune = Dictionary(uniqueKeysWithValues: IndexPrune.parents.map { ($0, SQLiteStatement(IndexPrune.text($0, placeholder: "?1"))) })
}
