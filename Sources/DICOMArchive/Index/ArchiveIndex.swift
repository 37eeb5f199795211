import DICOMCore
import Foundation
public import Logging
import SQLKit

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
    let logger: Logger

    private init(database: IndexDatabase, pool: SQLConnectionPool, logger: Logger) {
        self.database = database
        self.pool = pool
        self.logger = logger
    }

    /// Opens (creating or migrating as needed) the index in `database`.
    ///
    /// - Throws: ``ArchiveError/Code/invalidConfiguration`` for a malformed URL;
    ///   ``ArchiveError/Code/database`` when the database cannot be reached or migrated.
    public static func open(_ database: IndexDatabase, logger: Logger = Logger(label: "netdicom.archive.index")) async throws(ArchiveError) -> ArchiveIndex {
        let pool = try SQLConnectionPool.make(database, logger: logger)
        let index = ArchiveIndex(database: database, pool: pool, logger: logger)
        do {
            try await index.migrate()
        } catch {
            try? await pool.shutdown()
            throw ArchiveError(.database, "cannot open the index (\(database)): \(String(reflecting: error))")
        }
        return index
    }

    /// Closes the database connections. The index cannot be used afterwards.
    public func close() async throws {
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
    /// - Returns: the record it replaced, if any.
    @discardableResult
    public func record(_ instance: IndexedInstance) async throws(ArchiveError) -> IndexedInstance? {
        do {
            return try await pool.withTransaction(logger: logger) { database in
                let previous = try await Self.instance(instance.sopInstanceUID, in: database)
                try await Self.upsert(instance, in: database)
                if let previous {
                    try await Self.pruneEmptyParents(of: previous, in: database)
                }
                return previous
            }
        } catch {
            throw ArchiveError(.database, "cannot record \(instance.sopInstanceUID): \(String(reflecting: error))")
        }
    }

    /// The record of the instance with `sopInstanceUID`, if indexed.
    public func instance(sopInstanceUID: String) async throws(ArchiveError) -> IndexedInstance? {
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
    @discardableResult
    public func remove(sopInstanceUID: String) async throws(ArchiveError) -> IndexedInstance? {
        do {
            return try await pool.withTransaction(logger: logger) { database in
                guard let previous = try await Self.instance(sopInstanceUID, in: database) else { return nil }
                try await database.raw("DELETE FROM instance WHERE sop_instance_uid = \(bind: sopInstanceUID)").run()
                try await Self.pruneEmptyParents(of: previous, in: database)
                return previous
            }
        } catch {
            throw ArchiveError(.database, "cannot remove \(sopInstanceUID): \(String(reflecting: error))")
        }
    }

    /// The number of rows of each level: patients, studies, series, instances.
    public func counts() async throws(ArchiveError) -> (patients: Int, studies: Int, series: Int, instances: Int) {
        do {
            return try await pool.withDatabase(logger: logger) { database in
                var counts: [Int] = []
                for table in IndexSchema.Table.allCases {
                    let row = try await database.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table.rawValue)").first()
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

    /// Inserts or updates the four rows of `instance`.
    static func upsert(_ instance: IndexedInstance, in database: any SQLDatabase) async throws {
        let storedAt = ISO8601DateFormatter().string(from: Date())
        try await upsert(.patient, key: instance.patientKey, instance: instance, links: [:], in: database)
        try await upsert(.study, key: instance.studyInstanceUID, instance: instance, links: [
            IndexSchema.Link.studyPatient: instance.patientKey,
        ], in: database)
        try await upsert(.series, key: instance.seriesInstanceUID, instance: instance, links: [
            IndexSchema.Link.seriesStudy: instance.studyInstanceUID,
        ], in: database)
        try await upsert(.instance, key: instance.sopInstanceUID, instance: instance, links: [
            IndexSchema.Link.instanceSeries: instance.seriesInstanceUID,
            IndexSchema.Link.instanceStudy: instance.studyInstanceUID,
            IndexSchema.Link.filePath: instance.path,
            IndexSchema.Link.fileSize: instance.fileSize,
            IndexSchema.Link.transferSyntax: instance.transferSyntaxUID,
            IndexSchema.Link.storedAt: storedAt,
        ], in: database)
    }

    /// `INSERT … ON CONFLICT (key) DO UPDATE`: the same statement in SQLite (3.24 and later)
    /// and PostgreSQL. Attribute columns keep their value when the new one is NULL; links are
    /// replaced.
    private static func upsert(
        _ table: IndexSchema.Table,
        key: String,
        instance: IndexedInstance,
        links: [String: any Encodable & Sendable],
        in database: any SQLDatabase
    ) async throws {
        var names: [String] = []
        var values: [any Encodable & Sendable] = []
        var updates: [String] = []
        if table == .patient {
            names.append(table.key)
            values.append(key)
        }
        for column in IndexSchema.columns(of: table) {
            let text = instance.attributes[column.tag]
            names.append(column.name)
            switch column.storage {
            case .text:
                values.append(text)
            case .integer:
                values.append(text.flatMap { Int($0) })
            }
            if column.name != table.key {
                updates.append("\(column.name) = COALESCE(excluded.\(column.name), \(table.rawValue).\(column.name))")
            }
            if column.folded {
                names.append(column.name + "_folded")
                values.append(text.map(IndexText.folded))
                updates.append("\(column.name)_folded = COALESCE(excluded.\(column.name)_folded, \(table.rawValue).\(column.name)_folded)")
            }
        }
        for (name, value) in links.sorted(by: { $0.key < $1.key }) {
            names.append(name)
            values.append(value)
            updates.append("\(name) = excluded.\(name)")
        }
        let sql: SQLQueryString = """
            INSERT INTO \(unsafeRaw: table.rawValue) (\(unsafeRaw: names.joined(separator: ", ")))
            VALUES (\(binds: values))
            ON CONFLICT (\(unsafeRaw: table.key)) DO UPDATE SET \(unsafeRaw: updates.joined(separator: ", "))
            """
        try await database.raw(sql).run()
    }

    /// Deletes the series, study and patient of `previous` when no instance is left under them
    /// (after an instance moved to another series, or was removed).
    private static func pruneEmptyParents(of previous: IndexedInstance, in database: any SQLDatabase) async throws {
        try await database.raw("""
            DELETE FROM series WHERE series_uid = \(bind: previous.seriesInstanceUID)
            AND NOT EXISTS (SELECT 1 FROM instance WHERE instance_series_uid = \(bind: previous.seriesInstanceUID))
            """).run()
        try await database.raw("""
            DELETE FROM study WHERE study_uid = \(bind: previous.studyInstanceUID)
            AND NOT EXISTS (SELECT 1 FROM series WHERE series_study_uid = \(bind: previous.studyInstanceUID))
            """).run()
        try await database.raw("""
            DELETE FROM patient WHERE patient_key = \(bind: previous.patientKey)
            AND NOT EXISTS (SELECT 1 FROM study WHERE study_patient_key = \(bind: previous.patientKey))
            """).run()
    }
}
