import DICOMCore
import NIOCore
public import DICOMNetworkCore

extension Association {
    /// Sends a C-ECHO request on the Verification context and returns the peer's status
    /// (PS3.4 Annex A, PS3.7 §9.1.5). Waits at most the DIMSE timeout.
    ///
    /// - Throws: ``AssociationError/Code/noAcceptedContext`` when Verification was not accepted;
    ///   ``AssociationError/Code/timedOut``; the reason the association ended if it did.
    public func echo() async throws(AssociationError) -> DIMSEStatus {
        guard let context = acceptedContext(for: .verification), let contextID = context.contextID else {
            throw AssociationError(.noAcceptedContext, "the peer did not accept the Verification SOP Class (1.2.840.10008.1.1)")
        }
        let request = CEchoRequest(messageID: nextMessageID())
        let response = try await exchange(request.commandSet, messageID: request.messageID, presentationContextID: contextID)
        do {
            return try CEchoResponse(commandSet: response.commandSet).status
        } catch {
            throw AssociationError(.protocolViolation, "malformed C-ECHO-RSP: \(error)")
        }
    }

    /// Sends a request without a data set and waits (at most the DIMSE timeout) for its one response.
    ///
    /// The timeout is a deadline on the channel's event loop that ends the response stream: no
    /// task or timer per request beyond that, which is what keeps many small operations fast.
    func exchange(_ commandSet: DataSet, messageID: UInt16, presentationContextID: UInt8) async throws(AssociationError) -> AssociationRouter.Message {
        let responses = router.responses(to: messageID)
        defer { router.finishResponses(to: messageID) }
        try await link.send(commandSet: commandSet, presentationContextID: presentationContextID)
        let timeout = entity.dimseTimeout
        let deadline = link.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [router] in
            router.expire(messageID, with: AssociationError(.timedOut, "DIMSE response to message \(messageID): no answer within \(timeout)"))
        }
        defer { deadline.cancel() }
        do {
            for try await response in responses { return response }
            throw AssociationError(.closed, Task.isCancelled ? "the waiting task was cancelled" : "the association ended before the response")
        } catch let error as AssociationError {
            if error.code == .timedOut { await abort() }
            throw error
        } catch {
            throw AssociationError(.closed, "\(error)")
        }
    }
}
