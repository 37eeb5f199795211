public import DICOMCore
public import DICOMNetworkCore
import Logging
import NIOCore

/// An established association, as pynetdicom's `Association`: the handle to send DIMSE requests
/// on, for either role.
///
/// - As requestor, ``ApplicationEntity/associate(host:port:calledAETitle:contexts:maximumPDUSize:userIdentity:extendedNegotiation:commonExtendedNegotiation:asynchronousOperationsWindow:bindAddress:tls:handlers:events:logger:)``
///   returns it. Use it, then ``release()`` it (or ``abort()``); dropping it without either
///   closes the connection.
/// - As acceptor (and, for the requests the acceptor sends, as requestor too), a handler gets it
///   from ``AssociationInfo/handle`` (pynetdicom's `event.assoc`), to send requests on the
///   association its request arrived on: an N-EVENT-REPORT after an N-ACTION, say. Such a
///   handle never closes anything when dropped: the association lives as long as the peers
///   keep it.
///
/// All methods may be called from any task. What the peer does (an abort, a dropped
/// connection) ends the association; every later call then throws ``AssociationError`` with
/// ``AssociationError/Code/closed`` or the reason the association ended.
public final class Association: Sendable {
    /// Which side of the association the local AE is.
    public enum Role: Hashable, Sendable {
        /// The local AE asked for the association (sent the A-ASSOCIATE-RQ).
        case requestor
        /// The local AE accepted it (answered the A-ASSOCIATE-RQ).
        case acceptor
    }

    /// The A-ASSOCIATE request: as sent by a requestor, as received by an acceptor.
    public let request: AAssociate
    /// The acceptor's answer: as received by a requestor, as sent by an acceptor.
    public let acceptance: AAssociate
    /// The negotiated presentation contexts, roles and user information, from the local AE's side.
    public let outcome: AssociationNegotiation.Outcome
    /// Which side the local AE is.
    public let role: Role

    /// Sends our requests and answers the peer's.
    let endpoint: DIMSEEndpoint
    /// Whether dropping this handle closes the connection: only the requestor's own handle,
    /// the one `associate` returned, owns it.
    private let ownsConnection: Bool
    var link: AssociationLink { endpoint.link }
    var router: AssociationRouter { endpoint.router }
    var entity: ApplicationEntity { endpoint.entity }

    /// The requestor's own handle, which owns the connection.
    init(request: AAssociate, acceptance: AAssociate, endpoint: DIMSEEndpoint) {
        self.request = request
        self.acceptance = acceptance
        self.outcome = endpoint.outcome
        self.role = .requestor
        self.endpoint = endpoint
        self.ownsConnection = true
    }

    /// A handle on `endpoint` for its handlers, which owns nothing: the endpoint does not keep
    /// it, so no reference cycle forms, and dropping it leaves the connection alone.
    init(handleOf endpoint: DIMSEEndpoint) {
        let info = endpoint.info
        self.request = info.request
        self.acceptance = info.acceptance ?? info.request
        self.outcome = endpoint.outcome
        self.role = info.role
        self.endpoint = endpoint
        self.ownsConnection = false
    }

    deinit {
        // An association dropped without release or abort must not keep its socket.
        if ownsConnection, router.endReason == nil { link.channel.close(promise: nil) }
    }

    // MARK: - What was negotiated

    /// The presentation contexts accepted, with the local AE's roles on each.
    public var acceptedContexts: [PresentationContext] { outcome.acceptedContexts }
    /// The presentation contexts rejected, with the reason in each one's `result`.
    public var rejectedContexts: [PresentationContext] { outcome.rejectedContexts }
    /// The peer's Maximum Length Received: the largest P-DATA-TF it takes; 0 is unlimited.
    public var peerMaximumPDUSize: UInt32 { outcome.peerMaximumLengthReceived ?? 0 }
    /// The peer's AE title: the acceptor's as it answered, or the requestor's calling AE title.
    public var peerAETitle: String { endpoint.info.peerAETitle }
    /// The acceptor's answer to a user identity request, if it sent one.
    public var userIdentityResponse: UserIdentityResponse? { acceptance.userInformation.userIdentityResponse }
    /// Whether the association is still established (not released, aborted or dropped).
    public var isEstablished: Bool { router.endReason == nil }

    /// Waits until the association ends (released, aborted or dropped) or `duration` has
    /// passed, whichever comes first; returns whether it ended.
    public func ended(within duration: Duration) async -> Bool {
        let notice = router.endNotice()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in notice {} }
            group.addTask { try? await Task.sleep(for: duration) }
            await group.next()
            group.cancelAll()
        }
        return !isEstablished
    }

    /// The accepted context for `abstractSyntax`, preferring one whose transfer syntax is in
    /// `transferSyntaxes` (in that order) when given.
    public func acceptedContext(for abstractSyntax: UID, transferSyntaxes: [UID] = []) -> PresentationContext? {
        let candidates = acceptedContexts.filter { $0.abstractSyntax == abstractSyntax }
        for syntax in transferSyntaxes {
            if let match = candidates.first(where: { $0.transferSyntax == syntax }) { return match }
        }
        return candidates.first
    }

    /// The association's event loop as a task executor. Operations run there anyway; a task
    /// that runs many in a row (`withTaskExecutorPreference(association.taskExecutor) { … }`)
    /// saves the two executor switches each one otherwise costs.
    public var taskExecutor: any TaskExecutor { endpoint.loopExecutor }

    // MARK: - Ending

    /// Releases the association (A-RELEASE) and waits for the peer's confirmation, at most the
    /// ACSE timeout; a peer that does not answer in time is aborted.
    ///
    /// Either side may release (PS3.8 §7.2.2); usually the requestor does. An acceptor's
    /// handler that releases should do so once its own response is out (see
    /// ``NServiceResult/afterResponse``): no DIMSE message may follow an A-RELEASE request.
    public func release() async throws(AssociationError) {
        if let ended = router.endReason { throw ended }
        let confirmation = router.releaseConfirmation()
        try await link.request(.release)
        do {
            try await withTimeout(entity.acseTimeout, "A-RELEASE-RP") {
                for try await _ in confirmation {}
            }
            link.trace.emit(.released, level: .info)
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
        link.trace.emit(.aborted("aborted locally"), level: .info)
    }
}
