import Synchronization

/// Acknowledged arrivals whose index rows failed to commit: on SQLite the answer precedes the
/// rows (``Archive/receive(_:expectedSOPInstanceUID:expectedSOPClassUID:dataSet:acknowledge:)``), so a full disk can refuse
/// the placing or the rows of an instance already answered with success, or of one that
/// opening found in `incoming/`. Each is durable under its `incoming/` name, and placed unless
/// opening found it unplaced or its placing failed, but not found by queries until it is
/// recorded again, which the archive tries after every
/// commit that succeeds, before every read of the index, and on a timer.
///
/// A newer copy of the same SOP Instance UID must win over a retried older one, whatever the
/// order the writer's thread runs them in: the newer copy marks the older entry superseded as
/// soon as it is placed, a retry records an entry only while it is not, and the entry goes once
/// the newer copy is committed (or the newer copy takes its place here when its own rows fail).
///
/// A newer copy filed elsewhere (another study or series) leaves the older copy's placed file
/// behind, with no row: it is removed once the newer copy's rows commit, unless a copy placed
/// since took that path (``Displaced/obsoleteFiles``). Placing and that removal happen under
/// the archive's ``Archive/placingOrder``, so the answer here stays true until the file goes.
final class UnindexedArrivals: Sendable {
    /// An acknowledged arrival whose rows are not committed.
    struct Arrival: Sendable {
        /// Its `incoming/` name.
        var incoming: String
        /// Its rows, as read when it arrived.
        var record: IndexedInstance
        /// Whether its file is placed in the tree; the retry places one that is not (found so
        /// by opening, or whose placing failed).
        var placed = true
    }

    /// What a newer copy's arrival leaves to the caller to remove.
    struct Displaced: Sendable {
        /// The older entry, when the newer copy is another arrival: its `incoming/` names go.
        var arrival: Arrival?
        /// Files in the tree (relative paths) that older copies, never committed, were placed
        /// at and that no copy placed since replaced: nothing will point at them.
        var obsoleteFiles: [String]
    }

    private struct Entry {
        var arrival: Arrival
        /// The `incoming/` name of a newer copy placed since, not yet committed.
        var supersededBy: String?
        /// The `incoming/` name of the last copy placed at the arrival's own path since, if any:
        /// its placed file is not its own any more.
        var overwrittenBy: String?
        /// The placed files of older uncommitted copies it displaced, filed elsewhere, for
        /// whichever copy is committed last to remove.
        var obsoleteFiles: [String] = []
        /// Whether a retry of it is queued.
        var retrying = false

        /// The files of this entry's copies left in the tree once a copy placed at `path` is
        /// committed or displaces it.
        func leftBehind(besides path: String) -> [String] {
            var files = obsoleteFiles.filter { $0 != path }
            if overwrittenBy == nil, arrival.record.path != path { files.append(arrival.record.path) }
            return files
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var timerRunning = false
        var closed = false
    }

    private let state = Mutex(State())

    /// Whether every acknowledged arrival's rows are committed (or left for the next open).
    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }

    /// Adds `arrival`, whose rows failed to commit. Returns the older copy of its SOP Instance
    /// UID it displaces, if any, for the caller to discard; files of older copies left elsewhere
    /// in the tree pass to the new entry, for whichever copy is committed.
    func add(_ arrival: Arrival) -> Arrival? {
        state.withLock { state in
            let older = state.entries[arrival.record.sopInstanceUID]
            var entry = Entry(arrival: arrival)
            entry.obsoleteFiles = older?.leftBehind(besides: arrival.record.path) ?? []
            state.entries[arrival.record.sopInstanceUID] = entry
            return older?.arrival
        }
    }

    /// Notes that the copy of `sopInstanceUID` named `incoming` was placed at `path`: a retry
    /// of an older entry must not record it any more, and a file of the entry's there is
    /// replaced.
    func markSuperseded(_ sopInstanceUID: String, by incoming: String, at path: String) {
        state.withLock { state in
            guard var entry = state.entries[sopInstanceUID], entry.arrival.incoming != incoming else { return }
            entry.supersededBy = incoming
            if entry.arrival.record.path == path { entry.overwrittenBy = incoming }
            entry.obsoleteFiles.removeAll { $0 == path }
            state.entries[sopInstanceUID] = entry
        }
    }

    /// Undoes ``markSuperseded(_:by:at:)``: the copy named `incoming` was refused after all
    /// (and the file it replaced put back).
    func unmarkSuperseded(_ sopInstanceUID: String, by incoming: String) {
        state.withLock { state in
            guard var entry = state.entries[sopInstanceUID] else { return }
            if entry.supersededBy == incoming { entry.supersededBy = nil }
            if entry.overwrittenBy == incoming { entry.overwrittenBy = nil }
            state.entries[sopInstanceUID] = entry
        }
    }

    /// Notes that the copy of `sopInstanceUID` named `incoming`, placed at `path`, is
    /// committed. Returns what it displaced, for the caller to remove: the older entry it
    /// superseded, if any, and the files of uncommitted copies left elsewhere in the tree;
    /// forgets the entry of `incoming` itself (a retry that succeeded). Nil when no entry was
    /// there.
    func committed(_ sopInstanceUID: String, incoming: String, at path: String) -> Displaced? {
        state.withLock { state in
            guard let entry = state.entries[sopInstanceUID] else { return nil }
            state.entries[sopInstanceUID] = nil
            let own = entry.arrival.incoming == incoming
            let files = own ? entry.obsoleteFiles.filter { $0 != path } : entry.leftBehind(besides: path)
            return Displaced(arrival: own ? nil : entry.arrival, obsoleteFiles: files)
        }
    }

    /// Whether `arrival` is still to be recorded: nothing newer was placed since. Asked in the
    /// retry's transaction, on the writer's thread, where placing a newer copy happens too.
    func isCurrent(_ arrival: Arrival) -> Bool {
        state.withLock { state in
            guard let entry = state.entries[arrival.record.sopInstanceUID] else { return false }
            return entry.arrival.incoming == arrival.incoming && entry.supersededBy == nil
        }
    }

    /// The arrivals to retry now (not superseded, no retry queued), marked as queued.
    func takeForRetry() -> [Arrival] {
        state.withLock { state in
            var arrivals: [Arrival] = []
            for (uid, entry) in state.entries where !entry.retrying && entry.supersededBy == nil {
                state.entries[uid]?.retrying = true
                arrivals.append(entry.arrival)
            }
            return arrivals
        }
    }

    /// Notes that the retry of `arrival` failed: it may be retried again.
    func retryFailed(_ arrival: Arrival) {
        state.withLock { state in
            guard state.entries[arrival.record.sopInstanceUID]?.arrival.incoming == arrival.incoming else { return }
            state.entries[arrival.record.sopInstanceUID]?.retrying = false
        }
    }

    /// Whether the caller should start the retry timer: entries wait and none runs.
    func startTimer() -> Bool {
        state.withLock { state in
            guard !state.entries.isEmpty, !state.timerRunning, !state.closed else { return false }
            state.timerRunning = true
            return true
        }
    }

    /// Whether the timer goes on (entries wait); otherwise it has stopped.
    func continueTimer() -> Bool {
        state.withLock { state in
            guard !state.entries.isEmpty, !state.closed else {
                state.timerRunning = false
                return false
            }
            return true
        }
    }

    /// Stops the timer for good: the archive is closing.
    func close() {
        state.withLock { $0.closed = true }
    }
}
