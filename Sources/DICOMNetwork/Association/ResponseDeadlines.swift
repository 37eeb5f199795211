import NIOCore
import Synchronization

/// The DIMSE timeouts of the responses an association awaits (PS3.7 §9.1.1.1), kept as
/// deadlines under one timer set for the earliest, rather than a scheduled task per request:
/// starting and stopping a wait is then a dictionary update, which is what a stream of small
/// operations (C-ECHOs, tiny C-STOREs) does per message. The timer fires at most once per
/// timeout period while waits go on, and reschedules itself for the earliest one left.
final class ResponseDeadlines: Sendable {
    private struct State {
        var deadlines: [UInt16: NIODeadline] = [:]
        var timer: Scheduled<Void>?
        var timerDeadline: NIODeadline?
    }

    private let eventLoop: any EventLoop
    private let timeout: TimeAmount
    /// Called, outside the lock, for each wait whose deadline passed.
    private let expired: @Sendable (UInt16) -> Void
    private let state = Mutex(State())

    init(eventLoop: any EventLoop, timeout: TimeAmount, expired: @escaping @Sendable (UInt16) -> Void) {
        self.eventLoop = eventLoop
        self.timeout = timeout
        self.expired = expired
    }

    /// Starts (or restarts, for the next of several responses) the wait for `messageID`.
    func start(_ messageID: UInt16) {
        let deadline = NIODeadline.now() + timeout
        state.withLock { state in
            state.deadlines[messageID] = deadline
            // Deadlines only grow, so a timer already set is early enough.
            if state.timerDeadline == nil { schedule(at: deadline, &state) }
        }
    }

    /// Ends the wait for `messageID`: its response came, or its waiter left.
    func stop(_ messageID: UInt16) {
        _ = state.withLock { $0.deadlines.removeValue(forKey: messageID) }
    }

    /// Cancels the timer: the association ended.
    func cancelAll() {
        let timer = state.withLock { state in
            state.deadlines.removeAll()
            state.timerDeadline = nil
            return state.timer.take()
        }
        timer?.cancel()
    }

    private func schedule(at deadline: NIODeadline, _ state: inout State) {
        state.timerDeadline = deadline
        state.timer = eventLoop.scheduleTask(deadline: deadline) { [weak self] in self?.fire() }
    }

    private func fire() {
        let now = NIODeadline.now()
        let due: [UInt16] = state.withLock { state in
            let due = state.deadlines.filter { $0.value <= now }.map(\.key)
            for messageID in due { state.deadlines[messageID] = nil }
            state.timer = nil
            state.timerDeadline = nil
            if let next = state.deadlines.values.min() { schedule(at: next, &state) }
            return due
        }
        for messageID in due { expired(messageID) }
    }
}
