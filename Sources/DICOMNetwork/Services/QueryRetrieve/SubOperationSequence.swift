import Synchronization

/// The order a retrieve's sub-operations go out in, and whether they still may.
///
/// A C-GET or C-MOVE starts a few sub-operations ahead, so that their files are read while
/// others are on the wire. The reads run on several threads and end in any order, but the
/// sub-operations take their places in the operations window in the order they were started:
/// the instances arrive as listed, and the retrieve, which waits for its sub-operations in
/// that order, is never left waiting for one still queued behind a later one (its pending
/// responses and its next reads would wait with it).
///
/// Once a C-CANCEL arrives the retrieve closes the sequence: a sub-operation whose turn comes
/// after that is not sent (PS3.4 C.4.2.3.1, C.4.3.3.1: the SCP interrupts the sub-operations).
/// A request is checked when its turn in the window comes, just before it would go out
/// (``DIMSEEndpoint/exchange(messageID:send:)``).
final class SubOperationSequence: Sendable {
    /// One sub-operation's place in its retrieve's sequence.
    struct Turn: Sendable {
        let sequence: SubOperationSequence
        let index: Int
    }

    /// The turn of the sub-operation the current task performs; nil outside one.
    @TaskLocal static var current: Turn?

    private struct State {
        var isOpen = true
        /// The index of the sub-operation whose turn it is.
        var next = 0
        /// The sub-operations waiting for their turns, by index.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// The turn of the `index`-th sub-operation started (from 0).
    func turn(_ index: Int) -> Turn {
        Turn(sequence: self, index: index)
    }

    /// Stops the sub-operations that have not gone out yet.
    func close() {
        state.withLock { $0.isOpen = false }
    }

    var isOpen: Bool {
        state.withLock { $0.isOpen }
    }

    /// Waits until every sub-operation before `index` has taken its place in the window, or
    /// ended without.
    func waitForTurn(_ index: Int) async {
        await withCheckedContinuation { continuation in
            let isDue = state.withLock { state in
                guard state.next < index else { return true }
                state.waiters[index] = continuation
                return false
            }
            if isDue { continuation.resume() }
        }
    }

    /// The `index`-th sub-operation took its place in the window, or will not (it failed
    /// before, or was not sent): the next one's turn. Nothing when its turn had passed.
    func endTurn(_ index: Int) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.next == index else { return nil }
            state.next = index + 1
            return state.waiters.removeValue(forKey: index + 1)
        }
        next?.resume()
    }
}
