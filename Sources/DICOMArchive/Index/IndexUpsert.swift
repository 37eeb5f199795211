#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value bound to an index statement.
enum SQLValue: Sendable, Equatable {
    case text(String?)
    case integer(Int?)
}

/// The `INSERT … ON CONFLICT (key) DO UPDATE` of each level's row of an instance: the same
/// statement in SQLite (3.24 and later) and PostgreSQL. Every row names all its table's columns,
/// so that each table's statement text is fixed (prepared once) and only the values vary.
/// Attribute columns keep their value when the new one is NULL; links are replaced (but a
/// study's patient, by an instance naming none).
enum IndexUpsert {
    /// The tables in the order an instance's rows are written: parents first.
    static let tables: [IndexSchema.Table] = [.patient, .study, .series, .instance]

    /// The columns of `table` an upsert writes, in the order of ``values(of:for:storedAt:)``.
    static func columns(of table: IndexSchema.Table) -> [String] {
        shapes[table.depth].columns
    }

    /// Whether each of ``columns(of:)`` holds integers (BIGINT); the others hold text.
    static func columnIsInteger(of table: IndexSchema.Table) -> [Bool] {
        let integers = Set(IndexSchema.columns(of: table).filter { $0.storage == .integer }.map(\.name) + [IndexSchema.Link.fileSize])
        return columns(of: table).map { integers.contains($0) }
    }

    /// The statement for `table`, its values written by `placeholder(n)` (1-based).
    static func sql(_ table: IndexSchema.Table, placeholder: (Int) -> String) -> String {
        head(table) + (1...columns(of: table).count).map(placeholder).joined(separator: ", ") + tail(table)
    }

    /// The statement's text before its values: `INSERT INTO table (columns) VALUES (`.
    static func head(_ table: IndexSchema.Table) -> String {
        "INSERT INTO \(table.rawValue) (\(columns(of: table).joined(separator: ", "))) VALUES ("
    }

    /// The statement's text after its values: `) ON CONFLICT (key) DO UPDATE SET … WHERE …`.
    ///
    /// The `WHERE` skips the update when it would change nothing, as for the patient, study and
    /// series of every instance after their first: an update that sets every column, even to
    /// its value, rewrites the row and every index on its columns (a third of an SQLite store's
    /// log writes, and a dead row version per instance in PostgreSQL).
    static func tail(_ table: IndexSchema.Table) -> String {
        let shape = shapes[table.depth]
        return ") ON CONFLICT (\(table.key)) DO UPDATE SET \(shape.updates.map(\.clause).joined(separator: ", "))"
            + " WHERE " + shape.updates.map { "\($0.value) IS DISTINCT FROM \(table.rawValue).\($0.column)" }.joined(separator: " OR ")
    }

    /// The values of `instance`'s row in `table`, in the order of ``columns(of:)``.
    ///
    /// - Parameter patientKey: `instance.patientKey`, when the caller has it already.
    static func values(of table: IndexSchema.Table, for instance: IndexedInstance, storedAt: String, patientKey: String? = nil) -> [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(shapes[table.depth].columns.count)
        if table == .patient { values.append(.text(patientKey ?? instance.patientKey)) }
        for column in IndexSchema.columns(of: table) {
            let text = instance.attributes[column.tag]
            switch column.storage {
            case .text: values.append(.text(text))
            case .integer: values.append(.integer(text.flatMap { Int($0) }))
            }
            if column.folded { values.append(.text(text.map(IndexText.folded))) }
        }
        switch table {
        case .patient:
            break
        case .study:
            values.append(.text(patientKey ?? instance.patientKey))
        case .series:
            values.append(.text(instance.studyInstanceUID))
        case .instance:
            values += [
                .text(instance.seriesInstanceUID), .text(instance.studyInstanceUID), .text(instance.path),
                .integer(instance.fileSize), .text(instance.transferSyntaxUID), .text(storedAt),
            ]
        }
        return values
    }

    /// An `UPDATE` of an instance row that stays under its series and study (a copy stored
    /// again), from the same values as its upsert (``values(of:for:storedAt:patientKey:)``,
    /// placeholders by position): it sets neither link, so that SQLite leaves the indexes on
    /// them alone, where the upsert's `DO UPDATE` rewrites their entries, value unchanged.
    static func refreshSQL(placeholder: (Int) -> String) -> String {
        let table = IndexSchema.Table.instance
        let links: Set = [IndexSchema.Link.instanceSeries, IndexSchema.Link.instanceStudy]
        let positions = Dictionary(uniqueKeysWithValues: columns(of: table).enumerated().map { ($1, $0 + 1) })
        // The upsert's own updates, the new values bound where it reads them from `excluded`.
        let sets = shapes[table.depth].updates.filter { !links.contains($0.column) }.map { update in
            "\(update.column) = " + update.value.replacing("excluded.\(update.column)", with: placeholder(positions[update.column]!))
        }
        return "UPDATE \(table.rawValue) SET \(sets.joined(separator: ", ")) WHERE \(table.key) = \(placeholder(1))"
    }

    /// One column an upsert updates, and the value it sets.
    private struct Update {
        var column: String
        var value: String
        var clause: String { "\(column) = \(value)" }
    }

    /// The column names and updates of each table, by depth.
    private static let shapes: [(columns: [String], updates: [Update])] = IndexSchema.Table.allCases
        .sorted { $0.depth < $1.depth }
        .map { table in
            var columns: [String] = []
            var updates: [Update] = []
            func keepingFormer(_ name: String) -> Update {
                Update(column: name, value: "COALESCE(excluded.\(name), \(table.rawValue).\(name))")
            }
            if table == .patient { columns.append(table.key) }
            for column in IndexSchema.columns(of: table) {
                columns.append(column.name)
                if column.name != table.key { updates.append(keepingFormer(column.name)) }
                if column.folded {
                    columns.append(column.name + "_folded")
                    updates.append(keepingFormer(column.name + "_folded"))
                }
            }
            let links: [String] = switch table {
            case .patient: []
            case .study: [IndexSchema.Link.studyPatient]
            case .series: [IndexSchema.Link.seriesStudy]
            case .instance: [
                IndexSchema.Link.instanceSeries, IndexSchema.Link.instanceStudy, IndexSchema.Link.filePath,
                IndexSchema.Link.fileSize, IndexSchema.Link.transferSyntax, IndexSchema.Link.storedAt,
            ]
            }
            for link in links {
                columns.append(link)
                if link == IndexSchema.Link.studyPatient {
                    // An instance without a Patient's Name (its key ends with the separator)
                    // leaves its study with the patient it has: it does not say the patient changed.
                    updates.append(Update(column: link, value: "CASE WHEN substr(excluded.\(link), length(excluded.\(link))) = '\\' THEN study.\(link) ELSE excluded.\(link) END"))
                } else {
                    updates.append(Update(column: link, value: "excluded.\(link)"))
                }
            }
            return (columns, updates)
        }

    /// Now, as ISO 8601 in UTC (`2026-11-22T08:31:33Z`, as `ISO8601DateFormatter` writes it),
    /// without building a formatter per instance (which cost a tenth of a store's CPU).
    static func timestamp() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
