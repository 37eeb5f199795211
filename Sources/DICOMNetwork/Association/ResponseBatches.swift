import Synchronization

/// The responses to one request that has several (C-FIND, C-GET, C-MOVE), gathered as the
/// channel reads them and taken by the waiting task a batch at a time: the responses that one
/// read brought (a C-FIND's page of matches and its final response arrive together) wake the
/// waiter once, not once each, and pass through no stream.
final class ResponseBatches: Sendable {
    typealias Message = AssociationRouter.Message

    private struct State {
        var messages: [Message] = []
        var waiter: UnsafeContinuation<[Message], any Error>?
        var ended: (any Error)?
    }

    private let state = Mutex(State())

    init() {}

    /// Adds a response (the channel's side).
    func add(_ message: Message) {
        let waiter = state.withLock { state -> UnsafeContinuation<[Message], any Error>? in
            guard let waiter = state.waiter.take() else {
                state.messages.append(message)
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: [message])
    }

    /// Ends the wait with `error` once the responses there are have been taken (the
    /// association ended, or the DIMSE timeout expired). The first end counts.
    func end(with error: any Error) {
        let waiter = state.withLock { state -> UnsafeContinuation<[Message], any Error>? in
            if state.ended == nil { state.ended = error }
            return state.waiter.take()
        }
        waiter?.resume(throwing: error)
    }

    /// Every response added since the last call, once there is one; throws the end's error
    /// when none is left. One waiter at a time; no suspension when responses are there.
    func next() async throws -> [Message] {
        if let ready = state.withLock({ Self.take(&$0) }) { return try ready.get() }
        return try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[Message], any Error>) in
            let outcome: Result<[Message], any Error>? = state.withLock { state in
                if let ready = Self.take(&state) { return ready }
                state.waiter = continuation
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// The responses there are, or the end; nil when the waiter must wait.
    private static func take(_ state: inout State) -> Result<[Message], any Error>? {
        if !state.messages.isEmpty {
            defer { state.messages = [] }
            return .success(state.messages)
        }
        if let ended = state.ended { return .failure(ended) }
        return nil
    }
}
