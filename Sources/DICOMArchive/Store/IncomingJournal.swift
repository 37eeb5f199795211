import DICOMNetwork
import Logging
import Synchronization

/// The `incoming/` names of acknowledged instances whose placing and index rows are not yet
/// known durable, and the work that makes them so in batches: fsync each directory linked
/// into once, make the index durable once, then remove the names (and the names that kept the
/// files they replaced, whose blocks are freed then, off the answer's path).
///
/// Storing an instance thus costs no fsync beyond its own file's and `incoming/`'s, which the
/// reception does: a lone sender's next instance arrives while the last batch settles, and a
/// thousand instances of one series cost one directory fsync. Until its name is removed, an
/// instance is recovered from `incoming/` when the archive opens (``Archive/open(storage:database:duplicatePolicy:settleDelay:logger:)``),
/// so a crash or power loss in between loses nothing acknowledged.
final class IncomingJournal: Sendable {
    private struct Entry {
        var incoming: String
        var relativePath: String
        /// Whether placing kept the file it replaced under a name of its own
        /// (``InstanceStore/supersededPath(of:)``).
        var supersedes: Bool
    }

    private struct State {
        var pending: [Entry] = []
        var scheduled = false
        var closed = false
    }

    private let store: InstanceStore
    private let makeIndexDurable: @Sendable () async throws(ArchiveError) -> Void
    private let delay: Duration
    private let logger: Logger
    private let state = Mutex(State())
    /// One settling at a time, so that a name is never removed before its batch is durable.
    private let settling = AsyncSemaphore(permits: 1)

    /// A journal over `store`'s `incoming/`; a batch settles `delay` after its first entry.
    init(store: InstanceStore, delay: Duration, logger: Logger, makeIndexDurable: @escaping @Sendable () async throws(ArchiveError) -> Void) {
        self.store = store
        self.delay = delay
        self.logger = logger
        self.makeIndexDurable = makeIndexDurable
    }

    /// Notes that the instance named `incoming` in `incoming/` was placed at `relativePath`
    /// (not durably) and indexed (perhaps not durably), and schedules its settling. With
    /// `supersedes`, placing replaced a file and kept it under a name that settling removes.
    /// (Where the caller cannot tell, a file found in place without a record, which placing
    /// replaced all the same, keeps that name until the archive opens again.)
    func add(incoming: String, placedAt relativePath: String, supersedes: Bool) {
        let schedule = state.withLock { state in
            state.pending.append(Entry(incoming: incoming, relativePath: relativePath, supersedes: supersedes))
            guard !state.scheduled, !state.closed else { return false }
            state.scheduled = true
            return true
        }
        guard schedule else { return }
        let delay = self.delay
        Task { [self] in
            try? await Task.sleep(for: delay)
            state.withLock { $0.scheduled = false }
            do {
                try await settle()
            } catch {
                logger.error("cannot make the last instances' places and index durable yet (retried with the next ones): \(error)")
            }
        }
    }

    /// Makes every instance added so far durable in its place and in the index, then removes
    /// their `incoming/` names. On failure the names stay, for the next settling or the next
    /// open to retry.
    func settle() async throws(ArchiveError) {
        await settling.acquire()
        defer { settling.release() }
        let batch = state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
        guard !batch.isEmpty else { return }
        do {
            let store = self.store
            try await Archive.blocking { () throws(ArchiveError) in try store.syncDirectories(of: batch.map(\.relativePath)) }
            try await makeIndexDurable()
        } catch {
            state.withLock { $0.pending.insert(contentsOf: batch, at: 0) }
            throw error
        }
        let store = self.store
        try await Archive.blocking { () throws(ArchiveError) in
            for entry in batch {
                store.discard(entry.incoming)
                // The file its placing replaced (InstanceStore.place).
                if entry.supersedes { store.discard(InstanceStore.supersededPath(of: entry.incoming)) }
            }
        }
    }

    /// Settles what is pending and stops scheduling.
    func close() async throws(ArchiveError) {
        state.withLock { $0.closed = true }
        try await settle()
    }
}
