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
}
