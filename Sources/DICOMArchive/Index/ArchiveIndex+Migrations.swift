import Foundation
import Logging
import SQLKit

/// The index's schema, in versions applied in order. Each version's statements are idempotent
/// (`IF NOT EXISTS`), run in one transaction, and recorded in `schema_version`; opening an
/// index applies the versions it lacks. The DDL is the subset of SQL that SQLite and PostgreSQL
/// share (TEXT, BIGINT, primary keys, plain indexes).
extension ArchiveIndex {
    /// One schema version.
    struct Migration: Sendable {
        var version: Int
        var statements: [String]
    }

    /// The schema version a fully migrated index has.
    public static var schemaVersion: Int { migrations.last?.version ?? 0 }

    /// Every version, oldest first. Add new ones at the end; never edit a released one.
    static let migrations: [Migration] = [
        Migration(version: 1, statements: createTables() + [
            "CREATE INDEX IF NOT EXISTS study_patient ON study (study_patient_key)",
            "CREATE INDEX IF NOT EXISTS series_study ON series (series_study_uid)",
            "CREATE INDEX IF NOT EXISTS instance_series ON instance (instance_series_uid)",
            "CREATE INDEX IF NOT EXISTS instance_study ON instance (instance_study_uid)",
            "CREATE INDEX IF NOT EXISTS patient_id ON patient (patient_id)",
            "CREATE INDEX IF NOT EXISTS patient_name ON patient (patient_name_folded)",
            "CREATE INDEX IF NOT EXISTS study_date ON study (study_date)",
            "CREATE INDEX IF NOT EXISTS study_accession ON study (accession_number)",
            "CREATE INDEX IF NOT EXISTS series_modality ON series (modality)",
        ]),
        // Patients keyed by name too (IndexedInstance.patientKey): the keys rewritten from the
        // rows, studies first. An old key has at most one backslash, a new one two, so no
        // rewritten key meets one not yet rewritten.
        Migration(version: 2, statements: [
            "UPDATE study SET study_patient_key = (SELECT \(IndexedInstance.patientKeySQL) FROM patient WHERE patient.patient_key = study.study_patient_key)"
                + " WHERE EXISTS (SELECT 1 FROM patient WHERE patient.patient_key = study.study_patient_key)",
            "UPDATE patient SET patient_key = \(IndexedInstance.patientKeySQL)",
        ]),
    ]

    /// `CREATE TABLE` for the four levels, from ``IndexSchema``.
    private static func createTables() -> [String] {
        IndexSchema.Table.allCases.map { table in
            var definitions: [String] = []
            if table == .patient {
                definitions.append("patient_key TEXT NOT NULL PRIMARY KEY")
            }
            for column in IndexSchema.columns(of: table) {
                let type = column.storage == .integer ? "BIGINT" : "TEXT"
                if column.name == table.key {
                    definitions.append("\(column.name) \(type) NOT NULL PRIMARY KEY")
                } else {
                    definitions.append("\(column.name) \(type)")
                }
                if column.folded {
                    definitions.append("\(column.name)_folded TEXT")
                }
            }
            switch table {
            case .patient:
                break
            case .study:
                definitions.append("\(IndexSchema.Link.studyPatient) TEXT NOT NULL")
            case .series:
                definitions.append("\(IndexSchema.Link.seriesStudy) TEXT NOT NULL")
            case .instance:
                definitions += [
                    "\(IndexSchema.Link.instanceSeries) TEXT NOT NULL",
                    "\(IndexSchema.Link.instanceStudy) TEXT NOT NULL",
                    "\(IndexSchema.Link.filePath) TEXT NOT NULL",
                    "\(IndexSchema.Link.fileSize) BIGINT NOT NULL",
                    "\(IndexSchema.Link.transferSyntax) TEXT NOT NULL",
                    "\(IndexSchema.Link.storedAt) TEXT NOT NULL",
                ]
            }
            return "CREATE TABLE IF NOT EXISTS \(table.rawValue) (\(definitions.joined(separator: ", ")))"
        }
    }

    /// An arbitrary constant naming the PostgreSQL advisory lock that serialises migrations of
    /// nodes starting together.
    private static let migrationLock = 0x4E45_5444_4943

    /// Applies the versions the database lacks.
    func migrate() async throws {
        try await pool.withTransaction(logger: logger) { database in
            if pool.backend == .postgres {
                try await database.raw("SELECT pg_advisory_xact_lock(\(literal: Self.migrationLock))").run()
                // Another application's tables? (An SQLite file is looked at before its
                // connection changes its journal mode: ArchiveSQLiteSource.)
                let listing = "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                let tables = try await database.raw(SQLQueryString(listing)).all().map { try $0.decode(column: "name", as: String.self) }
                if let error = Self.foreignDatabaseError(tables: Set(tables)) { throw error }
            }
            try await database.raw("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)").run()
            let current = try await database.raw("SELECT MAX(version) AS version FROM schema_version").first()?
                .decode(column: "version", as: Int?.self) ?? 0
            for migration in Self.migrations where migration.version > current {
                for statement in migration.statements {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await database.raw("""
                    INSERT INTO schema_version (version, applied_at) VALUES (\(bind: migration.version), \(bind: ISO8601DateFormatter().string(from: Date())))
                    """).run()
                logger.info("index schema migrated to version \(migration.version)")
            }
        }
    }

    /// The error of opening a database whose tables are `tables`, if one has an index table's
    /// name but none is `schema_version`: another application's database (pynetdicom's qrscp
    /// keeps `patient`, `study`, `series` and `instance` tables of its own), which
    /// `CREATE TABLE IF NOT EXISTS` would leave as they are, and every write then fail on.
    static func foreignDatabaseError(tables: Set<String>) -> ArchiveError? {
        guard !tables.contains("schema_version"),
              let foreign = IndexSchema.Table.allCases.map(\.rawValue).first(where: tables.contains) else { return nil }
        return ArchiveError(
            .invalidConfiguration,
            "the database has a table \"\(foreign)\" but is not a NetDICOM index (no schema_version): another application's, such as pynetdicom qrscp's; give qrscp a database of its own")
    }

    /// The schema version the database is at.
    public func currentSchemaVersion() async throws -> Int {
        try await pool.withDatabase(logger: logger) { database in
            try await database.raw("SELECT MAX(version) AS version FROM schema_version").first()?
                .decode(column: "version", as: Int?.self) ?? 0
        }
    }
}
