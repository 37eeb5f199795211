import SQLKit

extension ArchiveIndex {
    /// Where an indexed instance's file is, and its SOP class: what checking a reference to it
    /// needs (Storage Commitment), without the rest of its record.
    struct InstanceLocation: Hashable, Sendable {
        /// SOP Class UID (0008,0016), as indexed.
        var sopClassUID: String
        /// The file's path relative to the store's root.
        var path: String
        /// The file's size in bytes when it was indexed.
        var fileSize: Int
    }

    /// The locations of the indexed instances among `sopInstanceUIDs`, by SOP Instance UID;
    /// the UIDs not indexed are absent. One query per 500 UIDs (``bindBatches(_:)``), so that a
    /// request naming thousands of instances stays within both databases' limits.
    func locations(sopInstanceUIDs: [String]) async throws(ArchiveError) -> [String: InstanceLocation] {
        // An instance acknowledged before its rows were committed is stored all the same.
        await awaitSubmittedRecords()
        let unique = Array(Set(sopInstanceUIDs))
        do {
            return try await pool.withDatabase(logger: logger) { database in
                var found: [String: InstanceLocation] = [:]
                for batch in Self.bindBatches(unique) {
                    let rows = try await database.raw("""
                        SELECT sop_instance_uid, sop_class_uid, \(unsafeRaw: IndexSchema.Link.filePath), \(unsafeRaw: IndexSchema.Link.fileSize)
                        FROM instance WHERE sop_instance_uid IN (\(binds: batch))
                        """).all()
                    for row in rows {
                        let uid = try row.decode(column: "sop_instance_uid", as: String.self)
                        found[uid] = InstanceLocation(
                            sopClassUID: try row.decode(column: "sop_class_uid", as: String?.self) ?? "",
                            path: try row.decode(column: IndexSchema.Link.filePath, as: String.self),
                            fileSize: try row.decode(column: IndexSchema.Link.fileSize, as: Int.self))
                    }
                }
                return found
            }
        } catch {
            throw ArchiveError(.database, "cannot look up \(unique.count) instances: \(String(reflecting: error))")
        }
    }

    /// Every indexed instance's file: its SOP Instance UID and the size it had when indexed, by
    /// path relative to the store's root (what ``Archive/reindex()`` compares with the tree).
    func indexedFiles() async throws(ArchiveError) -> [String: (sopInstanceUID: String, fileSize: Int)] {
        await awaitSubmittedRecords()
        do {
            return try await pool.withDatabase(logger: logger) { database in
                let rows = try await database.raw("""
                    SELECT sop_instance_uid, \(unsafeRaw: IndexSchema.Link.filePath), \(unsafeRaw: IndexSchema.Link.fileSize) FROM instance
                    """).all()
                var files: [String: (sopInstanceUID: String, fileSize: Int)] = Dictionary(minimumCapacity: rows.count)
                for row in rows {
                    files[try row.decode(column: IndexSchema.Link.filePath, as: String.self)] = (
                        try row.decode(column: "sop_instance_uid", as: String.self),
                        try row.decode(column: IndexSchema.Link.fileSize, as: Int.self))
                }
                return files
            }
        } catch {
            throw ArchiveError(.database, "cannot list the indexed files: \(String(reflecting: error))")
        }
    }

    /// The path (relative to the store's root) of one instance under each of `matches`'
    /// entities, by entity key (``IndexMatch/entityKey``): the files that answer the keys the
    /// index does not keep at a level above the image (an instance carries its patient's,
    /// study's and series' attributes). One statement per 500 entities (``bindBatches(_:)``); an
    /// entity without instances is absent.
    func representativeFiles(of matches: [IndexMatch]) async throws(ArchiveError) -> [String: String] {
        guard let level = matches.first?.level, let table = IndexSchema.Table(level), table != .instance else { return [:] }
        let keys = Array(Set(matches.compactMap(\.entityKey)))
        let owner = switch table {
        case .patient: "study.\(IndexSchema.Link.studyPatient)"
        case .study: "instance.\(IndexSchema.Link.instanceStudy)"
        case .series, .instance: "instance.\(IndexSchema.Link.instanceSeries)"
        }
        let from = table == .patient ? "instance JOIN study ON study.study_uid = instance.\(IndexSchema.Link.instanceStudy)" : "instance"
        let path = "instance.\(IndexSchema.Link.filePath)"
        do {
            return try await pool.withDatabase(logger: logger) { database in
                var found: [String: String] = [:]
                for batch in Self.bindBatches(keys) {
                    let rows = try await database.raw("""
                        SELECT \(unsafeRaw: owner) AS owner, MIN(\(unsafeRaw: path)) AS path FROM \(unsafeRaw: from)
                        WHERE \(unsafeRaw: owner) IN (\(binds: batch)) GROUP BY \(unsafeRaw: owner)
                        """).all()
                    for row in rows {
                        found[try row.decode(column: "owner", as: String.self)] = try row.decode(column: "path", as: String.self)
                    }
                }
                return found
            }
        } catch {
            throw ArchiveError(.database, "cannot find the instances of \(keys.count) \(level.rawValue) entities: \(String(reflecting: error))")
        }
    }
}
