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
        var batches: [UInt16: ResponseBatches] = [:]
        var replies: [UInt16: Reply] = [:]
        var release: AsyncThrowingStream<Void, any Error>.Continuation?
        /// Finished when the association ends (``endNotice()``).
        var endNotices: [AsyncStream<Never>.Continuation] = []
        var ended: AssociationError?
    }

    /// The one response a request waits for (C-ECHO, C-STORE, the N-services): a continuation
    /// slot rather than a stream, the cheapest way to hand a message from the reading task to
    /// the waiting one.
    private enum Reply {
        /// Registered before the request went out; nobody waits yet.
        case expected
        case waiting(UnsafeContinuation<Message, any Error>)
        /// Arrived before its waiter.
        case arrived(Message)
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

    /// The batches of responses to the request with `messageID` (``ResponseBatches``), for a
    /// waiter that takes them on its own task; register before sending the request, and call
    /// ``finishBatches(to:)`` when done.
    func batches(to messageID: UInt16) -> ResponseBatches {
        let batches = ResponseBatches()
        let ended = state.withLock { state in
            state.batches[messageID] = batches
            return state.ended
        }
        if let ended { batches.end(with: ended) }
        return batches
    }

    /// Stops gathering responses for `messageID`.
    func finishBatches(to messageID: UInt16) {
        _ = state.withLock { $0.batches.removeValue(forKey: messageID) }
    }

    /// Registers the wait for the one response to `messageID`; call before sending the request,
    /// then ``reply(to:)``, and ``finishReply(to:)`` when done.
    func expectReply(to messageID: UInt16) {
        state.withLock { $0.replies[messageID] = .expected }
    }

    /// The response to `messageID`, registered with ``expectReply(to:)``; throws the reason the
    /// association ended, ``expire(_:with:)``'s error, or when the waiting task is cancelled.
    func reply(to messageID: UInt16) async throws -> Message {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Message, any Error>) in
                let outcome: Result<Message, any Error>? = state.withLock { state in
                    switch state.replies[messageID] {
                    case .arrived(let message)?:
                        state.replies[messageID] = nil
                        return .success(message)
                    case .expected?:
                        if let ended = state.ended {
                            state.replies[messageID] = nil
                            return .failure(ended)
                        }
                        state.replies[messageID] = .waiting(continuation)
                        return nil
                    case .waiting?, nil:
                        return .failure(state.ended ?? AssociationError(.closed, "no response expected for message \(messageID)"))
                    }
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            expire(messageID, with: AssociationError(.closed, "the waiting task was cancelled"))
        }
    }

    /// Stops waiting for the response to `messageID`.
    func finishReply(to messageID: UInt16) {
        if case .waiting(let continuation)? = state.withLock({ $0.replies.removeValue(forKey: messageID) }) {
            continuation.resume(throwing: AssociationError(.closed, "the wait for message \(messageID) ended"))
        }
    }

    /// Ends the wait for responses to `messageID` with `error` (its DIMSE timeout expired).
    func expire(_ messageID: UInt16, with error: AssociationError) {
        let (continuation, reply, batches) = state.withLock { state in
            (state.responses.removeValue(forKey: messageID), state.replies.removeValue(forKey: messageID),
             state.batches.removeValue(forKey: messageID))
        }
        continuation?.finish(throwing: error)
        batches?.end(with: error)
        if case .waiting(let waiter)? = reply { waiter.resume(throwing: error) }
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

    /// A stream that finishes when the association ends (at once if it has).
    func endNotice() -> AsyncStream<Never> {
        let (stream, continuation) = AsyncStream.makeStream(of: Never.self)
        let ended = state.withLock { state in
            if state.ended == nil { state.endNotices.append(continuation) }
            return state.ended != nil
        }
        if ended { continuation.finish() }
        return stream
    }

    // MARK: - Feeding (the channel task's side)

    func accepted(_ endpoint: DIMSEEndpoint) {
        let continuation = state.withLock { $0.establishment.take() }
        continuation?.yield(endpoint)
        continuation?.finish()
    }

    /// Routes a DIMSE response to its waiter; false if nobody waits for it.
    func response(_ message: Message, to messageID: UInt16) -> Bool {
        if deliverReply(message, to: messageID) || addToBatches(message, to: messageID) { return true }
        guard let continuation = state.withLock({ $0.responses[messageID] }) else { return false }
        continuation.yield(message)
        return true
    }

    /// Whether the responses to `messageID` are gathered in batches (``batches(to:)``).
    func gathersBatches(for messageID: UInt16) -> Bool {
        state.withLock { $0.batches[messageID] != nil }
    }

    /// Adds a response to the batches of `messageID`; false, adding nothing, when none are
    /// gathered for it.
    func addToBatches(_ message: Message, to messageID: UInt16) -> Bool {
        guard let batches = state.withLock({ $0.batches[messageID] }) else { return false }
        batches.add(message)
        return true
    }

    /// Hands a response straight to a request waiting alone for it (see ``reply(to:)``); false,
    /// routing nothing, when no such request waits for `messageID`.
    func deliverReply(_ message: Message, to messageID: UInt16) -> Bool {
        let waiter: UnsafeContinuation<Message, any Error>?? = state.withLock { state in
            switch state.replies[messageID] {
            case .expected?:
                state.replies[messageID] = .arrived(message)
                return .some(nil)
            case .waiting(let waiter)?:
                state.replies[messageID] = nil
                return .some(waiter)
            case .arrived?, nil:
                return nil
            }
        }
        guard let waiter else { return false }
        waiter?.resume(returning: message)
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
        let (establishment, responses, batches, waiters, release, notices, reason) = state.withLock { state in
            if state.ended == nil { state.ended = error }
            let waiters = state.replies.values.compactMap { reply -> UnsafeContinuation<Message, any Error>? in
                if case .waiting(let waiter) = reply { return waiter }
                return nil
            }
            defer {
                state.establishment = nil
                state.responses.removeAll()
                state.batches.removeAll()
                state.replies.removeAll()
                state.release = nil
                state.endNotices = []
            }
            return (
                state.establishment, Array(state.responses.values), Array(state.batches.values), waiters, state.release,
                state.endNotices, state.ended!
            )
        }
        establishment?.finish(throwing: reason)
        for continuation in responses { continuation.finish(throwing: reason) }
        for waiter in batches { waiter.end(with: reason) }
        for waiter in waiters { waiter.resume(throwing: reason) }
        release?.finish(throwing: reason)
        for notice in notices { notice.finish() }
    }
}
