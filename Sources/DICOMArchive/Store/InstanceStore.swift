import DICOMCore
import Foundation
import Synchronization

/// The archive's files: one Part 10 file per instance at
/// `ROOT/StudyInstanceUID/SeriesInstanceUID/SOPInstanceUID.dcm`.
///
/// Every UID is checked with `UIDFileName` before it becomes a path component: a UID with `..`,
/// `/` or control characters or anything but digits and dots is refused, never used. Incoming
/// instances stream into `ROOT/incoming/` (the C-STORE command does not carry the study and
/// series) and are made durable there (file and directory fsynced) before the archive looks at
/// them; then they are linked into place and indexed, and acknowledged (on SQLite before the
/// rows commit: see ``Archive/receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)``). Their `incoming/` name
/// is the journal of what follows: it is removed only once the link into the tree and the index
/// rows are durable too (see ``IncomingJournal``, which does that for many instances at once),
/// and the next open indexes every complete file still in `incoming/`
/// (``pendingIncomingFiles()``), placing it again if its link was lost. So an acknowledged
/// instance survives a crash or power loss at any point. Temporary files of `incoming/` (a
/// transfer cut short) were never acknowledged and are removed once stale.
///
/// Several stores may share one root (qrscp nodes on one PostgreSQL index, or a tool beside a
/// running qrscp): each names its arrivals with a token of its own and holds that token's owner
/// file while open (``IncomingOwnership``), so that each recovers only the arrivals of stores
/// that are gone.
public struct InstanceStore: Sendable {
    /// The store's root directory.
    public let root: String
    /// What this store's arrivals are named with (``incomingPath(for:)``).
    private let token: String
    /// This store's claim on the arrivals it names; nil where no owner file can be made (a
    /// read-only store, which receives nothing).
    private let ownership: IncomingOwnership?

    /// Where instances wait while they arrive.
    public var incomingDirectory: String { root + "/" + Self.incomingName }

    /// The name of the directory of arriving instances, in the root.
    public static let incomingName = "incoming"

    /// Opens the store at `root`, creating it (and `incoming/`) when missing, and removes the
    /// temporary files interrupted transfers left in `incoming/`: none was ever acknowledged.
    ///
    /// - Parameter staleIncomingAge: files of `incoming/` not modified for this long are removed;
    ///   younger ones may be arriving through another node sharing the store. Zero removes all.
    public init(root: String, staleIncomingAge: Duration = .seconds(3600)) throws(ArchiveError) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
        let incoming = root + "/" + Self.incomingName
        try FileSystem.makeDirectories(incoming, durable: true)
        token = String(UInt64.random(in: .min ... .max), radix: 36) + "-" + String(UInt64.random(in: .min ... .max), radix: 36)
        ownership = try? IncomingOwnership(token: token, directory: incoming)
        let names = FileSystem.names(in: incoming)
        IncomingOwnership.removeAbandoned(in: incoming, names: names)
        let limit = Date().addingTimeInterval(-Double(staleIncomingAge.components.seconds))
        // Owner files are removed with their store (a crashed one's just above); a half-made
        // one (".new") like any temporary.
        for name in names where !name.hasPrefix(IncomingOwnership.prefix) || name.hasSuffix(".new") {
            let path = incoming + "/" + name
            // A complete file may have been acknowledged: the archive indexes it when it opens
            // (see Archive.open), however old.
            if Self.isComplete(name) { continue }
            // A replaced copy whose removal a crash interrupted: the tree and the index no
            // longer need it.
            if name.hasSuffix(Self.supersededSuffix) {
                FileSystem.remove(path)
                continue
            }
            let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            if staleIncomingAge == .zero || (modified ?? .distantPast) < limit {
                FileSystem.remove(path)
            }
        }
    }

    /// The path, relative to the root, where the instance with these UIDs is stored.
    ///
    /// - Throws: ``ArchiveError/Code/unsafeUID`` when a UID is not safe as a file name.
    public static func relativePath(studyInstanceUID: String, seriesInstanceUID: String, sopInstanceUID: String) throws(ArchiveError) -> String {
        // Checked one by one, without building arrays: this runs for every arriving instance.
        func safe(_ uid: String, _ name: String) throws(ArchiveError) -> String {
            guard let component = UIDFileName.fileName(for: uid) else {
                throw ArchiveError(.unsafeUID, "the \(name) \"\(uid.prefix(80))\" is not a valid UID")
            }
            return component
        }
        let study = try safe(studyInstanceUID, "Study Instance UID")
        let series = try safe(seriesInstanceUID, "Series Instance UID")
        let instance = try safe(sopInstanceUID, "SOP Instance UID")
        return "\(study)/\(series)/\(instance).dcm"
    }

    /// The absolute path of a path relative to the root.
    public func absolutePath(_ relativePath: String) -> String {
        root + "/" + relativePath
    }

    /// A new path in `incoming/` for an arriving instance; nil when its SOP Instance UID is not
    /// safe as a file name. The name is unique, so that two copies of one instance arriving at
    /// once do not meet: `NAME.TOKEN-N.dcm`, where TOKEN is 128 random bits in base 36 drawn
    /// when the store opened (stores sharing the root differ; see ``IncomingOwnership``) and N
    /// counts arrivals. (Foundation's `UUID()` reads /dev/urandom anew each time: three system
    /// calls per instance, on the event loop.)
    public func incomingPath(for sopInstanceUID: String) -> String? {
        guard let name = UIDFileName.fileName(for: sopInstanceUID) else { return nil }
        let number = Self.arrivals.add(1, ordering: .relaxed).newValue
        return "\(incomingDirectory)/\(name).\(token)-\(number).dcm"
    }

    /// The arrivals named so far by this process.
    private static let arrivals = Atomic<Int>(0)

    /// Gives up this store's claim on its arrivals (``IncomingOwnership``): another store
    /// opening on the root will recover those left. When the archive closes.
    public func releaseArrivals() {
        ownership?.release()
    }

    /// Gives the durable file at `path` (in `incoming/`) its place at `relativePath` under the
    /// root, replacing what is there (directories it creates are made durable at once). With
    /// `durable`, the new name is durable on return (its directory fsynced); without, the
    /// caller makes it so later (``syncDirectories(of:)``), and keeps the `incoming/` name until
    /// then. Blocks.
    ///
    /// - Parameter replacing: whether a file is expected at `relativePath` (the index holds a
    ///   copy there), so that replacing it is tried first (without `keepingReplaced`, a link
    ///   and a rename, instead of a link that fails first); either way, the other case is
    ///   handled too. Missing directories are made only when linking finds them missing: no
    ///   look-up per instance.
    /// - Parameter keepingReplaced: whether a replaced file keeps a name of its own (see
    ///   Returns); without, it is freed at once, which for a small file costs less than the
    ///   name's link and its removal, and leaves nothing to put back.
    /// - Returns: when a file was replaced, kept and links are supported, the name in `incoming/`
    ///   that still holds it (``supersededPath(of:)``), for the caller to remove
    ///   (``discard(_:)``) once placing is settled, or to put back (``restore(_:at:)``) if it is
    ///   undone: freeing a file's blocks takes longer than placing its replacement, and need not
    ///   delay the answer.
    @discardableResult
    public func place(_ path: String, at relativePath: String, durable: Bool = true, replacing: Bool = false, keepingReplaced: Bool = true) throws(ArchiveError) -> String? {
        let destination = absolutePath(relativePath)
        if replacing, keepingReplaced, let superseded = try? replace(destination, with: path, durable: durable) {
            return superseded
        }
        // The rename puts the arrival over the file there, or where none is; it fails, changing
        // nothing, only when the directory is missing.
        if replacing, !keepingReplaced, (try? overwrite(destination, with: path, durable: durable)) != nil {
            return nil
        }
        var outcome = try FileSystem.addName(path, to: destination, durable: durable)
        if outcome == .missingDirectory {
            do {
                try FileSystem.makeDirectories(FileSystem.parent(of: destination), durable: true)
                outcome = try FileSystem.addName(path, to: destination, durable: durable)
            } catch {
                // A full disk: the study directory made, not the series's or its entry.
                removeEmptyDirectories(above: relativePath)
                throw error
            }
        }
        switch outcome {
        case .linked:
            return nil
        case .destinationExists:
            guard keepingReplaced else {
                try overwrite(destination, with: path, durable: durable)
                return nil
            }
            return try replace(destination, with: path, durable: durable)
        case .missingDirectory:
            throw ArchiveError(.fileSystem, "cannot link \(path) to \(destination): no such file or directory")
        case .unsupported:
            // No hard links here: a rename, and no journal of the placing, so durable at once.
            try FileSystem.move(path, to: destination, durable: true)
            return nil
        }
    }

    /// Replaces the file at `destination` with the one at `path` atomically, freeing the
    /// replaced file: by renaming a second `incoming/` name over it.
    private func overwrite(_ destination: String, with path: String, durable: Bool) throws(ArchiveError) {
        let replacement = path + Self.replacementSuffix
        do {
            try FileSystem.linkReplacing(path, at: replacement)
            try FileSystem.move(replacement, to: destination, durable: durable)
        } catch {
            FileSystem.remove(replacement)
            throw error
        }
    }

    /// Replaces the file at `destination` with the one at `path` atomically, by renaming a
    /// second `incoming/` name over it, after giving the replaced file a name of its own, which
    /// it returns. Throws, changing nothing, when nothing is at `destination`.
    private func replace(_ destination: String, with path: String, durable: Bool) throws(ArchiveError) -> String {
        let superseded = Self.supersededPath(of: path)
        try FileSystem.linkReplacing(destination, at: superseded)
        do {
            try overwrite(destination, with: path, durable: durable)
        } catch {
            FileSystem.remove(superseded)
            throw error
        }
        return superseded
    }

    /// Puts the file that ``place(_:at:durable:)`` superseded back at `relativePath`, undoing
    /// the placing. Blocks.
    public func restore(_ superseded: String, at relativePath: String) throws(ArchiveError) {
        try FileSystem.move(superseded, to: absolutePath(relativePath), durable: false)
    }

    /// The name in `incoming/` that keeps the file replaced by placing the arrival at `path`.
    static func supersededPath(of path: String) -> String {
        path + supersededSuffix
    }

    /// fsyncs the directories of the files at `relativePaths` (each once), so that the names
    /// ``place(_:at:durable:)`` gave them without `durable` survive a crash. Blocks.
    public func syncDirectories(of relativePaths: some Sequence<String>) throws(ArchiveError) {
        for directory in Set(relativePaths.map { FileSystem.parent(of: absolutePath($0)) }) {
            try FileSystem.syncDirectory(directory)
        }
    }

    /// The suffix of the second `incoming/` name through which ``place(_:at:durable:)``
    /// replaces a file.
    static let replacementSuffix = ".replacing"

    /// The suffix of the `incoming/` name that keeps a replaced file until it is removed.
    static let supersededSuffix = ".superseded"

    /// Whether a name of `incoming/` is a complete arrival: not a sink's temporary file (which
    /// starts with a dot), a replacement name nor a replaced file.
    static func isComplete(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix(replacementSuffix) && !name.hasSuffix(supersededSuffix)
    }

    /// The complete files of `incoming/`, oldest first: instances that arrived whose journal
    /// name is still there, because they were not yet (durably) placed and indexed when the
    /// archive stopped, or are being stored now; not those another open store is handling
    /// (``IncomingOwnership``). Blocks.
    public func pendingIncomingFiles() -> [String] {
        var live: [String: Bool] = [:]
        func isOthers(_ name: String) -> Bool {
            guard let token = Self.token(ofIncoming: name), token != self.token else { return false }
            if let known = live[token] { return known }
            let answer = IncomingOwnership.isLive(token: token, in: incomingDirectory)
            live[token] = answer
            return answer
        }
        let paths: [(path: String, modified: Int)] = FileSystem.names(in: incomingDirectory).filter { Self.isComplete($0) && !isOthers($0) }.map { name in
            let path = incomingDirectory + "/" + name
            return (path, FileSystem.modificationTime(of: path) ?? 0)
        }
        return paths.sorted { ($0.modified, $0.path) < ($1.modified, $1.path) }.map(\.path)
    }

    /// The names in `incoming/` but the owner files (``IncomingOwnership``): arrivals, replaced
    /// copies and temporaries. Blocks.
    public func incomingNames() -> [String] {
        FileSystem.names(in: incomingDirectory).filter { !$0.hasPrefix(IncomingOwnership.prefix) }
    }

    /// The SOP Instance UID an `incoming/` path was named for (``incomingPath(for:)``).
    static func sopInstanceUID(ofIncoming path: String) -> String {
        guard let parts = arrivalNameParts(path) else { return "" }
        return parts.dropLast(2).joined(separator: ".")
    }

    /// The token an `incoming/` path was named with (``incomingPath(for:)``); nil for a name
    /// of another form.
    static func token(ofIncoming path: String) -> String? {
        guard let parts = arrivalNameParts(path), let dash = parts[parts.count - 2].lastIndex(of: "-") else { return nil }
        return String(parts[parts.count - 2][..<dash])
    }

    /// The dot-separated parts of an arrival's name, `NAME.TOKEN-N.dcm` (the token has no
    /// dot); nil when there are fewer than three.
    private static func arrivalNameParts(_ path: String) -> [Substring]? {
        let name = path.split(separator: "/").last ?? ""
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 3 ? parts : nil
    }

    /// Whether the file at `relativePath` under the root is the file at `incomingPath` (one
    /// file, two names). Blocks.
    public func isPlaced(_ incomingPath: String, at relativePath: String) -> Bool {
        guard let incoming = FileSystem.identity(of: incomingPath), let placed = FileSystem.identity(of: absolutePath(relativePath)) else {
            return false
        }
        return incoming.device == placed.device && incoming.inode == placed.inode
    }

    /// The paths, relative to the root, of the files where instances are filed
    /// (`STUDY/SERIES/NAME.dcm`, two directories down, `incoming/` and hidden names left out),
    /// sorted. Blocks.
    public func instanceFiles() -> [String] {
        var paths: [String] = []
        for study in FileSystem.names(in: root) where study != Self.incomingName && !study.hasPrefix(".") {
            guard FileSystem.isDirectory(absolutePath(study)) else { continue }
            for series in FileSystem.names(in: absolutePath(study)) where !series.hasPrefix(".") {
                let directory = study + "/" + series
                guard FileSystem.isDirectory(absolutePath(directory)) else { continue }
                for name in FileSystem.names(in: absolutePath(directory)) where name.hasSuffix(".dcm") && !name.hasPrefix(".") {
                    paths.append(directory + "/" + name)
                }
            }
        }
        return paths.sorted()
    }

    /// Removes the file at `relativePath` under the root, if there.
    public func remove(_ relativePath: String) {
        FileSystem.remove(absolutePath(relativePath))
    }

    /// Removes the series and study directories above the file at `relativePath` that are
    /// empty, deepest first: those made for an arrival refused once placed (a full disk), which
    /// would otherwise stay as empty studies in the tree. A placing that meets a directory
    /// removed meanwhile makes it again (``place(_:at:durable:replacing:keepingReplaced:)``).
    func removeEmptyDirectories(above relativePath: String) {
        var directory = FileSystem.parent(of: relativePath)
        while directory != ".", directory != "/", !directory.isEmpty, FileSystem.removeDirectory(absolutePath(directory)) {
            directory = FileSystem.parent(of: directory)
        }
    }

    /// Removes a file of `incoming/` (a refused or failed arrival, or the `incoming/` name of an
    /// instance placed and indexed).
    public func discard(_ incomingPath: String) {
        FileSystem.remove(incomingPath)
    }
}
