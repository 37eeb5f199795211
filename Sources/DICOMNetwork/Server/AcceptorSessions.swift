import NIOCore
import Synchronization

/// The sessions a server runs: each in a task of its own, started as its connection is accepted,
/// on its channel's event loop (see ``EventLoopTaskExecutor``).
///
/// Not an async sequence of connections that a serving loop reads: a connection accepted just
/// as the server closed stayed in it unread, and NIO traps when such a connection's channel
/// goes away without having been served ("Deinited NIOAsyncWriter without calling finish()",
/// swift-nio #2637): a qrscp stopped as a peer connected crashed on its way out.
///
/// A graceful stop (``closeUnrequested()``) closes the connections that have not sent an
/// A-ASSOCIATE-RQ yet, rather than wait up to ARTIM for them: only associations go on to
/// their end.
final class AcceptorSessions: Sendable {
    private struct Session {
        var task: Task<Void, Never>
        var channel: any Channel
        /// Whether its A-ASSOCIATE-RQ came.
        var requested = false
    }

    private struct State {
        var running: [Int: Session] = [:]
        var nextID = 0
        /// Waiting for ``running`` to empty.
        var waiters: [CheckedContinuation<Void, Never>] = []
        var cancelled = false
        /// Stopping: connections without an association are closed.
        var stopping = false
    }

    private let state = Mutex(State())
    private let shared: AcceptorSession.Shared

    init(shared: AcceptorSession.Shared) {
        self.shared = shared
    }

    /// Starts the session of `connection`. On the connection's event loop (the child channel's
    /// initializer), where the task cannot start before it is registered.
    func start(_ connection: AcceptorSession.Connection) {
        let channel = connection.channel.channel
        let executor = EventLoopTaskExecutor(channel.eventLoop)
        let shared = self.shared
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let task = Task(executorPreference: executor) {
                // Accepted as the server stopped: closed at once (from the task, once the
                // channel is registered), yet run, so that its channel is finished properly.
                if self.state.withLock({ $0.stopping }) { channel.close(promise: nil) }
                await AcceptorSession.run(connection, shared: shared) { self.requested(id) }
                self.finished(id)
            }
            state.running[id] = Session(task: task, channel: channel)
            if state.cancelled { task.cancel() }
        }
    }

    /// Notes that session `id` received its A-ASSOCIATE-RQ. False when the server is stopping:
    /// the session is to end without an association.
    private func requested(_ id: Int) -> Bool {
        state.withLock { state in
            guard !state.stopping else { return false }
            state.running[id]?.requested = true
            return true
        }
    }

    /// Closes the connections that have not sent an A-ASSOCIATE-RQ, and any accepted from now
    /// on; associations go on.
    func closeUnrequested() {
        let channels = state.withLock { state in
            state.stopping = true
            return state.running.values.filter { !$0.requested }.map(\.channel)
        }
        for channel in channels { channel.close(promise: nil) }
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
            return state.running.values.map(\.task)
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
