import Synchronization

/// A counting semaphore for tasks: the asynchronous operations window (how many operations run at
/// once on an association), the lock that keeps one message's PDUs together on the wire, and
/// (package-wide) the archive journal's one settling at a time.
///
/// Waiters are served in arrival order. A wait is not cancellable: what waits for a permit (a
/// message send, an operation start) is short, and giving up half way would lose order.
package final class AsyncSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    package init(permits: Int) {
        precondition(permits > 0, "AsyncSemaphore needs at least one permit")
        state = Mutex(State(permits: permits))
    }

    /// Takes a permit, waiting for one if none is free.
    package func acquire() async {
        let taken = state.withLock { state in
            guard state.permits > 0 else { return false }
            state.permits -= 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state in
                // A permit may have come back between the two locks.
                guard state.permits > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.permits -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Takes a permit if one is free and nobody waits; never suspends.
    func tryAcquire() -> Bool {
        state.withLock { state in
            guard state.permits > 0, state.waiters.isEmpty else { return false }
            state.permits -= 1
            return true
        }
    }

    /// Gives a permit back, to the longest waiter if any.
    package func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.waiters.isEmpty else { return state.waiters.removeFirst() }
            state.permits += 1
            return nil
        }
        next?.resume()
    }

    /// Runs `body` holding a permit.
    func withPermit<T, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }
}
