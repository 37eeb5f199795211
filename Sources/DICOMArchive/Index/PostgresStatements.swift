import Logging
import PostgresKit

/// The two statements that store a new instance on PostgreSQL, as PostgresNIO prepared
/// statements: parsed and planned once per connection, where SQLKit sends every query unnamed
/// (PostgreSQL parses and plans it again each time), and bound without SQLKit's `Codable`
/// encoding. The rest of the index goes through SQLKit.
enum PostgresStatements {
    /// The stored copy of `sopInstanceUID`, if indexed (``StoredCopy/columns``).
    static func storedCopy(_ sopInstanceUID: String, on connection: PostgresConnection, logger: Logger) async throws -> StoredCopy? {
        for try await (study, series, path, fileSize, patientKey) in try await connection.execute(StoredCopyLookup(sopInstanceUID: sopInstanceUID), logger: logger) {
            return try StoredCopy(sopInstanceUID: sopInstanceUID, [.text(study), .text(series), .text(path), .integer(fileSize), .text(patientKey)])
        }
        return nil
    }

    /// Writes `instance`'s rows.
    static func upsert(_ instance: IndexedInstance, storedAt: String, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.execute(Upsert(instance, storedAt: storedAt), logger: logger)
    }

    /// The stored copy of an instance (``StoredCopy/select``).
    struct StoredCopyLookup: PostgresPreparedStatement {
        static let name = "netdicom_stored_copy"
        static let sql = StoredCopy.select + " WHERE instance.sop_instance_uid = $1"
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = (String?, String?, String?, Int?, String?)

        var sopInstanceUID: String

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(sopInstanceUID)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    /// An instance's four upserts in one statement, the parents' as data-modifying `WITH`
    /// clauses (``IndexUpsert``): its values are those of ``IndexUpsert/values(of:for:storedAt:)``
    /// for each table in turn.
    struct Upsert: PostgresPreparedStatement {
        static let name = "netdicom_upsert"
        static let sql: String = {
            var sql = ""
            var next = 1
            for table in IndexUpsert.tables {
                let count = IndexUpsert.columns(of: table).count
                let values = (next..<next + count).map { "$\($0)" }.joined(separator: ", ")
                next += count
                sql += table == .instance
                    ? " " + IndexUpsert.head(table) + values + IndexUpsert.tail(table)
                    : (table == IndexUpsert.tables[0] ? "WITH " : ", ") + "upserted_\(table.rawValue) AS ("
                        + IndexUpsert.head(table) + values + IndexUpsert.tail(table) + " RETURNING 1)"
            }
            return sql
        }()
        static let bindingDataTypes: [PostgresDataType] = IndexUpsert.tables.flatMap { table in
            IndexUpsert.columnIsInteger(of: table).map { $0 ? .int8 : .text }
        }
        typealias Row = ()

        /// The values of every table, in the order of ``IndexUpsert/tables``.
        var values: [SQLValue]

        init(_ instance: IndexedInstance, storedAt: String) {
            values = IndexUpsert.tables.flatMap { IndexUpsert.values(of: $0, for: instance, storedAt: storedAt) }
        }

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .text(let text?): bindings.append(text)
                case .integer(let number?): bindings.append(number)
                case .text(nil), .integer(nil): bindings.appendNull()
                }
            }
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }
}
