import DICOMNetworkCore
import NIOCore
import Synchronization

/// Hands what arrives on an association to whoever waits for it: the A-ASSOCIATE answer, DIMSE
/// responses by the message ID they answer, the A-RELEASE confirmation. The channel task feeds
/// it; the user's calls wait on its streams, so a cancelled or timed-out wait simply stops
/// iterating.
final class AssociationRouter: Sendable {
    typealias Message = DIMSEMessageCollector.Message

    private struct State {
        var establishment: AsyncThrowingStream<DIMSEEndpoint, any Error>.Continuation?
        var responses: [UInt16: AsyncThrowingStream<Message, any Error>.Continuation] = [:]
        var release: AsyncThrowingStream<Void, any Error>.Continuation?
        var ended: AssociationError?
    }

    private let state = Mutex(State())

    // MARK: - Waiting (the user's side)

    /// The stream that yields the association's endpoint once accepted, or throws the
    /// rejection or abort.
    func establishment() -> AsyncThrowingStream<DIMSEEndpoint, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: DIMSEEndpoint.self)
        let ended = state.withLock { state in
            state.establishment = continuation
            return state.ended
        }
        if let ended { continuation.finish(throwing: ended) }
        return stream
    }

    /// The stream of responses to the request with `messageID`; register it before sending the
    /// request, so no response can arrive unheard.
    func responses(to messageID: UInt16) -> AsyncThrowingStream<Message, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Message.self)
        let ended = state.withLock { state in
            state.responses[messageID] = continuation
            return state.ended
        }
        if let ended { continuation.finish(throwing: ended) }
        return stream
    }

    /// Ends the wait for responses to `messageID` with `error` (its DIMSE timeout expired).
    func expire(_ messageID: UInt16, with error: AssociationError) {
        let continuation = state.withLock { $0.responses.removeValue(forKey: messageID) }
        continuation?.finish(throwing: error)
    }

    /// Stops routing responses for `messageID` (its final response came, or its waiter left).
    func finishResponses(to messageID: UInt16) {
        let continuation = state.withLock { $0.responses.removeValue(forKey: messageID) }
        continuation?.finish()
    }

    /// The stream that ends when the release is confirmed, or throws if the association ends
    /// otherwise.
    func releaseConfirmation() -> AsyncThrowingStream<Void, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Void.self)
        let ended = state.withLock { state in
            state.release = continuation
            return state.ended
        }
        if let ended { continuation.finish(throwing: ended) }
        return stream
    }

    /// Why the association ended, once it has.
    var endReason: AssociationError? { state.withLock { $0.ended } }

    // MARK: - Feeding (the channel task's side)

    func accepted(_ endpoint: DIMSEEndpoint) {
        let continuation = state.withLock { $0.establishment.take() }
        continuation?.yield(endpoint)
        continuation?.finish()
    }

    /// Routes a DIMSE response to its waiter; false if nobody waits for it.
    func response(_ message: Message, to messageID: UInt16) -> Bool {
        guard let continuation = state.withLock({ $0.responses[messageID] }) else { return false }
        continuation.yield(message)
        return true
    }

    func released() {
        let continuation = state.withLock { state in
            if state.ended == nil { state.ended = AssociationError(.closed, "the association was released") }
            return state.release.take()
        }
        continuation?.finish()
        end(with: AssociationError(.closed, "the association was released"))
    }

    /// Ends the association: every waiter is told `error` (the first reason given wins).
    func end(with error: AssociationError) {
        let (establishment, responses, release, reason) = state.withLock { state in
            if state.ended == nil { state.ended = error }
            defer {
                state.establishment = nil
                state.responses.removeAll()
                state.release = nil
            }
            return (state.establishment, Array(state.responses.values), state.release, state.ended!)
        }
        establishment?.finish(throwing: reason)
        for continuation in responses { continuation.finish(throwing: reason) }
        release?.finish(throwing: reason)
    }
}
