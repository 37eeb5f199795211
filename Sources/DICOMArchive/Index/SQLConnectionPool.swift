import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The index's connections: a pool per backend, lent one connection at a time as an
/// `SQLDatabase`, so that a transaction's statements share their connection.
final class SQLConnectionPool: Sendable {
    /// The dialect differences the index's SQL has to know of; everything else is shared.
    enum Backend: Sendable {
        case sqlite, postgres
    }

    let backend: Backend
    /// SQLite's read path for searches (``SQLiteReader``); nil on PostgreSQL.
    let reader: SQLiteReader?
    private let lease: @Sendable (Logger) async throws -> (any SQLDatabase, @Sendable () -> Void)
    /// The same connections as PostgresNIO's, for prepared statements (``PostgresStatements``);
    /// nil on SQLite.
    private let postgresLease: (@Sendable (Logger) async throws -> (PostgresConnection, @Sendable () -> Void))?
    private let close: @Sendable () async throws -> Void

    private init(
        backend: Backend,
        reader: SQLiteReader? = nil,
        lease: @escaping @Sendable (Logger) async throws -> (any SQLDatabase, @Sendable () -> Void),
        postgresLease: (@Sendable (Logger) async throws -> (PostgresConnection, @Sendable () -> Void))? = nil,
        close: @escaping @Sendable () async throws -> Void
    ) {
        self.backend = backend
        self.reader = reader
        self.lease = lease
        self.postgresLease = postgresLease
        self.close = close
    }

    /// A pool for `database`; connections open when first needed.
    static func make(_ database: IndexDatabase, logger: Logger) throws(ArchiveError) -> SQLConnectionPool {
        let group = MultiThreadedEventLoopGroup.singleton
        switch database {
        case .sqlite(let path):
            let source = ArchiveSQLiteSource(base: SQLiteConnectionSource(configuration: .init(storage: .file(path: path))))
            let pool = PoolReference(EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: 2, logger: logger, on: group))
            return SQLConnectionPool(backend: .sqlite, reader: SQLiteReader(path: path), lease: { logger in
                let connection = try await pool.value.requestConnection(logger: logger).get()
                return (connection.sql(queryLogLevel: .trace), { pool.value.releaseConnection(connection, logger: logger) })
            }, close: { try await pool.value.shutdownAsync() })
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ArchiveError(.invalidConfiguration, "cannot read the PostgreSQL URL: \(error)")
            }
            let source = PostgresConnectionSource(sqlConfiguration: configuration)
            let pool = PoolReference(EventLoopGroupConnectionPool(source: source, maxConnectionsPerEventLoop: 4, logger: logger, on: group))
            let postgresLease: @Sendable (Logger) async throws -> (PostgresConnection, @Sendable () -> Void) = { logger in
                let connection = try await pool.value.requestConnection(logger: logger).get()
                return (connection, { pool.value.releaseConnection(connection, logger: logger) })
            }
            return SQLConnectionPool(backend: .postgres, lease: { logger in
                let (connection, release) = try await postgresLease(logger)
                return (connection.sql(queryLogLevel: .trace), release)
            }, postgresLease: postgresLease, close: { try await pool.value.shutdownAsync() })
        }
    }

    /// Runs `body` with one connection of the pool.
    func withDatabase<Result: Sendable>(
        logger: Logger,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let (database, release) = try await lease(logger)
        defer { release() }
        return try await body(database)
    }

    /// Runs `body` with one PostgreSQL connection of the pool, as PostgresNIO's (for prepared
    /// statements) and as an `SQLDatabase` on the same connection. Throws on SQLite.
    func withPostgresConnection<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection, any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        guard let postgresLease else { throw ArchiveError(.database, "a PostgreSQL statement on an SQLite index") }
        let (connection, release) = try await postgresLease(logger)
        defer { release() }
        return try await body(connection, connection.sql(queryLogLevel: .trace))
    }

    /// ``withPostgresConnection(logger:_:)`` in a transaction: committed when `body` returns,
    /// rolled back when it throws.
    func withPostgresTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection, any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withPostgresConnection(logger: logger) { connection, database in
            try await Self.inTransaction(on: database, begin: "BEGIN") { try await body(connection, database) }
        }
    }

    /// Runs `body` in a transaction on one connection: committed when it returns, rolled back
    /// when it throws. On SQLite the transaction takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so that a read followed by a write cannot fail with SQLITE_BUSY half way.
    func withTransaction<Result: Sendable>(
        logger: Logger,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withDatabase(logger: logger) { database in
            try await Self.inTransaction(on: database, begin: backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN") { try await body(database) }
        }
    }

    /// Runs `body` between `begin` and `COMMIT` on `database`, or `ROLLBACK` when it throws.
    private static func inTransaction<Result: Sendable>(
        on database: any SQLDatabase, begin: String, _ body: () async throws -> Result
    ) async throws -> Result {
        try await database.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body()
            try await database.raw("COMMIT").run()
            return result
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Runs one statement, outside any transaction (as `CREATE DATABASE` must be).
    func run(_ statement: String, logger: Logger) async throws {
        try await withDatabase(logger: logger) { database in
            try await database.raw(SQLQueryString(statement)).run()
        }
    }

    /// Closes every connection.
    func shutdown() async throws {
        reader?.close()
        try await close()
    }
}

/// AsyncKit's pool, which is safe to use from any thread (it hops to its event loops and guards
/// its state with a lock) but is not marked `Sendable`.
private final class PoolReference<Source: ConnectionPoolSource>: @unchecked Sendable {
    let value: EventLoopGroupConnectionPool<Source>

    init(_ value: EventLoopGroupConnectionPool<Source>) {
        self.value = value
    }
}

/// SQLite connections set up for an archive: write-ahead logging (readers do not block the
/// writer), full synchronous commits (a committed row survives power loss, as the acknowledged
/// file does), and a busy timeout so that concurrent writers wait for each other instead of
/// failing. Another application's database is refused before write-ahead logging changes its
/// file (``ArchiveIndex/foreignDatabaseError(tables:)``).
struct ArchiveSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA busy_timeout = 30000")
                .flatMap { _ in connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") }
                .flatMapThrowing { rows in
                    let tables = Set(rows.compactMap { $0.column("name")?.string })
                    if let error = ArchiveIndex.foreignDatabaseError(tables: tables) { throw error }
                }
                .flatMap { _ in connection.query("PRAGMA journal_mode = WAL") }
                .flatMap { _ in connection.query("PRAGMA synchronous = FULL") }
                .map { _ in connection }
                .flatMapError { error in connection.close().flatMapThrowing { throw error } }
        }
    }
}
