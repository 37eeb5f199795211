public import DICOMCore
public import DICOMNetworkCore
import Logging
import NIOCore

/// An established association, as requestor: the handle ``ApplicationEntity/associate(host:port:calledAETitle:contexts:maximumPDUSize:userIdentity:bindAddress:events:logger:)``
/// returns. Use it for DIMSE operations, then ``release()`` it (or ``abort()``).
///
/// All methods may be called from any task. What the peer does (an abort, a dropped
/// connection) ends the association; every later call then throws ``AssociationError`` with
/// ``AssociationError/Code/closed`` or the reason the association ended.
public final class Association: Sendable {
    /// The A-ASSOCIATE request as sent.
    public let request: AAssociate
    /// The acceptor's answer, as received.
    public let acceptance: AAssociate
    /// The negotiated presentation contexts, roles and user information.
    public let outcome: AssociationNegotiation.Outcome

    /// Sends our requests and answers the peer's (C-STORE sub-operations of a C-GET).
    let endpoint: DIMSEEndpoint
    var link: AssociationLink { endpoint.link }
    var router: AssociationRouter { endpoint.router }
    var entity: ApplicationEntity { endpoint.entity }

    init(request: AAssociate, acceptance: AAssociate, endpoint: DIMSEEndpoint) {
        self.request = request
        self.acceptance = acceptance
        self.outcome = endpoint.outcome
        self.endpoint = endpoint
    }

    deinit {
        // An association dropped without release or abort must not keep its socket.
        if router.endReason == nil { link.channel.close(promise: nil) }
    }

    // MARK: - What was negotiated

    /// The presentation contexts the acceptor accepted.
    public var acceptedContexts: [PresentationContext] { outcome.acceptedContexts }
    /// The presentation contexts the acceptor rejected, with the reason in each one's `result`.
    public var rejectedContexts: [PresentationContext] { outcome.rejectedContexts }
    /// The acceptor's Maximum Length Received: the largest P-DATA-TF it takes; 0 is unlimited.
    public var peerMaximumPDUSize: UInt32 { acceptance.maximumLengthReceived ?? 0 }
    /// The acceptor's AE title, as it answered.
    public var peerAETitle: String { acceptance.respondingAETitle }
    /// The acceptor's answer to a user identity request, if it sent one.
    public var userIdentityResponse: UserIdentityResponse? { acceptance.userInformation.userIdentityResponse }
    /// Whether the association is still established (not released, aborted or dropped).
    public var isEstablished: Bool { router.endReason == nil }

    /// The accepted context for `abstractSyntax`, preferring one whose transfer syntax is in
    /// `transferSyntaxes` (in that order) when given.
    public func acceptedContext(for abstractSyntax: UID, transferSyntaxes: [UID] = []) -> PresentationContext? {
        let candidates = acceptedContexts.filter { $0.abstractSyntax == abstractSyntax }
        for syntax in transferSyntaxes {
            if let match = candidates.first(where: { $0.transferSyntax == syntax }) { return match }
        }
        return candidates.first
    }

    // MARK: - Ending

    /// Releases the association (A-RELEASE) and waits for the peer's confirmation, at most the
    /// ACSE timeout; a peer that does not answer in time is aborted.
    public func release() async throws(AssociationError) {
        if let ended = router.endReason { throw ended }
        let confirmation = router.releaseConfirmation()
        try await link.request(.release)
        do {
            try await withTimeout(entity.acseTimeout, "A-RELEASE-RP") {
                for try await _ in confirmation {}
            }
            link.trace.emit(.released)
        } catch let error as AssociationError {
            if error.code == .timedOut { await abort() }
            throw error
        } catch {
            throw AssociationError(.closed, "\(error)")
        }
    }

    /// Aborts the association (A-ABORT, source service-user) without waiting for anything.
    public func abort() async {
        guard router.endReason == nil else { return }
        try? await link.request(.abort)
        router.end(with: AssociationError(.closed, "the association was aborted locally"))
        link.trace.emit(.aborted("aborted locally"))
    }
}
