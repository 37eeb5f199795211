import NIOCore
import Synchronization

/// The sessions a server runs: each in a task of its own, started as its connection is accepted,
/// on its channel's event loop (see ``EventLoopTaskExecutor``).
///
/// Not an async sequence of connections that a serving loop reads: a connection accepted just
/// as the server closed stayed in it unread, and NIO traps when such a connection's channel
/// goes away without having been served ("Deinited NIOAsyncWriter without calling finish()",
/// swift-nio #2637): a qrscp stopped as a peer connected crashed on its way out.
final class AcceptorSessions: Sendable {
    private struct State {
        var running: [Int: Task<Void, Never>] = [:]
        var nextID = 0
        /// Waiting for ``running`` to empty.
        var waiters: [CheckedContinuation<Void, Never>] = []
        var cancelled = false
    }

    private let state = Mutex(State())
    private let shared: AcceptorSession.Shared

    init(shared: AcceptorSession.Shared) {
        self.shared = shared
    }

    /// Starts the session of `connection`. On the connection's event loop (the child channel's
    /// initializer), where the task cannot start before it is registered.
    func start(_ connection: AcceptorSession.Connection) {
        let executor = EventLoopTaskExecutor(connection.channel.channel.eventLoop)
        let shared = self.shared
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let task = Task(executorPreference: executor) {
                await AcceptorSession.run(connection, shared: shared)
                self.finished(id)
            }
            state.running[id] = task
            if state.cancelled { task.cancel() }
        }
    }

    /// Waits until no session runs.
    func waitUntilNoneRun() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.running.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Cancels every session running, and any started from now on.
    func cancelAll() {
        let tasks = state.withLock { state in
            state.cancelled = true
            return Array(state.running.values)
        }
        for task in tasks { task.cancel() }
    }

    private func finished(_ id: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running[id] = nil
            guard state.running.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
