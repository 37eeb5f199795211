extension AssociationNegotiation {
    /// What an established association works with, seen from the local AE: every presentation
    /// context's outcome with the local roles, the asynchronous operations window, and how long
    /// the P-DATA-TF PDUs sent to the peer may be.
    public struct Outcome: Hashable, Sendable {
        /// One context per proposed context, in increasing ID order, with its result, transfer
        /// syntax, and the local AE's roles in ``PresentationContext/asSCU`` and
        /// ``PresentationContext/asSCP``.
        public var presentationContexts: [PresentationContext]

        /// The asynchronous operations window from the local AE's side: how many operations it may
        /// invoke, and perform, without waiting for responses. (1, 1) unless negotiated.
        public var asynchronousOperationsWindow: AsynchronousOperationsWindow

        /// The peer's Maximum Length Received: the longest P-DATA-TF variable field to send it;
        /// 0 means no limit, `nil` that the peer sent no Maximum Length Sub-Item.
        public var peerMaximumLengthReceived: UInt32?

        /// Creates an outcome.
        public init(
            presentationContexts: [PresentationContext],
            asynchronousOperationsWindow: AsynchronousOperationsWindow,
            peerMaximumLengthReceived: UInt32?
        ) {
            self.presentationContexts = presentationContexts
            self.asynchronousOperationsWindow = asynchronousOperationsWindow
            self.peerMaximumLengthReceived = peerMaximumLengthReceived
        }

        /// The accepted contexts, in increasing ID order.
        public var acceptedContexts: [PresentationContext] {
            presentationContexts.filter(\.isAccepted)
        }

        /// The rejected contexts, in increasing ID order.
        public var rejectedContexts: [PresentationContext] {
            presentationContexts.filter { !$0.isAccepted }
        }

        /// The context with ID `contextID`, if there is one.
        public func context(withID contextID: UInt8) -> PresentationContext? {
            presentationContexts.first { $0.contextID == contextID }
        }

        /// The association-requestor's outcome, from its request and the acceptor's confirmation
        /// (``AAssociate/init(acceptance:request:)``).
        public static func requestor(request: AAssociate, acceptance: AAssociate) -> Outcome {
            Outcome(
                presentationContexts: PresentationNegotiation.negotiateAsRequestor(
                    requested: request.presentationContextDefinitionList,
                    roleProposals: request.proposedRoleSelections,
                    results: acceptance.presentationContextDefinitionResultList,
                    roleReplies: acceptance.userInformation.roleSelections
                ),
                asynchronousOperationsWindow: negotiatedAsynchronousOperationsWindow(
                    proposed: request.userInformation.asynchronousOperationsWindow,
                    answered: acceptance.userInformation.asynchronousOperationsWindow
                ),
                peerMaximumLengthReceived: acceptance.userInformation.maximumLengthReceived
            )
        }

        /// The association-acceptor's outcome, from the request and its own acceptance
        /// (``AssociationNegotiation/response(to:supportedContexts:configuration:userIdentity:sopClassExtendedAnswers:)``).
        /// The window turns around: the acceptor performs what the requestor invokes.
        public static func acceptor(request: AAssociate, acceptance: AAssociate) -> Outcome {
            let window = negotiatedAsynchronousOperationsWindow(
                proposed: request.userInformation.asynchronousOperationsWindow,
                answered: acceptance.userInformation.asynchronousOperationsWindow
            )
            return Outcome(
                presentationContexts: acceptance.presentationContextDefinitionResultList
                    .sorted { ($0.contextID ?? 0) < ($1.contextID ?? 0) },
                asynchronousOperationsWindow: AsynchronousOperationsWindow(
                    maximumNumberOperationsInvoked: window.maximumNumberOperationsPerformed,
                    maximumNumberOperationsPerformed: window.maximumNumberOperationsInvoked
                ),
                peerMaximumLengthReceived: request.userInformation.maximumLengthReceived
            )
        }
    }
}
