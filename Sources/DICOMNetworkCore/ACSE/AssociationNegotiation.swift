public import DICOMCore
public import NIOCore

/// The acceptor's answer to an A-ASSOCIATE request and both sides' reading of the outcome, as pure
/// functions: presentation contexts (``PresentationNegotiation``) and the user information of
/// PS3.8 Annex D and PS3.7 Annex D.3.3.
///
/// The intervention points of pynetdicom's acceptor (EVT_USER_ID, EVT_SOP_EXTENDED,
/// EVT_ASYNC_OPS) are inputs here: the caller runs its handlers first and passes their answers in.
/// Checks on the request itself (AE titles, association limit, protocol version) are
/// ``AssociationAcceptancePolicy``'s and come before.
public enum AssociationNegotiation {
    /// What the acceptor brings to a negotiation besides its supported contexts.
    public struct AcceptorConfiguration: Hashable, Sendable {
        /// The acceptor's Maximum Length Received (PS3.8 Annex D.1); 0 means no limit. Default
        /// 16382, pynetdicom's `maximum_pdu_size`.
        public var maximumLengthReceived: UInt32

        /// The acceptor's Implementation Class UID (PS3.7 D.3.3.2); default NetDICOM's.
        public var implementationClassUID: UID

        /// The acceptor's Implementation Version Name; default NetDICOM's.
        public var implementationVersionName: String?

        /// The most asynchronous operations the acceptor grants, in the terms of the
        /// A-ASSOCIATE-AC (how many operations the requestor may invoke and perform outstanding);
        /// each answer is the smaller of this and the proposal. `nil`, the default, answers no
        /// proposal, as pynetdicom does unless an EVT_ASYNC_OPS handler is bound, and the window
        /// stays synchronous.
        public var asynchronousOperationsWindow: AsynchronousOperationsWindow?

        /// Whose order picks each accepted context's transfer syntax; default the acceptor's.
        public var transferSyntaxPreference: PresentationNegotiation.TransferSyntaxPreference

        /// Creates a configuration; the defaults are pynetdicom's with NetDICOM's implementation
        /// identification.
        public init(
            maximumLengthReceived: UInt32 = AAssociate.UserInformation.defaultMaximumLengthReceived,
            implementationClassUID: UID = FileMetaInformation.implementationClassUID,
            implementationVersionName: String? = FileMetaInformation.implementationVersionName,
            asynchronousOperationsWindow: AsynchronousOperationsWindow? = nil,
            transferSyntaxPreference: PresentationNegotiation.TransferSyntaxPreference = .acceptor
        ) {
            self.maximumLengthReceived = maximumLengthReceived
            self.implementationClassUID = implementationClassUID
            self.implementationVersionName = implementationVersionName
            self.asynchronousOperationsWindow = asynchronousOperationsWindow
            self.transferSyntaxPreference = transferSyntaxPreference
        }
    }

    /// The acceptor's verdict on a User Identity Negotiation request (PS3.7 D.3.3.7), the answer
    /// of its EVT_USER_ID handler.
    public enum UserIdentityVerdict: Hashable, Sendable {
        /// The identity is verified. `serverResponse` is the Kerberos server ticket, SAML response
        /// or JSON Web Token to return for identity types 3 to 5 when the requestor asked for a
        /// positive response; it is ignored for types 1 and 2, whose response is empty.
        case accepted(serverResponse: ByteBuffer?)
        /// The identity is not verified: the association is rejected (``AAssociate/Rejection/userIdentityNotVerified``).
        case rejected
    }

    // MARK: User information answers

    /// The Asynchronous Operations Window the acceptor returns, or `nil` for none.
    ///
    /// None when the requestor proposed none, or proposed the synchronous window (1, 1), which the
    /// absence of an answer already means (pynetdicom answers only other proposals), or when the
    /// acceptor grants nothing (`acceptorWindow` `nil`). Otherwise each number is the smaller of
    /// the proposed one and the acceptor's, 0 counting as unlimited (PS3.7 D.3.3.3: the answer
    /// "shall be equal or less" than the proposal).
    public static func asynchronousOperationsWindowAnswer(
        to proposal: AsynchronousOperationsWindow?,
        acceptorWindow: AsynchronousOperationsWindow?
    ) -> AsynchronousOperationsWindow? {
        guard let proposal, !proposal.isSynchronous, let acceptorWindow else { return nil }
        return proposal.narrowed(to: acceptorWindow)
    }

    /// The Asynchronous Operations Window in force, from the requestor's side: synchronous unless
    /// both the request and the acceptance carry one, then the answer, capped by the proposal.
    public static func negotiatedAsynchronousOperationsWindow(
        proposed: AsynchronousOperationsWindow?,
        answered: AsynchronousOperationsWindow?
    ) -> AsynchronousOperationsWindow {
        guard let proposed, let answered else { return .synchronous }
        return answered.narrowed(to: proposed)
    }

    /// The User Identity response the acceptor returns, or `nil` for none.
    ///
    /// A response goes back only when the requestor sent a User Identity request asking for a
    /// positive response and the acceptor verified the identity (PS3.7 D.3.3.7): empty for
    /// identity types 1 and 2 (Table D.3-15), the verdict's server response for types 3 to 5 (none
    /// if the verdict has none). Without a verdict (no handler) the identity is not checked and
    /// nothing is returned, as in pynetdicom.
    public static func userIdentityResponse(
        to request: UserIdentityRequest?,
        verdict: UserIdentityVerdict?
    ) -> UserIdentityResponse? {
        guard let request, request.positiveResponseRequested, case .accepted(let serverResponse) = verdict else {
            return nil
        }
        if request.identityType.hasServerResponse {
            return serverResponse.map { UserIdentityResponse(serverResponse: $0) }
        }
        return UserIdentityResponse()
    }

    /// The SOP Class Extended Negotiation answers the acceptor returns: those of `answers` (its
    /// EVT_SOP_EXTENDED handler's) for SOP classes the requestor sent one for, the first per SOP
    /// class (PS3.7 D.3.3.5 answers proposals, it does not start new ones), and, given
    /// `acceptedContexts`, only for SOP classes one of them is for: a class the association
    /// cannot use has no service to negotiate.
    public static func sopClassExtendedNegotiationAnswers(
        to proposals: [SOPClassExtendedNegotiation],
        answers: [SOPClassExtendedNegotiation],
        acceptedContexts: [PresentationContext]? = nil
    ) -> [SOPClassExtendedNegotiation] {
        var open = Set(proposals.map(\.sopClassUID))
        let usable = acceptedContexts.map { Set($0.filter(\.isAccepted).map(\.abstractSyntax)) }
        return answers.filter { answer in
            guard usable?.contains(answer.sopClassUID) ?? true else { return false }
            return open.remove(answer.sopClassUID) != nil
        }
    }

    // MARK: The acceptor's response

    /// The A-ASSOCIATE response to `request`: the acceptance, or the rejection if `userIdentity`
    /// is ``UserIdentityVerdict/rejected``.
    ///
    /// The acceptance echoes the request's AE titles, addresses and definition list, and carries
    /// the result list of ``PresentationNegotiation/negotiateAsAcceptor(requested:roleProposals:supported:transferSyntaxPreference:)``
    /// and the acceptor's user information: its maximum length and implementation identification,
    /// the asynchronous operations window answer, the role selection replies, the SOP class
    /// extended negotiation answers and the user identity response.
    ///
    /// - Parameters:
    ///   - request: The A-ASSOCIATE indication.
    ///   - supportedContexts: The acceptor's supported contexts.
    ///   - configuration: The acceptor's user information and transfer syntax preference.
    ///   - userIdentity: The verdict on the request's User Identity Negotiation; `nil` when none
    ///     was made (no request, or no handler).
    ///   - sopClassExtendedAnswers: The answers to the request's SOP Class Extended Negotiations.
    public static func response(
        to request: AAssociate,
        supportedContexts: [PresentationContext],
        configuration: AcceptorConfiguration = AcceptorConfiguration(),
        userIdentity: UserIdentityVerdict? = nil,
        sopClassExtendedAnswers: [SOPClassExtendedNegotiation] = []
    ) -> AAssociate {
        if request.userInformation.userIdentityRequest != nil, userIdentity == .rejected {
            return AAssociate(rejecting: request, with: .userIdentityNotVerified)
        }
        let presentation = PresentationNegotiation.negotiateAsAcceptor(
            requested: request.presentationContextDefinitionList,
            roleProposals: request.proposedRoleSelections,
            supported: supportedContexts,
            transferSyntaxPreference: configuration.transferSyntaxPreference
        )
        var response = request
        response.result = .accepted
        response.resultSource = .serviceUser
        response.diagnostic = nil
        response.presentationContextDefinitionResultList = presentation.contexts
        response.userInformation = AAssociate.UserInformation(
            maximumLengthReceived: configuration.maximumLengthReceived,
            implementationClassUID: configuration.implementationClassUID,
            implementationVersionName: configuration.implementationVersionName,
            asynchronousOperationsWindow: asynchronousOperationsWindowAnswer(
                to: request.userInformation.asynchronousOperationsWindow,
                acceptorWindow: configuration.asynchronousOperationsWindow
            ),
            roleSelections: presentation.roleSelections,
            sopClassExtendedNegotiations: sopClassExtendedNegotiationAnswers(
                to: request.userInformation.sopClassExtendedNegotiations,
                answers: sopClassExtendedAnswers,
                acceptedContexts: presentation.contexts
            ),
            userIdentityResponse: userIdentityResponse(
                to: request.userInformation.userIdentityRequest,
                verdict: userIdentity
            )
        )
        return response
    }
}
