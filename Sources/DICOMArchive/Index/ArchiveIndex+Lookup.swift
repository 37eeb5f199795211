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
    /// the UIDs not indexed are absent. One query per 500 UIDs, so that a request naming
    /// thousands of instances stays within both databases' limits on bound parameters.
    func locations(sopInstanceUIDs: [String]) async throws(ArchiveError) -> [String: InstanceLocation] {
        // An instance acknowledged before its rows were committed is stored all the same.
        await awaitSubmittedRecords()
        let unique = Array(Set(sopInstanceUIDs))
        do {
            return try await pool.withDatabase(logger: logger) { database in
                var found: [String: InstanceLocation] = [:]
                for start in stride(from: 0, to: unique.count, by: 500) {
                    let batch = Array(unique[start..<min(start + 500, unique.count)])
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

    /// The path (relative to the store's root) of one instance under `match`'s entity, whose
    /// file answers the keys the index does not keep at a level above the image (PS3.4
    /// C.4.1.2.3: return keys the index lacks are read from an instance, which carries its
    /// patient's, study's and series' attributes); nil when the entity has none.
    func representativeFile(of match: IndexMatch) async throws(ArchiveError) -> String? {
        guard let key = match.entityKey, let table = IndexSchema.Table(match.level) else { return nil }
        let path = IndexSchema.Link.filePath
        let statement: SQLQueryString
        switch table {
        case .patient:
            statement = """
                SELECT instance.\(unsafeRaw: path) FROM instance JOIN study ON study.study_uid = instance.\(unsafeRaw: IndexSchema.Link.instanceStudy)
                WHERE study.\(unsafeRaw: IndexSchema.Link.studyPatient) = \(bind: key) LIMIT 1
                """
        case .study:
            statement = "SELECT \(unsafeRaw: path) FROM instance WHERE \(unsafeRaw: IndexSchema.Link.instanceStudy) = \(bind: key) LIMIT 1"
        case .series:
            statement = "SELECT \(unsafeRaw: path) FROM instance WHERE \(unsafeRaw: IndexSchema.Link.instanceSeries) = \(bind: key) LIMIT 1"
        case .instance:
            return match.instance?.path
        }
        do {
            return try await pool.withDatabase(logger: logger) { database in
                try await database.raw(statement).first()?.decode(column: path, as: String.self)
            }
        } catch {
            throw ArchiveError(.database, "cannot find an instance of \(match.level.rawValue) \(key): \(String(reflecting: error))")
        }
    }
}
