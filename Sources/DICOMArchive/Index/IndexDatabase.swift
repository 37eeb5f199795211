import Foundation

/// Where the index lives: an SQLite file (the default, beside the store) or a PostgreSQL
/// database that several archive nodes share.
public enum IndexDatabase: Hashable, Sendable, CustomStringConvertible {
    /// An SQLite database in the file at `path` (created when missing).
    case sqlite(path: String)
    /// A PostgreSQL database, by URL: `postgres://user:password@host:port/database`, with
    /// `?tlsmode=disable|prefer|require` as postgres-kit reads it.
    case postgres(url: String)

    /// The file name of the default SQLite index in the store's root.
    public static let defaultSQLiteFileName = "index.sqlite"

    /// The database a `--database` argument names: a `postgres://` or `postgresql://` URL, an
    /// `sqlite:PATH` or `sqlite://PATH` URL, or a plain path to an SQLite file.
    ///
    /// - Throws: ``ArchiveError/Code/invalidConfiguration`` for another scheme.
    public init(argument: String) throws(ArchiveError) {
        let lowered = argument.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
            || lowered.hasPrefix("postgres+tcp://") || lowered.hasPrefix("postgresql+tcp://") {
            guard URL(string: argument)?.host != nil else {
                throw ArchiveError(.invalidConfiguration, "\"\(argument)\" is not a postgres://user:password@host:port/database URL")
            }
            self = .postgres(url: argument)
        } else if lowered.hasPrefix("sqlite://") {
            self = .sqlite(path: String(argument.dropFirst("sqlite://".count)))
        } else if lowered.hasPrefix("sqlite:") {
            self = .sqlite(path: String(argument.dropFirst("sqlite:".count)))
        } else if argument.contains("://") {
            throw ArchiveError(.invalidConfiguration, "unknown database \"\(argument)\": use postgres://… or an SQLite file path")
        } else {
            self = .sqlite(path: argument)
        }
    }

    /// For logs: `sqlite: PATH` or `postgres: HOST:PORT/DATABASE`, never the password.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite: \(path)"
        case .postgres(let url):
            guard let components = URLComponents(string: url) else { return "postgres" }
            let port = components.port.map { ":\($0)" } ?? ""
            return "postgres: \(components.host ?? "?")\(port)\(components.path)"
        }
    }
}
