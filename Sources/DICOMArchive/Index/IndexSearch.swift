import DICOMCore
import SQLKit
import Synchronization

/// One search of the index, ready to be read a page at a time by ``IndexSearchCursor``: the
/// query with the keys the index cannot decide made universal, the SQL that selects the level's
/// rows with their parents' columns and the computed counts, and the SQL prefilter's conditions.
struct IndexSearch: Sendable {
    let level: QueryRetrieveLevel
    let table: IndexSchema.Table
    /// The query as the index applies it (undecidable keys universal).
    let effective: Query
    /// Whether rows are matched in Swift after the prefilter (false only in prefilter tests).
    let matching: Bool
    let requested: Set<Tag>
    let computed: [ArchiveIndex.ComputedColumn]
    /// The columns read from each row: all of the level and its parents, or (`keysOnly`, above
    /// the image level) only those of the query's keys, as a C-FIND needs: reading and decoding
    /// the others costs as much as the rest of a small query. The image level always reads
    /// all, for the ``IndexedInstance`` records.
    let columns: [IndexSchema.Column]
    let conditions: [SQLQueryString]
    /// The statement up to its conditions (`SELECT … FROM …`), the same for every page: made once.
    private let selection: String
    /// When set, each match's response identifier is encoded straight from its row
    /// (``IndexMatch/response``) and no data set is made for it but to match it.
    var encoder: FindResponseEncoder?

    init(_ query: Query, level: QueryRetrieveLevel, matching: Bool, keysOnly: Bool = false) throws(ArchiveError) {
        guard let table = IndexSchema.Table(level) else {
            throw ArchiveError(.invalidConfiguration, "the index has no \(level.rawValue) level")
        }
        var effective = query
        effective.keys = query.keys.map { key in
            ArchiveIndex.decides(key, at: level) ? key : QueryKey(tag: key.tag, vr: key.vr, matching: .universal, options: key.options)
        }
        let requested = Set(effective.keys.map(\.tag))
        self.level = level
        self.table = table
        self.effective = effective
        self.matching = matching
        self.requested = requested
        self.computed = ArchiveIndex.computedColumns(through: table).filter { requested.contains($0.tag) }
        let all = Self.columnsThrough[table] ?? []
        self.columns = table == .instance || !keysOnly ? all : all.filter { requested.contains($0.tag) || $0.name == table.key }
        var conditions = effective.keys.filter { !$0.isUniversal }.compactMap(SQLPrefilter.condition(for:))
        if table == .patient { conditions.append("\(unsafeRaw: IndexSchema.patientHasStudies)") }
        self.conditions = conditions
        self.selection = Self.selection(table: table, columns: columns, computed: computed)
    }

    /// The columns of each level and its parents, in the tables' order.
    private static let columnsThrough: [IndexSchema.Table: [IndexSchema.Column]] = Dictionary(
        uniqueKeysWithValues: IndexSchema.Table.allCases.map { table in
            (table, IndexSchema.Table.allCases.filter { $0.depth <= table.depth }.flatMap(IndexSchema.columns(of:)))
        })

    /// What a selection is made of: a column is known by its tag (one column per tag), a
    /// count by its tag.
    private struct SelectionKey: Hashable {
        var table: IndexSchema.Table
        var columns: [Tag]
        var computed: [Tag]
    }

    /// The selections made so far: a C-FIND's query has the same keys each time it is repeated,
    /// and building the text was a fifth of a search's set-up.
    private static let selections = Mutex<[SelectionKey: String]>([:])

    /// The `SELECT … FROM …` of every page: the columns, the level's key (patient), the
    /// instance's links (image), the computed counts, the level joined with its parents.
    private static func selection(table: IndexSchema.Table, columns: [IndexSchema.Column], computed: [ArchiveIndex.ComputedColumn]) -> String {
        let key = SelectionKey(table: table, columns: columns.map(\.tag), computed: computed.map(\.tag))
        if let made = selections.withLock({ $0[key] }) { return made }
        let made = makeSelection(table: table, columns: columns, computed: computed)
        selections.withLock { selections in
            // Bounded: one entry per set of keys asked for; a peer sending ever new key sets
            // starts the cache over rather than growing it.
            if selections.count >= 256 { selections.removeAll() }
            selections[key] = made
        }
        return made
    }

    private static func makeSelection(table: IndexSchema.Table, columns: [IndexSchema.Column], computed: [ArchiveIndex.ComputedColumn]) -> String {
        var selected = columns.map { "\($0.table.rawValue).\($0.name)" }
        if table == .patient { selected.append("\(table.rawValue).\(table.key)") }
        if table == .instance {
            let links = [IndexSchema.Link.instanceSeries, IndexSchema.Link.instanceStudy, IndexSchema.Link.filePath,
                         IndexSchema.Link.fileSize, IndexSchema.Link.transferSyntax]
            selected += links.map { "instance.\($0)" }
        }
        var sql = "SELECT " + selected.joined(separator: ", ")
        for column in computed {
            sql += ", (\(column.subquery)) AS \(column.alias)"
        }
        return sql + " FROM " + ArchiveIndex.joinedTables(table)
    }

    /// One page of rows: the matches among them, how many rows the database returned, and the
    /// key of the last row (where the next page starts).
    struct Page {
        var matches: [IndexMatch]
        var rowCount: Int
        var lastKey: String?
    }

    /// The statement of the page of at most `limit` rows whose key follows `after`.
    func statement(after: String?, limit: Int) -> SQLQueryString {
        let key = "\(table.rawValue).\(table.key)"
        var sql: SQLQueryString = "\(unsafeRaw: selection)"
        var conditions = self.conditions
        if let after {
            conditions.append("\(unsafeRaw: key) > \(bind: after)")
        }
        if !conditions.isEmpty {
            sql += " WHERE \(conditions.joined(separator: " AND "))"
        }
        sql += " ORDER BY \(unsafeRaw: key) LIMIT \(unsafeRaw: String(limit))"
        return sql
    }

    /// Reads the page after `after` on `database`.
    func page(after: String?, limit: Int, in database: any SQLDatabase) async throws -> Page {
        if let encoder { return try await encodedPage(after: after, limit: limit, in: database, encoder) }
        let rows = try await database.raw(statement(after: after, limit: limit)).all()
        var lists: [Tag: [String: [String]]] = [:]
        if table == .study, !rows.isEmpty {
            lists = try await studyLists(for: try rows.map { try $0.decode(column: "study_uid", as: String.self) }, in: database)
        }
        var matches: [IndexMatch] = []
        for row in rows {
            let attributes = try IndexRow.attributes(row, columns: columns)
            var values: [Tag: [String]] = [:]
            for column in computed {
                values[column.tag] = [String(try row.decode(column: column.alias, as: Int.self))]
            }
            if let study = attributes[.studyInstanceUID] {
                for (tag, list) in lists { values[tag] = list[study] ?? [] }
            }
            let dataSet = IndexRow.dataSet(attributes, computed: values)
            guard !matching || effective.matches(dataSet) else { continue }
            let instance = table == .instance ? try IndexRow.instance(row) : nil
            let key = try row.decode(column: table.key, as: String.self)
            matches.append(IndexMatch(level: level, attributes: dataSet, instance: instance, entityKey: key))
        }
        let lastKey = try rows.last.map { try $0.decode(column: table.key, as: String.self) }
        return Page(matches: matches, rowCount: rows.count, lastKey: lastKey)
    }

    /// The lists computed per study that the query asks for (Modalities in Study, SOP Classes
    /// in Study), for the studies of a page.
    private func studyLists(for studies: [String], in database: any SQLDatabase) async throws -> [Tag: [String: [String]]] {
        var lists: [Tag: [String: [String]]] = [:]
        if requested.contains(.modalitiesInStudy) {
            lists[.modalitiesInStudy] = try await ArchiveIndex.distinctValues(
                "modality", of: "series", groupedBy: IndexSchema.Link.seriesStudy, for: studies, in: database)
        }
        if requested.contains(.sopClassesInStudy) {
            lists[.sopClassesInStudy] = try await ArchiveIndex.distinctValues(
                "sop_class_uid", of: "instance", groupedBy: IndexSchema.Link.instanceStudy, for: studies, in: database)
        }
        return lists
    }

    // MARK: - Encoded responses

    /// ``page(after:limit:in:)`` with ``encoder``: rows read by position, each match's
    /// response encoded from its row. A data set is made of a row only when the query has
    /// matching keys to apply to it.
    private func encodedPage(after: String?, limit: Int, in database: any SQLDatabase, _ encoder: FindResponseEncoder) async throws -> Page {
        let rows = try await positionalRows(statement(after: after, limit: limit), in: database)
        var lists: [Tag: [String: [String]]] = [:]
        if table == .study, !rows.isEmpty, let studyColumn = encoder.studyColumn {
            lists = try await studyLists(for: rows.compactMap { row -> String? in
                if case .text(let study?) = row[studyColumn] { return study }
                return nil
            }, in: database)
        }
        let matchesInSwift = matching && effective.keys.contains { !$0.isUniversal }
        var matches: [IndexMatch] = []
        matches.reserveCapacity(rows.count)
        for row in rows {
            if matchesInSwift, !effective.matches(dataSet(of: row, lists: lists)) { continue }
            matches.append(IndexMatch(level: level, attributes: DataSet(), instance: nil, response: encoder.encode(row, lists: lists)))
        }
        let keyPosition = table == .patient ? columns.count : columns.firstIndex { $0.table == table && $0.name == table.key }
        var lastKey: String?
        if let last = rows.last, let keyPosition {
            switch last[keyPosition] {
            case .text(let text): lastKey = text
            case .integer(let number): lastKey = number.map(String.init)
            }
        }
        return Page(matches: matches, rowCount: rows.count, lastKey: lastKey)
    }

    /// The data set ``page(after:limit:in:)`` makes of a row (``IndexRow/dataSet(_:computed:)``),
    /// from the row's values by position.
    private func dataSet(of row: [SQLValue], lists: [Tag: [String: [String]]]) -> DataSet {
        var attributes: [Tag: String] = [:]
        for (position, column) in columns.enumerated() {
            switch row[position] {
            case .text(let text?) where !text.isEmpty: attributes[column.tag] = text
            case .integer(let number?): attributes[column.tag] = String(number)
            default: break
            }
        }
        var values: [Tag: [String]] = [:]
        let countsStart = columns.count + (table == .patient ? 1 : 0)
        for (offset, column) in computed.enumerated() {
            if case .integer(let number?) = row[countsStart + offset] { values[column.tag] = [String(number)] }
        }
        if let study = attributes[.studyInstanceUID] {
            for (tag, list) in lists { values[tag] = list[study] ?? [] }
        }
        return IndexRow.dataSet(attributes, computed: values)
    }

    /// The rows of `statement` as values in its column order: on SQLite straight from the
    /// connection, elsewhere decoded from SQLKit's rows by name.
    private func positionalRows(_ statement: SQLQueryString, in database: any SQLDatabase) async throws -> [[SQLValue]] {
        if let sqlite = database as? SQLiteReadDatabase { return try sqlite.values(statement) }
        var names = columns.map { ($0.name, $0.storage) }
        if table == .patient { names.append((table.key, .text)) }
        names += computed.map { ($0.alias, .integer) }
        return try await database.raw(statement).all().map { row in
            try names.map { name, storage -> SQLValue in
                switch storage {
                case .text: .text(try row.decode(column: name, as: String?.self))
                case .integer: .integer(try row.decode(column: name, as: Int?.self))
                }
            }
        }
    }
}
