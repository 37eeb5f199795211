import Synchronization

/// A broadcast of ``AssociationEvent``s: every subscriber gets its own `AsyncStream` of the events
/// that happen after it subscribed. A slow subscriber loses the oldest events beyond its buffer
/// rather than slowing the associations down.
public final class AssociationEvents: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<AssociationEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// The number of events a subscriber may fall behind by before it loses the oldest.
    public static let bufferSize = 1024

    /// Creates an empty broadcast.
    public init() {}

    /// A new stream of the events from now on. It ends when ``finish()`` is called.
    public func subscribe() -> AsyncStream<AssociationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: AssociationEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferSize))
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `event` to every subscriber.
    public func emit(_ event: AssociationEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Ends every subscriber's stream.
    public func finish() {
        let subscribers = state.withLock { state in
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
