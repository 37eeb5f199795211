import DICOMCore
import DICOMNetworkCore
import Logging
import NIOCore
import Synchronization

extension DIMSEEndpoint {
    /// Sends a request with `send` and waits (at most the DIMSE timeout) for its one response.
    ///
    /// The timeout is a deadline in ``ResponseDeadlines`` that ends the wait, and the wait a
    /// continuation the reading task resumes: no task, timer or stream per request, which is
    /// what keeps many small operations fast.
    func exchange(messageID: UInt16, send: () async throws(AssociationError) -> Void) async throws(AssociationError) -> AssociationRouter.Message {
        // A retrieve's sub-operation takes its place in the window in its turn.
        let turn = SubOperationSequence.current
        if let turn { await turn.sequence.waitForTurn(turn.index) }
        await invoking.acquire()
        if let turn { turn.sequence.endTurn(turn.index) }
        defer { invoking.release() }
        if let turn, !turn.sequence.isOpen {
            throw AssociationError(.cancelled, "not sent: the retrieve was cancelled")
        }
        router.expectReply(to: messageID)
        defer { router.finishReply(to: messageID) }
        try await send()
        deadlines.start(messageID)
        defer { deadlines.stop(messageID) }
        do {
            return try await router.reply(to: messageID)
        } catch {
            throw await failed(error)
        }
    }

    /// Sends a request with `send` and yields its responses, pending ones first, until the
    /// final one; each must come within the DIMSE timeout. When the consumer stops iterating
    /// (its task cancelled) before the final response, a C-CANCEL-RQ goes to the peer
    /// (PS3.7 §9.3.2.3) and the remaining responses, the final one included, are read and dropped
    /// so that the message ID is free again.
    func responses(
        messageID: UInt16,
        presentationContextID: UInt8,
        send: @escaping @Sendable () async throws(AssociationError) -> Void
    ) -> AsyncThrowingStream<AssociationRouter.Message, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: AssociationRouter.Message.self)
        let link = self.link
        continuation.onTermination = { termination in
            guard case .cancelled = termination else { return }
            Task {
                try? await link.send(
                    commandSet: CCancelRequest(messageIDBeingRespondedTo: messageID).commandSet,
                    presentationContextID: presentationContextID)
            }
        }
        // Not a child of the consumer: it must outlive a cancelled consumer to read the final
        // response. On the channel's event loop, where the responses arrive: elsewhere each one
        // crossed threads twice.
        Task(executorPreference: loopExecutor) {
            await self.invoking.acquire()
            defer { self.invoking.release() }
            let responses = self.router.responses(to: messageID)
            defer { self.router.finishResponses(to: messageID) }
            self.cancellable.withLock { $0[messageID] = presentationContextID }
            defer { _ = self.cancellable.withLock { $0.removeValue(forKey: messageID) } }
            do {
                try await send()
                var iterator = responses.makeAsyncIterator()
                defer { self.deadlines.stop(messageID) }
                while true {
                    self.deadlines.start(messageID)
                    let next = try await iterator.next()
                    guard let response = next else {
                        throw AssociationError(.closed, "the association ended before the final response")
                    }
                    let isFinal = response.commandSet.integer(.status).map { DIMSEStatus(code: UInt16(truncatingIfNeeded: $0)).isFinal } ?? false
                    // Once the final response is handed on, the consumer may ask to cancel: the
                    // request must no longer be cancellable by then.
                    if isFinal { _ = self.cancellable.withLock { $0.removeValue(forKey: messageID) } }
                    continuation.yield(response)
                    if isFinal { break }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: await self.failed(error))
            }
        }
        return stream
    }

    /// Sends a request with `send` and hands its pending responses to `body` on this task, as
    /// they come, then returns the final one; each must come within the DIMSE timeout. The
    /// responses that one read of the socket brought are taken together (``ResponseBatches``):
    /// no task, no stream and no thread hop per response. Cheapest called on the channel's event
    /// loop, where the responses arrive.
    ///
    /// When `body` throws, or the task is found cancelled between batches, a C-CANCEL-RQ goes to
    /// the peer (PS3.7 §9.3.2.3) and the remaining responses are read and dropped, the final one
    /// included, so that the message ID is free again; then `body`'s error (or
    /// `CancellationError`) is thrown.
    func collectResponses(
        messageID: UInt16,
        presentationContextID: UInt8,
        send: () async throws(AssociationError) -> Void,
        _ body: (AssociationRouter.Message) async throws -> Void
    ) async throws -> AssociationRouter.Message {
        await invoking.acquire()
        defer { invoking.release() }
        let batches = router.batches(to: messageID)
        defer { router.finishBatches(to: messageID) }
        cancellable.withLock { $0[messageID] = presentationContextID }
        defer { _ = cancellable.withLock { $0.removeValue(forKey: messageID) } }
        try await send()
        defer { deadlines.stop(messageID) }
        var stopped: (any Error)?
        while true {
            deadlines.start(messageID)
            let messages: [AssociationRouter.Message]
            do {
                messages = try await batches.next()
            } catch {
                throw await failed(error)
            }
            for message in messages {
                // A response without a status ends the request, as a failure (C000H) would.
                let code = message.commandSet.integer(.status).map { UInt16(truncatingIfNeeded: $0) } ?? 0xC000
                if DIMSEStatus(code: code).isFinal {
                    if let stopped { throw stopped }
                    return message
                }
                guard stopped == nil else { continue }
                do {
                    try await body(message)
                } catch {
                    stopped = error
                }
            }
            if stopped == nil, Task.isCancelled { stopped = CancellationError() }
            if stopped != nil, cancellable.withLock({ $0.removeValue(forKey: messageID) }) != nil {
                try await link.send(
                    commandSet: CCancelRequest(messageIDBeingRespondedTo: messageID).commandSet,
                    presentationContextID: presentationContextID)
            }
        }
    }

    /// Sends a C-CANCEL-RQ (PS3.7 §9.3.2.3) for our request `messageID`, if it still awaits its
    /// final response, on that request's presentation context; its responses keep coming to
    /// its consumer, the final one (Cancel, FE00H, or whatever the peer had already sent) last.
    /// Returns whether the C-CANCEL-RQ was sent.
    func cancel(messageID: UInt16) async throws(AssociationError) -> Bool {
        guard let contextID = cancellable.withLock({ $0[messageID] }) else { return false }
        try await link.send(commandSet: CCancelRequest(messageIDBeingRespondedTo: messageID).commandSet, presentationContextID: contextID)
        return true
    }

    /// The error to throw for `error`; a DIMSE timeout aborts the association (PS3.7 §9.1.1.1).
    private func failed(_ error: any Error) async -> AssociationError {
        guard let error = error as? AssociationError else { return AssociationError(.closed, "\(error)") }
        if error.code == .timedOut, router.endReason == nil {
            try? await link.request(.abort)
            router.end(with: AssociationError(.closed, "aborted: \(error.detail)"))
            trace.emit(.aborted("aborted locally: \(error.detail)"), level: .info)
        }
        return error
    }
}
