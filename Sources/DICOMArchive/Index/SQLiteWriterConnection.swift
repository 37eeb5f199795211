import Foundation
import SQLKit
import VaporCSQLite

/// A raw connection to the SQLite index that only the ``SQLiteWriter``'s thread uses: its
/// statements are prepared once and kept, so that recording an instance costs no SQL parsing
/// and no thread hop per statement (through sqlite-nio, each statement was parsed anew and
/// hopped to its thread pool and back; together about half a store's CPU).
final class SQLiteWriterConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by their text (statements made at run time, such as searches)…
    private var statements: [String: OpaquePointer] = [:]
    /// …and by the identity of their ``SQLiteStatement`` (fixed statements: no text hashed).
    private var fixedStatements: [ObjectIdentifier: OpaquePointer] = [:]
    /// What to undo in the file system if the transaction that the current job is part of is
    /// rolled back (see ``onRollback(_:)``).
    private(set) var rollbackActions: [@Sendable () -> Void] = []

    /// The values of the parent rows (patient, study, series, by depth) last upserted in the
    /// transaction in progress: an upsert of the same values again changes nothing, so the
    /// next instance of a series skips three of its four (the writer forgets them whenever
    /// changes are rolled back and at each transaction's start).
    var upsertedParents: [[SQLValue]?] = [nil, nil, nil]

    /// The SQLite file.
    let path: String

    private static let pragmas = ["PRAGMA busy_timeout = 30000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"].map(SQLiteStatement.init)

    /// Opens the SQLite file at `path`, in write-ahead-log mode with normal synchronous commits:
    /// a commit writes the log but does not fsync it; ``SQLiteWriter/makeDurable()`` does, for
    /// many commits at once (``IncomingJournal``, which keeps what they record recoverable
    /// until then).
    init(path: String) throws(ArchiveError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "out of memory"
            sqlite_nio_sqlite3_close(handle)
            throw ArchiveError(.database, "cannot open the SQLite index \(path): \(message)")
        }
        self.handle = handle
        do {
            for pragma in Self.pragmas { try execute(pragma) }
        } catch {
            close()
            throw error
        }
    }

    /// Runs `sql` (prepared once per text) with `binds`, and returns its rows by column name.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue] = []) throws(ArchiveError) -> [SQLiteWriterRow] {
        try execute(.text(sql), binds, row: row(of:))
    }

    /// Runs `sql` with `binds`, and returns its rows' values in the order of its columns:
    /// cheaper than ``execute(_:_:)`` for a statement whose columns the caller knows.
    func values(_ sql: String, _ binds: [SQLValue]) throws(ArchiveError) -> [[SQLValue]] {
        try execute(.text(sql), binds, row: values(of:))
    }

    /// ``execute(_:_:)`` of a fixed statement.
    @discardableResult
    func execute(_ sql: SQLiteStatement, _ binds: [SQLValue] = []) throws(ArchiveError) -> [SQLiteWriterRow] {
        try execute(.fixed(sql), binds, row: row(of:))
    }

    /// ``values(_:_:)`` of a fixed statement.
    func values(_ sql: SQLiteStatement, _ binds: [SQLValue]) throws(ArchiveError) -> [[SQLValue]] {
        try execute(.fixed(sql), binds, row: values(of:))
    }

    /// A statement as the cache knows it.
    private enum Key {
        case text(String)
        case fixed(SQLiteStatement)

        var sql: String {
            switch self {
            case .text(let text): text
            case .fixed(let statement): statement.text
            }
        }
    }

    private func execute<Row>(_ sql: Key, _ binds: [SQLValue], row: (OpaquePointer) -> Row) throws(ArchiveError) -> [Row] {
        if let rows = try run(prepared(sql), sql.sql, binds, row: row) { return rows }
        // A statement of the legacy interface tells a schema change only by failing.
        forget(sql)
        guard let rows = try run(prepared(sql), sql.sql, binds, row: row) else { throw failure("cannot run", sql.sql) }
        return rows
    }

    /// Binds, steps to the end and resets `statement`; nil when the schema changed since it was
    /// prepared.
    private func run<Row>(_ statement: OpaquePointer, _ sql: String, _ binds: [SQLValue], row: (OpaquePointer) -> Row) throws(ArchiveError) -> [Row]? {
        defer { sqlite_nio_sqlite3_clear_bindings(statement) }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32 = switch value {
            case .text(let text?): sqlite_nio_sqlite3_bind_text(statement, index, text, -1, SQLITE_TRANSIENT)
            case .integer(let number?): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .text(nil), .integer(nil): sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard result == SQLITE_OK else { throw failure("cannot bind a value of", sql) }
        }
        var rows: [Row] = []
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_DONE:
                sqlite_nio_sqlite3_reset(statement)
                return rows
            case SQLITE_ROW:
                rows.append(row(statement))
            default:
                let code = sqlite_nio_sqlite3_reset(statement)
                if code == SQLITE_SCHEMA, rows.isEmpty { return nil }
                throw failure("cannot run", sql)
            }
        }
    }

    /// Forgets ``upsertedParents``: a transaction begins, changes were rolled back, or rows
    /// were deleted.
    func forgetUpsertedParents() {
        upsertedParents = [nil, nil, nil]
    }

    /// Registers `action` to run if the transaction in progress is rolled back: the file
    /// system work of a job whose index rows are not committed.
    func onRollback(_ action: @escaping @Sendable () -> Void) {
        rollbackActions.append(action)
    }

    /// Runs and forgets the rollback actions registered since `mark`.
    func rollBackActions(since mark: Int) {
        let actions = rollbackActions[mark...]
        rollbackActions.removeSubrange(mark...)
        for action in actions.reversed() { action() }
    }

    /// Forgets the rollback actions: their transaction committed.
    func forgetRollbackActions() {
        rollbackActions.removeAll(keepingCapacity: true)
    }

    /// Finalizes the statements and closes the connection.
    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        for statement in fixedStatements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        fixedStatements = [:]
        sqlite_nio_sqlite3_close(handle)
        handle = nil
    }

    /// The statement of `sql`, prepared on first use. With the legacy `sqlite3_prepare`, not
    /// `_v2`/`_v3`: those re-prepare a statement whenever a bound value changes if it could
    /// change the plan, which this build of SQLite judged true of every lookup by key (a
    /// tenth of the writer's time). The price: a schema change is an error to handle.
    private func prepared(_ key: Key) throws(ArchiveError) -> OpaquePointer {
        let cached = switch key {
        case .text(let text): statements[text]
        case .fixed(let fixed): fixedStatements[ObjectIdentifier(fixed)]
        }
        if let cached { return cached }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare(handle, key.sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("cannot prepare", key.sql)
        }
        switch key {
        case .text(let text): statements[text] = statement
        case .fixed(let fixed): fixedStatements[ObjectIdentifier(fixed)] = statement
        }
        return statement
    }

    /// Finalizes the prepared statement of `key`, to prepare it again.
    private func forget(_ key: Key) {
        let statement = switch key {
        case .text(let text): statements.removeValue(forKey: text)
        case .fixed(let fixed): fixedStatements.removeValue(forKey: ObjectIdentifier(fixed))
        }
        if let statement { sqlite_nio_sqlite3_finalize(statement) }
    }

    private func row(of statement: OpaquePointer) -> SQLiteWriterRow {
        var values: [String: SQLValue] = [:]
        for column in 0..<sqlite_nio_sqlite3_column_count(statement) {
            values[String(cString: sqlite_nio_sqlite3_column_name(statement, column))] = value(of: statement, column)
        }
        return SQLiteWriterRow(values: values)
    }

    private func values(of statement: OpaquePointer) -> [SQLValue] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { value(of: statement, $0) }
    }

    private func value(of statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_NULL: .text(nil)
        default: .text(sqlite_nio_sqlite3_column_text(statement, column).map { String(cString: $0) })
        }
    }

    private func failure(_ what: String, _ sql: String) -> ArchiveError {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "closed"
        return ArchiveError(.database, "\(what) \(sql.prefix(60))…: \(message)")
    }
}

/// The text of a statement the writer runs, prepared once per instance of this class: keep
/// each in a `static let` (a connection caches its prepared form by the object's identity,
/// which a released object's successor could reuse), so that finding it hashes no text: a
/// long upsert's text cost about as much to hash as to run once its rows were known.
final class SQLiteStatement: Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }
}

/// SQLite's "copy the bound text now" destructor.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A row the writer read, as SQLKit rows are read, so that ``IndexRow`` decodes both alike.
struct SQLiteWriterRow: SQLRow {
    var values: [String: SQLValue]

    var allColumns: [String] { Array(values.keys) }

    func contains(column: String) -> Bool { values[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        switch values[column] {
        case .text(nil), .integer(nil), nil: true
        default: false
        }
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value: (any Sendable)? = switch values[column] {
        case .text(let text?): text
        case .integer(let number?): number
        case .text(nil), .integer(nil), nil: nil
        }
        if let value, let decoded = value as? D { return decoded }
        if let value, let decoded = Optional(value) as? D { return decoded }
        // NULL into an optional type (a nil optional casts to any optional type).
        if value == nil, let decoded = (String?.none as Any) as? D { return decoded }
        throw ArchiveError(.database, "the index's column \(column) is not a \(D.self)")
    }
}
