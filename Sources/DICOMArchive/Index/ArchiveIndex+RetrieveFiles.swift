import DICOMCore
import SQLKit

/// One file a C-GET or C-MOVE sends, with what the index knows of its instance: enough to
/// propose a C-MOVE destination's presentation contexts without opening the file.
public struct RetrieveFile: Hashable, Sendable {
    /// The file's path relative to the store's root.
    public var path: String
    /// SOP Class UID (0008,0016).
    public var sopClassUID: String
    /// SOP Instance UID (0008,0018).
    public var sopInstanceUID: String
    /// The transfer syntax the file's data set is encoded in.
    public var transferSyntaxUID: String
}

extension ArchiveIndex {
    /// The files (relative to the store) of the instances under the entities a C-GET or C-MOVE
    /// identifier names: those of ``instances(matching:)``, in the same order.
    ///
    /// The usual identifier (the unique keys of its level and those above, and Patient ID) is
    /// decided by SQL exactly, so one statement selects the files, without a data set made
    /// and matched per instance (11% of qrscp's CPU in a C-MOVE of 200 instances). Any other
    /// identifier goes through ``instances(matching:)``.
    public func retrieveFiles(matching query: Query) async throws(ArchiveError) -> [RetrieveFile] {
        var instanceQuery = query
        instanceQuery.level = .image
        guard let statement = Self.fileStatement(for: instanceQuery) else {
            return try await instances(matching: query).map {
                RetrieveFile(path: $0.path, sopClassUID: $0.sopClassUID, sopInstanceUID: $0.sopInstanceUID, transferSyntaxUID: $0.transferSyntaxUID)
            }
        }
        await awaitSubmittedRecords()
        do {
            if let reader = pool.reader {
                return try await reader.withDatabase(logger: logger) { database in try await Self.files(statement, in: database) }
            }
            return try await pool.withDatabase(logger: logger) { database in try await Self.files(statement, in: database) }
        } catch let error as ArchiveError {
            throw error
        } catch is CancellationError {
            throw ArchiveError(.database, "the retrieve's search was cancelled")
        } catch {
            throw ArchiveError(.database, "cannot search the index: \(String(reflecting: error))")
        }
    }

    /// The columns of a retrieve's statement, in ``RetrieveFile``'s order (the schema has both
    /// UID columns).
    private static let fileColumns = [
        IndexSchema.Link.filePath, IndexSchema.column(for: .sopClassUID)!.name, IndexSchema.column(for: .sopInstanceUID)!.name,
        IndexSchema.Link.transferSyntax,
    ]

    /// The files `statement` selects: on SQLite by position, without a row dictionary.
    private static func files(_ statement: SQLQueryString, in database: any SQLDatabase) async throws -> [RetrieveFile] {
        if let sqlite = database as? SQLiteReadDatabase {
            return try sqlite.values(statement).map { row in
                func text(_ index: Int) throws -> String {
                    guard index < row.count, case .text(let value?) = row[index] else {
                        throw ArchiveError(.database, "the index has no \(fileColumns[index]) for an instance")
                    }
                    return value
                }
                return RetrieveFile(path: try text(0), sopClassUID: try text(1), sopInstanceUID: try text(2), transferSyntaxUID: try text(3))
            }
        }
        return try await database.raw(statement).all().map { row in
            func text(_ index: Int) throws -> String { try row.decode(column: fileColumns[index], as: String.self) }
            return RetrieveFile(path: try text(0), sopClassUID: try text(1), sopInstanceUID: try text(2), transferSyntaxUID: try text(3))
        }
    }

    /// The statement of the instances' file paths for `query`, or nil when SQL does not decide
    /// each of its keys exactly as `Matching/` would: every key the index cannot decide is
    /// universal (as ``search(_:level:)`` takes it), and every other is universal, or a single
    /// ASCII value of a text attribute compared as it is stored (no person name, date or time,
    /// no unknown value matching every key), or a list of UIDs.
    static func fileStatement(for query: Query) -> SQLQueryString? {
        var conditions: [SQLQueryString] = []
        for key in query.keys where ArchiveIndex.decides(key, at: .image) && !key.isUniversal {
            guard let column = IndexSchema.column(for: key.tag), column.storage == .text,
                  !key.options.unknownValuesMatchEveryKey.contains(key.tag) else { return nil }
            switch key.matching {
            case .single(let value):
                guard exactTextVRs.contains(column.vr), value.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            case .uidList(let uids):
                guard column.vr == .UI, uids.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
            default:
                return nil
            }
            guard let condition = SQLPrefilter.condition(for: key) else { return nil }
            conditions.append(condition)
        }
        let key = "instance.\(IndexSchema.Table.instance.key)"
        let columns = fileColumns.map { "instance.\($0)" }.joined(separator: ", ")
        var sql: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: joinedTables(.instance))"
        if !conditions.isEmpty {
            sql += " WHERE \(conditions.joined(separator: " AND "))"
        }
        sql += " ORDER BY \(unsafeRaw: key)"
        return sql
    }

    /// The VRs whose single value matching is plain equality of the stored text
    /// (``SingleValueMatching``), which SQL's `=` on the same text decides.
    static let exactTextVRs: Set<VR> = [.AE, .AS, .CS, .LO, .LT, .SH, .ST, .UC, .UI, .UR, .UT]
}
