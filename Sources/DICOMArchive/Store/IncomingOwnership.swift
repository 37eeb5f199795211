#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Which arrivals of `incoming/` an open store is still handling: those named with the token of
/// a store whose owner file, `incoming/.owner-TOKEN`, is locked (flock(2), held from the store's
/// opening until it is released, or its process ends). Nodes sharing a storage directory (on
/// PostgreSQL), or a tool opening the archive of a running qrscp (`--reindex`), then recover
/// only the arrivals of stores that stopped, never one another is placing and indexing. On NFS
/// the server must support locks.
final class IncomingOwnership: Sendable {
    /// The owner files' name prefix; the dot keeps them from being taken for arrivals.
    static let prefix = ".owner-"

    private let path: String
    private let descriptor = Atomic<Int32>(-1)

    /// Takes the owner file of `token` in `directory`: written and locked under a temporary
    /// name, then renamed, so that no one sees it unlocked.
    init(token: String, directory: String) throws(ArchiveError) {
        path = directory + "/" + Self.prefix + token
        let temporary = path + ".new"
        let opened = open(temporary, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw FileSystem.failure("cannot create \(temporary)", errno) }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0, rename(temporary, path) == 0 else {
            let code = errno
            close(opened)
            unlink(temporary)
            throw FileSystem.failure("cannot take \(path)", code)
        }
        descriptor.store(opened, ordering: .relaxed)
    }

    deinit { release() }

    /// Gives the arrivals up: removes the owner file and drops its lock. Idempotent.
    func release() {
        let opened = descriptor.exchange(-1, ordering: .relaxed)
        guard opened >= 0 else { return }
        unlink(path)
        close(opened)
    }

    /// Whether a store still handles the arrivals named with `token`: its owner file in
    /// `directory` is there and locked (by another store, or by this process through another
    /// store).
    static func isLive(token: String, in directory: String) -> Bool {
        let opened = open(directory + "/" + prefix + token, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { return false }
        defer { close(opened) }
        return flock(opened, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    /// Removes the owner files in `directory` whose store is gone (their lock free). Blocks.
    static func removeAbandoned(in directory: String, names: [String]) {
        for name in names where name.hasPrefix(prefix) && !name.hasSuffix(".new") {
            let token = String(name.dropFirst(prefix.count))
            if !isLive(token: token, in: directory) { unlink(directory + "/" + name) }
        }
    }
}
