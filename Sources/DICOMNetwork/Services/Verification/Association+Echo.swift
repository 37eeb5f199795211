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
        let request = CEchoRequest(messageID: endpoint.nextMessageID())
        let response = try await endpoint.onChannelLoop { () async throws(AssociationError) in
            try await endpoint.exchange(messageID: request.messageID) { () async throws(AssociationError) in
                try await endpoint.link.send(commandSet: request.commandSet, presentationContextID: contextID)
            }
        }
        do {
            return try CEchoResponse(commandSet: response.commandSet).status
        } catch {
            throw AssociationError(.protocolViolation, "malformed C-ECHO-RSP: \(error)")
        }
    }
}
