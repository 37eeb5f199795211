import DICOMCore
import DICOMNetworkCore
import NIOCore
import Synchronization

extension DIMSEEndpoint {
    /// Sends a request with `send` and waits (at most the DIMSE timeout) for its one response.
    ///
    /// The timeout is a deadline in ``ResponseDeadlines`` that ends the wait, and the wait a
    /// continuation the reading task resumes: no task, timer or stream per request, which is
    /// what keeps many small operations fast.
    func exchange(messageID: UInt16, send: () async throws(AssociationError) -> Void) async throws(AssociationError) -> AssociationRouter.Message {
        await invoking.acquire()
        defer { invoking.release() }
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
                    continuation.yield(response)
                    if let status = response.commandSet.integer(.status), DIMSEStatus(code: UInt16(truncatingIfNeeded: status)).isFinal {
                        break
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: await self.failed(error))
            }
        }
        return stream
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
            trace.emit(.aborted("aborted locally: \(error.detail)"))
        }
        return error
    }
}
