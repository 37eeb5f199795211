extension UpperLayerStateMachine {
    /// What an action does to ARTIM, the association request/reject/release timer (PS3.8 §9.1.5).
    ///
    /// The machine holds no clock: the handler starts a timer on ``start`` and feeds
    /// ``UpperLayerStateMachine/artimExpired()`` back in when it fires.
    public enum ARTIMEffect: Hashable, Sendable {
        /// Leave ARTIM as it is.
        case unchanged
        /// Start ARTIM, restarting it if it is already running (AA-1's "start (or restart)").
        case start
        /// Stop ARTIM if it is running.
        case stop
    }
}

extension UpperLayerStateMachine.Action {
    /// The ARTIM part of the action, as PS3.8 Tables 9-6 to 9-9 define it.
    ///
    /// AE-6 stops ARTIM and, for an unacceptable A-ASSOCIATE-RQ, starts it again; its net effect
    /// is then ``UpperLayerStateMachine/ARTIMEffect/start``.
    public var artim: UpperLayerStateMachine.ARTIMEffect {
        switch self {
        case .acceptTransportAndStartARTIM, .sendAssociateRJAndStartARTIM, .sendReleaseRPAndStartARTIM,
            .sendAbortAndStartARTIM, .sendAbortIssueProviderAbortIndicationAndStartARTIM:
            .start
        case .stopARTIMAndHandleAssociateRQ(let acceptable):
            acceptable ? .stop : .start
        case .stopARTIM, .stopARTIMAndCloseTransport, .stopARTIMBeforeAssociation:
            .stop
        case .openTransport, .sendAssociateRQ, .issueAssociateConfirmationAccept,
            .issueAssociateConfirmationRejectAndCloseTransport, .sendAssociateAC, .sendPDataTF,
            .issuePDataIndication, .sendReleaseRQ, .issueReleaseIndication,
            .issueReleaseConfirmationAndCloseTransport, .issuePDataIndicationAwaitingReleaseRP,
            .sendPDataTFAwaitingReleaseResponse, .issueReleaseCollisionIndication, .sendReleaseRP,
            .issueReleaseConfirmation, .issueAbortIndicationAndCloseTransport,
            .issueProviderAbortIndication, .ignorePDU, .sendAbort, .rejectLocalPrimitive, .ignore:
            .unchanged
        }
    }
}
