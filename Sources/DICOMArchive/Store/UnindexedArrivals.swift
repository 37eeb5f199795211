import Synchronization

/// Acknowledged arrivals whose index rows failed to commit: on SQLite the answer precedes the
/// rows (``Archive/receive(_:expectedSOPInstanceUID:acknowledge:)``), so a full disk can refuse
/// the rows of an instance already answered with success. Each is placed, and durable under its
/// `incoming/` name, but not found by queries until it is recorded again, which the archive
/// tries after every commit that succeeds, before every read of the index, and on a timer.
///
/// A newer copy of the same SOP Instance UID must win over a retried older one, whatever the
/// order the writer's thread runs them in: the newer copy marks the older entry superseded as
/// soon as it is placed, a retry records an entry only while it is not, and the entry goes once
/// the newer copy is committed (or the newer copy takes its place here when its own rows fail).
final class UnindexedArrivals: Sendable {
    /// An acknowledged arrival whose rows are not committed.
    struct Arrival: Sendable {
        /// Its `incoming/` name.
        var incoming: String
        /// Its rows, as read when it arrived.
        var record: IndexedInstance
    }

    private struct Entry {
        var arrival: Arrival
        /// The `incoming/` name of a newer copy placed since, not yet committed.
        var supersededBy: String?
        /// Whether a retry of it is queued.
        var retrying = false
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
    /// UID it displaces, if any, for the caller to discard.
    func add(_ arrival: Arrival) -> Arrival? {
        state.withLock { state in
            let older = state.entries[arrival.record.sopInstanceUID]?.arrival
            state.entries[arrival.record.sopInstanceUID] = Entry(arrival: arrival)
            return older
        }
    }

    /// Notes that the copy of `sopInstanceUID` named `incoming` was placed: a retry of an older
    /// entry must not record it any more.
    func markSuperseded(_ sopInstanceUID: String, by incoming: String) {
        state.withLock { state in
            guard var entry = state.entries[sopInstanceUID], entry.arrival.incoming != incoming else { return }
            entry.supersededBy = incoming
            state.entries[sopInstanceUID] = entry
        }
    }

    /// Undoes ``markSuperseded(_:by:)``: the copy named `incoming` was refused after all.
    func unmarkSuperseded(_ sopInstanceUID: String, by incoming: String) {
        state.withLock { state in
            guard var entry = state.entries[sopInstanceUID], entry.supersededBy == incoming else { return }
            entry.supersededBy = nil
            state.entries[sopInstanceUID] = entry
        }
    }

    /// Notes that the copy of `sopInstanceUID` named `incoming` is committed. Returns the older
    /// entry it superseded, if any, for the caller to discard; forgets the entry of `incoming`
    /// itself (a retry that succeeded).
    func committed(_ sopInstanceUID: String, incoming: String) -> Arrival? {
        state.withLock { state in
            guard let entry = state.entries[sopInstanceUID] else { return nil }
            state.entries[sopInstanceUID] = nil
            return entry.arrival.incoming == incoming ? nil : entry.arrival
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
