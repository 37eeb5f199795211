import DICOMCore
import Logging

extension Archive {
    /// What ``reindex()`` found in the store's tree and did to the index.
    public struct ReindexSummary: Sendable, Equatable {
        /// A file of the tree left out of the index, and why.
        public struct Skipped: Sendable, Equatable {
            /// The file's path relative to the store's root.
            public var path: String
            public var reason: String
        }

        /// The instance files found in the tree.
        public var files = 0
        /// Files the index already held, at the size they have.
        public var unchanged = 0
        /// Files recorded: missing from the index, or held at another size.
        public var indexed = 0
        /// Records removed because their file is gone.
        public var forgotten = 0
        /// Files not recorded.
        public var skipped: [Skipped] = []
    }

    /// Brings the index in line with the files of the store's tree
    /// (``InstanceStore/instanceFiles()``): records every file the index lacks or holds at
    /// another size (read as an arrival is), and removes every record whose file is gone. A
    /// file is never removed or moved: one that is not a readable instance, or not at the path
    /// its UIDs give, or a second file of a SOP Instance UID already recorded, is left out and
    /// listed. For an index lost or damaged, or a new one (a PostgreSQL database) to fill from a
    /// store.
    ///
    /// Files whose record matches are not read, so checking a store the index agrees with
    /// costs a `stat` per file. Run it while no instance is being stored: a copy replacing
    /// another meanwhile could be recorded at the file it replaced.
    public func reindex() async throws(ArchiveError) -> ReindexSummary {
        try await settle()
        let store = self.store
        let files = try await Self.blocking { () throws(ArchiveError) in
            store.instanceFiles().map { (path: $0, size: FileSystem.fileSize(store.absolutePath($0))) }
        }
        let records = try await index.indexedFiles()
        var summary = ReindexSummary(files: files.count)
        // The file each SOP Instance UID is recorded at by now: the unchanged ones first, so
        // that a second file of one of them is not recorded in its place.
        var recordedAt: [String: String] = [:]
        var toRead: [String] = []
        for file in files {
            if let record = records[file.path], record.fileSize == file.size {
                summary.unchanged += 1
                recordedAt[record.sopInstanceUID] = file.path
            } else {
                toRead.append(file.path)
            }
        }
        for (number, path) in toRead.enumerated() {
            if number > 0, number % 1000 == 0 { logger.info("reindex: \(number) of \(toRead.count) files read") }
            let instance: IndexedInstance
            do {
                instance = try await Self.blocking { () throws(ArchiveError) in try Self.record(ofFileAt: store.absolutePath(path)) }
            } catch {
                summary.skipped.append(.init(path: path, reason: error.detail))
                continue
            }
            if instance.path != path {
                summary.skipped.append(.init(path: path, reason: "it holds \(instance.sopInstanceUID), which is filed at \(instance.path)"))
            } else if let other = recordedAt[instance.sopInstanceUID] {
                summary.skipped.append(.init(path: path, reason: "\(instance.sopInstanceUID) is recorded at \(other) already"))
            } else {
                try await index.record(instance)
                recordedAt[instance.sopInstanceUID] = path
                summary.indexed += 1
            }
        }
        let present = Set(files.map(\.path))
        for (path, record) in records where !present.contains(path) {
            if try await index.remove(sopInstanceUID: record.sopInstanceUID, ifFiledAt: path) != nil { summary.forgotten += 1 }
        }
        try await settle()
        return summary
    }
}
