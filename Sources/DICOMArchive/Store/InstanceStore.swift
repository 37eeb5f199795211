import DICOMCore
import Foundation

/// The archive's files: one Part 10 file per instance at
/// `ROOT/StudyInstanceUID/SeriesInstanceUID/SOPInstanceUID.dcm`.
///
/// Every UID is checked with `UIDFileName` before it becomes a path component: a UID with `..`,
/// `/`, control characters or anything but digits and dots is refused, never used. Incoming
/// instances stream into `ROOT/incoming/` (the C-STORE command does not carry the study and
/// series), are fsynced there, then linked into place with their directory fsynced; only then
/// are they indexed and acknowledged, and their `incoming/` name removed. That name is the
/// journal of a crash between placing and indexing: the next open indexes every placed file
/// still named in `incoming/` (``placedIncomingFiles()``), so that every file of the tree is
/// indexed. Other leftovers of `incoming/` were never acknowledged and are removed once stale.
public struct InstanceStore: Sendable {
    /// The store's root directory.
    public let root: String

    /// Where instances wait while they arrive.
    public var incomingDirectory: String { root + "/" + Self.incomingName }

    /// The name of the directory of arriving instances, in the root.
    public static let incomingName = "incoming"

    /// Opens the store at `root`, creating it (and `incoming/`) when missing, and removes what
    /// interrupted transfers left in `incoming/`: nothing there was ever acknowledged.
    ///
    /// - Parameter staleIncomingAge: files of `incoming/` not modified for this long are removed;
    ///   younger ones may be arriving through another node sharing the store. Zero removes all.
    public init(root: String, staleIncomingAge: Duration = .seconds(3600)) throws(ArchiveError) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
        try FileSystem.makeDirectories(incomingDirectory, durable: true)
        let limit = Date().addingTimeInterval(-Double(staleIncomingAge.components.seconds))
        let placed = Set(placedIncomingFiles())
        for name in FileSystem.names(in: incomingDirectory) {
            let path = incomingDirectory + "/" + name
            // Kept for the archive to index (see Archive.open), however old.
            if placed.contains(path) { continue }
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
        var components: [String] = []
        for (name, uid) in [("Study Instance UID", studyInstanceUID), ("Series Instance UID", seriesInstanceUID), ("SOP Instance UID", sopInstanceUID)] {
            guard let component = UIDFileName.fileName(for: uid) else {
                throw ArchiveError(.unsafeUID, "the \(name) \"\(uid.prefix(80))\" is not a valid UID")
            }
            components.append(component)
        }
        return components.joined(separator: "/") + ".dcm"
    }

    /// The absolute path of a path relative to the root.
    public func absolutePath(_ relativePath: String) -> String {
        root + "/" + relativePath
    }

    /// A new path in `incoming/` for an arriving instance; nil when its SOP Instance UID is not
    /// safe as a file name. The name is unique, so that two copies of one instance arriving at
    /// once do not meet.
    public func incomingPath(for sopInstanceUID: String) -> String? {
        guard let name = UIDFileName.fileName(for: sopInstanceUID) else { return nil }
        return "\(incomingDirectory)/\(name).\(UUID().uuidString).dcm"
    }

    /// Gives the durable file at `path` (in `incoming/`) its place at `relativePath` under the
    /// root, replacing what is there, durably (directories created and linked or renamed into
    /// are fsynced). The `incoming/` name stays until ``discard(_:)`` after indexing. Blocks.
    public func place(_ path: String, at relativePath: String) throws(ArchiveError) {
        let destination = absolutePath(relativePath)
        try FileSystem.makeDirectories(FileSystem.parent(of: destination), durable: true)
        switch try FileSystem.linkDurably(path, to: destination) {
        case .linked:
            return
        case .destinationExists:
            // Replaced atomically by renaming a second incoming name over it.
            let replacement = path + Self.replacementSuffix
            try FileSystem.linkReplacing(path, at: replacement)
            try FileSystem.moveDurably(replacement, to: destination)
        case .unsupported:
            // No hard links here: a rename, and no journal of the placing.
            try FileSystem.moveDurably(path, to: destination)
        }
    }

    /// The suffix of the second `incoming/` name through which ``place(_:at:)`` replaces a file.
    static let replacementSuffix = ".replacing"

    /// The files of `incoming/` that ``place(_:at:)`` linked into the tree and that were not
    /// indexed yet: complete files (no temporary name) with a second link. A crash between
    /// placing and indexing leaves them. Blocks.
    public func placedIncomingFiles() -> [String] {
        FileSystem.names(in: incomingDirectory).sorted()
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(Self.replacementSuffix) }
            .map { incomingDirectory + "/" + $0 }
            .filter { (FileSystem.identity(of: $0)?.links ?? 1) > 1 }
    }

    /// Whether the file at `relativePath` under the root is the file at `incomingPath` (one
    /// file, two names). Blocks.
    public func isPlaced(_ incomingPath: String, at relativePath: String) -> Bool {
        guard let incoming = FileSystem.identity(of: incomingPath), let placed = FileSystem.identity(of: absolutePath(relativePath)) else {
            return false
        }
        return incoming.device == placed.device && incoming.inode == placed.inode
    }

    /// Removes the file at `relativePath` under the root, if there.
    public func remove(_ relativePath: String) {
        FileSystem.remove(absolutePath(relativePath))
    }

    /// Removes a file of `incoming/` (a refused or failed arrival, or the `incoming/` name of an
    /// instance placed and indexed).
    public func discard(_ incomingPath: String) {
        FileSystem.remove(incomingPath)
    }
}
