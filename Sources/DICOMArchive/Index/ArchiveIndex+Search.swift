public import DICOMCore
import NIOCore
import SQLKit

/// An entity the index found for a query: its attributes (with its parents' and the computed
/// ones), shaped like a data set for ``Query/matches(_:)`` and ``Query/response(for:)``.
public struct IndexMatch: Sendable {
    /// The level of the entity.
    public var level: QueryRetrieveLevel
    /// The entity's indexed attributes, its parents', and the counts and lists computed for
    /// its level (Number of Study Related Instances, Modalities in Study…) when the query asked
    /// for them.
    public var attributes: DataSet
    /// The instance's record, at the image level.
    public var instance: IndexedInstance?
    /// The entity's key in the index (its UID; the patient's row key), by which its instances
    /// are found (``ArchiveIndex/representativeFiles(of:)``).
    var entityKey: String?
    /// The C-FIND response identifier, encoded, when the search encodes responses from its rows
    /// (``FindResponseEncoder``); ``attributes`` is then empty.
    var response: ByteBuffer?

    init(level: QueryRetrieveLevel, attributes: DataSet, instance: IndexedInstance?, entityKey: String? = nil, response: ByteBuffer? = nil) {
        self.level = level
        self.attributes = attributes
        self.instance = instance
        self.entityKey = entityKey
        self.response = response
    }
}

extension ArchiveIndex {
    /// Whether the index can decide `key` at `level`: an attribute stored at that level or
    /// above, or one computed for that level. A combined date-time key needs both of its tags.
    public static func decides(_ key: QueryKey, at level: QueryRetrieveLevel) -> Bool {
        guard let table = IndexSchema.Table(level) else { return false }
        func known(_ tag: Tag) -> Bool {
            if let column = IndexSchema.column(for: tag) { return column.table.depth <= table.depth }
            guard let owner = IndexSchema.computed[tag] else { return false }
            // A count of a level above describes the entity's parent, as its columns do (a Study
            // Root study query's Number of Patient Related Studies, PS3.4 C.6.2.1.1).
            return IndexSchema.studyLists.contains(tag) ? owner == table : owner.depth <= table.depth
        }
        switch key.matching {
        case .sequence:
            return false
        case .combinedDateTimeRange(let timeTag, _, _):
            return known(key.tag) && known(timeTag)
        case .universal, .single, .uidList, .wildcard, .range, .emptyValue, .multipleValues:
            return known(key.tag)
        }
    }

    /// Whether `tag` belongs to a level below `level`: a key a hierarchical query may not hold,
    /// and a relational one's that the archive does not support.
    static func isBelow(_ tag: Tag, _ level: QueryRetrieveLevel) -> Bool {
        guard let table = IndexSchema.Table(level), let own = IndexSchema.table(of: tag) else { return false }
        return own.depth > table.depth
    }

    /// Whether the index keeps `tag` at a level above `level`: in the Study Root model, whose
    /// top level is the study, a patient's attributes are the study's.
    static func isAbove(_ tag: Tag, _ level: QueryRetrieveLevel, studyRoot: Bool) -> Bool {
        guard let table = IndexSchema.Table(level), let own = IndexSchema.table(of: tag) else { return false }
        let depth = studyRoot ? max(own.depth, IndexSchema.Table.study.depth) : own.depth
        return depth < table.depth
    }

    /// The entities of `level` whose attributes match `query`, all at once (see
    /// ``matches(_:level:)`` for a stream that holds one page at a time).
    ///
    /// Keys the index cannot decide (``decides(_:at:)``) are taken as universal: they match
    /// everything here and come back empty, and a caller that can read them elsewhere (the
    /// files, at the image level) applies them itself. The keys that map to columns narrow the
    /// rows in SQL first (``SQLPrefilter``); ``Query/matches(_:)`` then decides on each row, so
    /// that matching follows `Matching/` exactly. Keys of the levels above `level` apply to the
    /// entity's parents (a relational query, PS3.4 C.4.1.3.2; for a hierarchical one they are
    /// the parents' unique keys), keys of the levels below are universal.
    public func search(_ query: Query, level: QueryRetrieveLevel) async throws(ArchiveError) -> [IndexMatch] {
        try await search(query, level: level, matching: true)
    }

    /// ``search(_:level:)``, or with `matching` false the rows the SQL prefilter keeps (for
    /// tests of the prefilter).
    func search(_ query: Query, level: QueryRetrieveLevel, matching: Bool) async throws(ArchiveError) -> [IndexMatch] {
        let cursor = IndexSearchCursor(index: self, search: try IndexSearch(query, level: level, matching: matching))
        var matches: [IndexMatch] = []
        do {
            while let match = try await cursor.next() {
                matches.append(match)
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(.database, "cannot search the index: \(String(reflecting: error))")
        }
        return matches
    }

    /// The entities of `level` whose attributes match `query` (as ``search(_:level:)`` decides),
    /// read from the index a page at a time as the sequence is iterated: memory stays bounded
    /// for any number of matches, and the first match comes after the first page. Cancelling
    /// the iterating task stops the search before its next page. Errors of the database are
    /// ``ArchiveError``s with code ``ArchiveError/Code/database``.
    ///
    /// Above the image level a match's ``IndexMatch/attributes`` hold the attributes of the
    /// query's keys only (what a C-FIND response needs), not every indexed one.
    public func matches(_ query: Query, level: QueryRetrieveLevel) throws(ArchiveError) -> AsyncThrowingStream<IndexMatch, any Error> {
        let cursor = try cursor(query, level: level, keysOnly: true)
        return AsyncThrowingStream(unfolding: { try await Self.next(of: cursor) })
    }

    /// A cursor over the matches of `query` at `level`; nothing is read until its first `next()`.
    /// With `keysOnly`, only the attributes of the query's keys are read above the image level.
    func cursor(
        _ query: Query, level: QueryRetrieveLevel, keysOnly: Bool = false, firstPageSize: Int = IndexSearchCursor.firstPageSize
    ) throws(ArchiveError) -> IndexSearchCursor {
        let search = try IndexSearch(query, level: level, matching: true, keysOnly: keysOnly)
        return IndexSearchCursor(index: self, search: search, firstPageSize: firstPageSize)
    }

    /// A cursor whose matches hold their C-FIND response identifiers encoded in
    /// `transferSyntax` (``IndexMatch/response``, with Retrieve AE Title `aeTitle` when asked),
    /// written straight from the rows; nil where ``FindResponseEncoder`` cannot (the image level,
    /// sequence keys, big endian), and the data set path must answer.
    func encodingCursor(
        _ query: Query, level: QueryRetrieveLevel, aeTitle: String, transferSyntax: TransferSyntax
    ) throws(ArchiveError) -> IndexSearchCursor? {
        var search = try IndexSearch(query, level: level, matching: true, keysOnly: true)
        guard let encoder = FindResponseEncoder.make(for: query, search: search, aeTitle: aeTitle, transferSyntax: transferSyntax) else { return nil }
        search.encoder = encoder
        return IndexSearchCursor(index: self, search: search)
    }

    /// The next match of `cursor`, its database errors as ``ArchiveError``s; a cancelled task
    /// gets `CancellationError`.
    static func next(of cursor: IndexSearchCursor) async throws -> IndexMatch? {
        try await searchErrorsMapped { try await cursor.next() }
    }

    /// The matches of `cursor`'s next page that has any (``IndexSearchCursor/nextPage()``), or
    /// nil at the end; errors as ``next(of:)``.
    static func nextPage(of cursor: IndexSearchCursor) async throws -> [IndexMatch]? {
        try await searchErrorsMapped { try await cursor.nextPage() }
    }

    /// `read`'s result; a database error becomes an ``ArchiveError``, cancellation stays itself.
    private static func searchErrorsMapped<T>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch let error as ArchiveError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ArchiveError(.database, "cannot search the index: \(String(reflecting: error))")
        }
    }

    /// The instances under the entities an identifier names (a C-GET or C-MOVE): every key it
    /// holds that the index decides applies, at whatever level, and the instances of every
    /// matching entity are returned.
    public func instances(matching query: Query) async throws(ArchiveError) -> [IndexedInstance] {
        var instanceQuery = query
        instanceQuery.level = .image
        return try await search(instanceQuery, level: .image).compactMap(\.instance)
    }

    // MARK: - SQL pieces

    /// `table` joined with its parents.
    static func joinedTables(_ table: IndexSchema.Table) -> String {
        let patient = "JOIN patient ON patient.patient_key = study.study_patient_key"
        let study = "JOIN study ON study.study_uid = series.series_study_uid"
        let series = "JOIN series ON series.series_uid = instance.instance_series_uid"
        switch table {
        case .patient: return "patient"
        case .study: return "study \(patient)"
        case .series: return "series \(study) \(patient)"
        case .instance: return "instance \(series) \(study) \(patient)"
        }
    }

    /// A count computed for each row of a level.
    struct ComputedColumn {
        var tag: Tag
        var alias: String
        var subquery: String
    }

    /// The counts computed for `table`'s rows and for its parents' (PS3.4 C.6.1.1.2–C.6.1.1.4;
    /// a study row also answers its patient's counts), parents first.
    static func computedColumns(through table: IndexSchema.Table) -> [ComputedColumn] {
        IndexSchema.Table.allCases.filter { $0.depth <= table.depth }.flatMap(computedColumns(for:))
    }

    /// The counts computed for `table`'s rows (PS3.4 C.6.1.1.2–C.6.1.1.4).
    static func computedColumns(for table: IndexSchema.Table) -> [ComputedColumn] {
        switch table {
        case .patient:
            return [
                ComputedColumn(tag: .numberOfPatientRelatedStudies, alias: "n_patient_studies", subquery:
                    "SELECT COUNT(*) FROM study AS c WHERE c.study_patient_key = patient.patient_key"),
                ComputedColumn(tag: .numberOfPatientRelatedSeries, alias: "n_patient_series", subquery:
                    "SELECT COUNT(*) FROM series AS c JOIN study AS d ON d.study_uid = c.series_study_uid WHERE d.study_patient_key = patient.patient_key"),
                ComputedColumn(tag: .numberOfPatientRelatedInstances, alias: "n_patient_instances", subquery:
                    "SELECT COUNT(*) FROM instance AS c JOIN study AS d ON d.study_uid = c.instance_study_uid WHERE d.study_patient_key = patient.patient_key"),
            ]
        case .study:
            return [
                ComputedColumn(tag: .numberOfStudyRelatedSeries, alias: "n_study_series", subquery:
                    "SELECT COUNT(*) FROM series AS c WHERE c.series_study_uid = study.study_uid"),
                ComputedColumn(tag: .numberOfStudyRelatedInstances, alias: "n_study_instances", subquery:
                    "SELECT COUNT(*) FROM instance AS c WHERE c.instance_study_uid = study.study_uid"),
            ]
        case .series:
            return [
                ComputedColumn(tag: .numberOfSeriesRelatedInstances, alias: "n_series_instances", subquery:
                    "SELECT COUNT(*) FROM instance AS c WHERE c.instance_series_uid = series.series_uid"),
            ]
        case .instance:
            return []
        }
    }

    /// `values` in batches of at most 500, each bound in one `IN (…)` list: within both
    /// databases' limits on bound parameters, and statements kept short.
    static func bindBatches<Value>(_ values: [Value]) -> [[Value]] {
        stride(from: 0, to: values.count, by: 500).map { Array(values[$0..<min($0 + 500, values.count)]) }
    }

    /// The distinct non-NULL values of `column` in `table` for each of `keys` of `groupColumn`,
    /// sorted; asked in batches to keep statements short.
    static func distinctValues(
        _ column: String, of table: String, groupedBy groupColumn: String, for keys: [String], in database: any SQLDatabase
    ) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for batch in bindBatches(keys) {
            let rows = try await database.raw("""
                SELECT DISTINCT \(unsafeRaw: groupColumn) AS owner, \(unsafeRaw: column) AS value FROM \(unsafeRaw: table)
                WHERE \(unsafeRaw: groupColumn) IN (\(binds: batch)) AND \(unsafeRaw: column) IS NOT NULL
                """).all()
            for row in rows {
                let owner = try row.decode(column: "owner", as: String.self)
                result[owner, default: []].append(try row.decode(column: "value", as: String.self))
            }
        }
        for key in result.keys { result[key]?.sort() }
        return result
    }
}
