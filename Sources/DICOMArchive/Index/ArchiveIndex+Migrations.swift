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

    /// The schema version the database is at.
    public func currentSchemaVersion() async throws -> Int {
        try await pool.withDatabase(logger: logger) { database in
            try await database.raw("SELECT MAX(version) AS version FROM schema_version").first()?
                .decode(column: "version", as: Int?.self) ?? 0
        }
    }
}
