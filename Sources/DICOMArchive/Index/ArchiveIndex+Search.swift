public import DICOMCore
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
}

extension ArchiveIndex {
    /// Whether the index can decide `key` at `level`: an attribute stored at that level or
    /// above, or one computed for that level. A combined date-time key needs both of its tags.
    public static func decides(_ key: QueryKey, at level: QueryRetrieveLevel) -> Bool {
        guard let table = IndexSchema.Table(level) else { return false }
        func known(_ tag: Tag) -> Bool {
            if let column = IndexSchema.column(for: tag) { return column.table.depth <= table.depth }
            return IndexSchema.computed[tag] == table
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

    /// Whether `tag` belongs to a level below `level` (a key a hierarchical query ignores).
    static func isBelow(_ tag: Tag, _ level: QueryRetrieveLevel) -> Bool {
        guard let table = IndexSchema.Table(level), let own = IndexSchema.table(of: tag) else { return false }
        return own.depth > table.depth
    }

    /// The entities of `level` whose attributes match `query`.
    ///
    /// Keys the index cannot decide (``decides(_:at:)``) are taken as universal: they match
    /// everything here and come back empty, and a caller that can read them elsewhere (the
    /// files, at the image level) applies them itself. The keys that map to columns narrow the
    /// rows in SQL first (``SQLPrefilter``); ``Query/matches(_:)`` then decides on each row, so
    /// that matching follows `Matching/` exactly.
    public func search(_ query: Query, level: QueryRetrieveLevel) async throws(ArchiveError) -> [IndexMatch] {
        try await search(query, level: level, matching: true)
    }

    /// ``search(_:level:)``, or with `matching` false the rows the SQL prefilter keeps (for
    /// tests of the prefilter).
    func search(_ query: Query, level: QueryRetrieveLevel, matching: Bool) async throws(ArchiveError) -> [IndexMatch] {
        guard let table = IndexSchema.Table(level) else {
            throw ArchiveError(.invalidConfiguration, "the index has no \(level.rawValue) level")
        }
        var effective = query
        effective.keys = query.keys.map { key in
            Self.decides(key, at: level) ? key : QueryKey(tag: key.tag, vr: key.vr, matching: .universal, options: key.options)
        }
        let requested = Set(effective.keys.map(\.tag))
        let computed = Self.computedColumns(for: table).filter { requested.contains($0.tag) }
        let tables = IndexSchema.Table.allCases.filter { $0.depth <= table.depth }

        var sql: SQLQueryString = "SELECT \(unsafeRaw: tables.map { "\($0.rawValue).*" }.joined(separator: ", "))"
        for column in computed {
            sql += ", (\(unsafeRaw: column.subquery)) AS \(unsafeRaw: column.alias)"
        }
        sql += " FROM \(unsafeRaw: Self.joinedTables(table))"
        let conditions = effective.keys.filter { !$0.isUniversal }.compactMap(SQLPrefilter.condition(for:))
        if !conditions.isEmpty {
            sql += " WHERE \(conditions.joined(separator: " AND "))"
        }
        sql += " ORDER BY \(unsafeRaw: Self.order(table))"

        do {
            return try await pool.withDatabase(logger: logger) { database in
                let rows = try await database.raw(sql).all()
                var lists: [Tag: [String: [String]]] = [:]
                if table == .study {
                    let studies = try rows.map { try $0.decode(column: "study_uid", as: String.self) }
                    if requested.contains(.modalitiesInStudy) {
                        lists[.modalitiesInStudy] = try await Self.distinctValues(
                            "modality", of: "series", groupedBy: IndexSchema.Link.seriesStudy, for: studies, in: database)
                    }
                    if requested.contains(.sopClassesInStudy) {
                        lists[.sopClassesInStudy] = try await Self.distinctValues(
                            "sop_class_uid", of: "instance", groupedBy: IndexSchema.Link.instanceStudy, for: studies, in: database)
                    }
                }
                var matches: [IndexMatch] = []
                for row in rows {
                    let attributes = try IndexRow.attributes(row, tables: tables)
                    var values: [Tag: [String]] = [:]
                    for column in computed {
                        values[column.tag] = [String(try row.decode(column: column.alias, as: Int.self))]
                    }
                    if let key = attributes[.studyInstanceUID] {
                        for (tag, list) in lists { values[tag] = list[key] ?? [] }
                    }
                    let dataSet = IndexRow.dataSet(attributes, computed: values)
                    guard !matching || effective.matches(dataSet) else { continue }
                    let instance = table == .instance ? try IndexRow.instance(row) : nil
                    matches.append(IndexMatch(level: level, attributes: dataSet, instance: instance))
                }
                return matches
            }
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
    private static func joinedTables(_ table: IndexSchema.Table) -> String {
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

    /// A stable order for the rows of `table`.
    private static func order(_ table: IndexSchema.Table) -> String {
        switch table {
        case .patient: "patient.patient_key"
        case .study: "study.study_date, study.study_time, study.study_uid"
        case .series: "series.series_study_uid, series.series_number, series.series_uid"
        case .instance: "instance.instance_study_uid, instance.instance_series_uid, instance.instance_number, instance.sop_instance_uid"
        }
    }

    /// A count computed for each row of a level.
    struct ComputedColumn {
        var tag: Tag
        var alias: String
        var subquery: String
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

    /// The distinct non-NULL values of `column` in `table` for each of `keys` of `groupColumn`,
    /// sorted; asked in batches to keep statements short.
    private static func distinctValues(
        _ column: String, of table: String, groupedBy groupColumn: String, for keys: [String], in database: any SQLDatabase
    ) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        var start = 0
        while start < keys.count {
            let batch = Array(keys[start..<min(keys.count, start + 500)])
            start += batch.count
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
