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
    /// How many subscribe; read without the lock by ``hasSubscribers``.
    private let subscriberCount = Atomic<Int>(0)

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
            subscriberCount.store(state.subscribers.count, ordering: .relaxed)
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            state.withLock { state in
                state.subscribers.removeValue(forKey: id)
                subscriberCount.store(state.subscribers.count, ordering: .relaxed)
            }
        }
        return stream
    }

    /// Whether anyone subscribes: events are not even built otherwise.
    public var hasSubscribers: Bool { subscriberCount.load(ordering: .relaxed) > 0 }

    /// Sends `event` to every subscriber.
    public func emit(_ event: AssociationEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    /// Ends every subscriber's stream.
    public func finish() {
        let subscribers = state.withLock { state in
            defer {
                state.subscribers.removeAll()
                subscriberCount.store(0, ordering: .relaxed)
            }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
