import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// The read path of an SQLite index: raw connections whose statements are prepared once and
/// kept (``SQLiteWriterConnection``, opened here for reading only), lent one at a time as an
/// `SQLDatabase` that runs each statement on the calling thread. A search page through
/// sqlite-nio parsed its statement anew each time and hopped to sqlite-nio's thread pool and
/// back; here a page costs its rows.
///
/// The write-ahead log lets these connections read while the ``SQLiteWriter`` writes: each
/// statement sees the last committed state when it starts.
final class SQLiteReader: Sendable {
    /// Idle connections kept for the next reads; more may be open while reads overlap.
    static let keptConnections = 4

    private struct State {
        var idle: [SQLiteWriterConnection] = []
        var closed = false
    }

    /// The SQLite file.
    let path: String
    private let state = Mutex(State())

    /// A reader of the SQLite file at `path`; connections open when first needed.
    init(path: String) {
        self.path = path
    }

    /// Runs `body` with a connection of its own, on the calling thread (each statement blocks it
    /// while SQLite works: callers keep pages bounded, or call from a thread that may block).
    func withDatabase<Result>(logger: Logger, _ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        let connection = try lend()
        defer { giveBack(connection) }
        return try await body(SQLiteReadDatabase(connection: connection, logger: logger))
    }

    /// Closes every idle connection; those lent close when given back.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.close() }
    }

    private func lend() throws(ArchiveError) -> SQLiteWriterConnection {
        let taken: SQLiteWriterConnection?? = state.withLock { state in
            guard !state.closed else { return .some(nil) }
            return state.idle.popLast().map { .some($0) } ?? .none
        }
        switch taken {
        case .some(let connection?): return connection
        case .some(nil): throw ArchiveError(.database, "the index is closed")
        case nil: return try SQLiteWriterConnection(path: path)
        }
    }

    private func giveBack(_ connection: SQLiteWriterConnection) {
        let kept = state.withLock { state in
            guard !state.closed, state.idle.count < Self.keptConnections else { return false }
            state.idle.append(connection)
            return true
        }
        if !kept { connection.close() }
    }
}

/// One lent connection of an ``SQLiteReader`` as an `SQLDatabase`: SQLKit serializes each
/// statement in SQLite's dialect, the connection runs it (prepared once per text) at once, on
/// the calling thread, and the rows go to SQLKit's handler (or, ``values(_:)``, come back as
/// values by position).
struct SQLiteReadDatabase: SQLDatabase {
    let connection: SQLiteWriterConnection
    let logger: Logger

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    /// The rows of `query`, each as its values in column order: no row dictionary, no
    /// decoding by column name.
    func values(_ query: any SQLExpression) throws -> [[SQLValue]] {
        let (sql, binds) = try statement(query)
        return try connection.values(sql, binds)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, values) = try statement(query)
        for row in try connection.execute(sql, values) { onRow(row) }
    }

    /// `query`'s SQL in SQLite's dialect and its binds as the connection takes them.
    private func statement(_ query: any SQLExpression) throws(ArchiveError) -> (String, [SQLValue]) {
        let (sql, binds) = serialize(query)
        var values: [SQLValue] = []
        values.reserveCapacity(binds.count)
        for bind in binds {
            switch bind {
            case let text as String: values.append(.text(text))
            case let number as Int: values.append(.integer(number))
            default: throw ArchiveError(.database, "the index reader binds text and integers only, not \(type(of: bind))")
            }
        }
        return (sql, values)
    }
}
