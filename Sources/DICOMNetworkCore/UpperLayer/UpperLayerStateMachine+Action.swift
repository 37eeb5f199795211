extension UpperLayerStateMachine {
    /// What the channel handler must do after an event: exactly one value per action of PS3.8
    /// §9.2.2 (Tables 9-6 to 9-9), plus two values for the cells Table 9-10 leaves blank.
    ///
    /// Each value stands for its whole PS3.8 action: the PDU to send or the primitive to issue,
    /// the ARTIM start or stop (also given by ``artim``), the transport close, and the next state,
    /// which the machine has already entered when it returns the action. Where two PS3.8 actions
    /// read alike but lead to different states (DT-1 and AR-7, DT-2 and AR-6, AA-5 and AR-5) they
    /// still get distinct values, so that an action always names its PS3.8 action
    /// (``standardName``).
    ///
    /// The A-ABORT PDUs that the machine asks for differ by source (PS3.8 Table 9-26): AA-1 sends
    /// source 0 (UL service-user, reason 0); AA-7 and AA-8 send source 2 (UL service-provider) with
    /// the ``ProviderAbortReason`` they carry.
    public enum Action: Hashable, Sendable, CustomStringConvertible {
        // MARK: Association establishment, PS3.8 Table 9-6

        /// AE-1: Issue a TRANSPORT CONNECT request to the local transport service (open the TCP
        /// connection to the peer). Next state Sta4.
        case openTransport
        /// AE-2: Send the A-ASSOCIATE-RQ PDU. Next state Sta5.
        case sendAssociateRQ
        /// AE-3: Issue the A-ASSOCIATE confirmation (accept) primitive to the local user.
        /// Next state Sta6.
        case issueAssociateConfirmationAccept
        /// AE-4: Issue the A-ASSOCIATE confirmation (reject) primitive to the local user and close
        /// the transport connection. Next state Sta1.
        case issueAssociateConfirmationRejectAndCloseTransport
        /// AE-5: Issue the transport connection response primitive (accept the incoming TCP
        /// connection) and start ARTIM. Next state Sta2.
        case acceptTransportAndStartARTIM
        /// AE-6: Stop ARTIM, then, if the A-ASSOCIATE-RQ is acceptable by the service-provider,
        /// issue the A-ASSOCIATE indication primitive to the local user (next state Sta3);
        /// otherwise send an A-ASSOCIATE-RJ PDU and start ARTIM again (next state Sta13).
        ///
        /// `acceptable` is the decision passed to
        /// ``UpperLayerStateMachine/associateRQReceived(acceptable:)``.
        case stopARTIMAndHandleAssociateRQ(acceptable: Bool)
        /// AE-7: Send the A-ASSOCIATE-AC PDU. Next state Sta6.
        case sendAssociateAC
        /// AE-8: Send the A-ASSOCIATE-RJ PDU and start ARTIM. Next state Sta13.
        case sendAssociateRJAndStartARTIM

        // MARK: Data transfer, PS3.8 Table 9-7

        /// DT-1: Send the P-DATA-TF PDU. Next state Sta6.
        case sendPDataTF
        /// DT-2: Issue the P-DATA indication primitive to the local user. Next state Sta6.
        case issuePDataIndication

        // MARK: Association release, PS3.8 Table 9-8

        /// AR-1: Send the A-RELEASE-RQ PDU. Next state Sta7.
        case sendReleaseRQ
        /// AR-2: Issue the A-RELEASE indication primitive to the local user. Next state Sta8.
        case issueReleaseIndication
        /// AR-3: Issue the A-RELEASE confirmation primitive to the local user and close the
        /// transport connection. Next state Sta1.
        case issueReleaseConfirmationAndCloseTransport
        /// AR-4: Send the A-RELEASE-RP PDU and start ARTIM. Next state Sta13.
        case sendReleaseRPAndStartARTIM
        /// AR-5: Stop ARTIM: the transport close awaited in Sta13 has come. Next state Sta1.
        case stopARTIM
        /// AR-6: Issue the P-DATA indication primitive to the local user while awaiting the
        /// peer's A-RELEASE-RP (data the peer sent before it saw our A-RELEASE-RQ).
        /// Next state Sta7.
        case issuePDataIndicationAwaitingReleaseRP
        /// AR-7: Send the P-DATA-TF PDU while the local user has not yet answered the peer's
        /// A-RELEASE-RQ. Next state Sta8.
        case sendPDataTFAwaitingReleaseResponse
        /// AR-8: Issue the A-RELEASE indication primitive to the local user: a release collision
        /// (both ends sent A-RELEASE-RQ). Next state Sta9 for the association-requestor, Sta10
        /// for the acceptor.
        case issueReleaseCollisionIndication
        /// AR-9: Send the A-RELEASE-RP PDU (requestor side of a collision). Next state Sta11.
        case sendReleaseRP
        /// AR-10: Issue the A-RELEASE confirmation primitive to the local user (acceptor side of a
        /// collision; the transport stays open). Next state Sta12.
        case issueReleaseConfirmation

        // MARK: Association abort, PS3.8 Table 9-9

        /// AA-1: Send an A-ABORT PDU with source UL service-user (0) and reason 0, and start (or
        /// restart, if running) ARTIM. Next state Sta13.
        case sendAbortAndStartARTIM
        /// AA-2: Stop ARTIM if it is running and close the transport connection. Next state Sta1.
        case stopARTIMAndCloseTransport
        /// AA-3: Issue the abort indication the received A-ABORT PDU calls for, and close the
        /// transport connection: an A-ABORT indication if its source is the UL service-user, an
        /// A-P-ABORT indication otherwise. Next state Sta1.
        case issueAbortIndicationAndCloseTransport
        /// AA-4: Issue an A-P-ABORT indication primitive to the local user: the transport closed
        /// under an association. Next state Sta1.
        case issueProviderAbortIndication
        /// AA-5: Stop ARTIM: the peer closed the transport in Sta2, before any A-ASSOCIATE-RQ, so
        /// there is no association and nobody to tell. Next state Sta1.
        case stopARTIMBeforeAssociation
        /// AA-6: Ignore the PDU: it arrived in Sta13, where the association no longer exists.
        /// Next state Sta13.
        case ignorePDU
        /// AA-7: Send an A-ABORT PDU, with source UL service-provider (2) and `reason`; ARTIM keeps
        /// running. Next state Sta13.
        ///
        /// PS3.8 Table 9-9 does not give AA-7's source; NetDICOM uses the service-provider, since
        /// it is the upper layer, not the user, that answers a PDU arriving in Sta13.
        case sendAbort(reason: ProviderAbortReason)
        /// AA-8: Send an A-ABORT PDU with source UL service-provider (2) and `reason`, issue an
        /// A-P-ABORT indication primitive to the local user, and start ARTIM. Next state Sta13.
        case sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: ProviderAbortReason)

        // MARK: Blank cells of Table 9-10

        /// The local user issued a primitive that PS3.8 Table 9-10 does not allow in the current
        /// state (its cell is blank), such as a P-DATA request before the association is
        /// established. Nothing is sent and the state does not change; the handler fails the
        /// user's request with a usage error.
        case rejectLocalPrimitive(Event)
        /// A transport, PDU or timer event arrived in a state where PS3.8 Table 9-10 leaves its
        /// cell blank. Nothing is sent and the state does not change.
        ///
        /// These events come late, never wrongly: a PDU still buffered, or the transport's close
        /// indication, after this side already closed the transport and went to Sta1; an ARTIM
        /// expiry that lost the race with its cancellation. PDU events in Sta4 and transport
        /// events out of place cannot happen with a correct handler and are ignored the same way.
        case ignore(Event)

        /// The PS3.8 name of the action ("AE-1" … "AA-8"), as EVT_FSM_TRANSITION reports it;
        /// `nil` for the blank-cell values ``rejectLocalPrimitive(_:)`` and ``ignore(_:)``.
        public var standardName: String? {
            switch self {
            case .openTransport: "AE-1"
            case .sendAssociateRQ: "AE-2"
            case .issueAssociateConfirmationAccept: "AE-3"
            case .issueAssociateConfirmationRejectAndCloseTransport: "AE-4"
            case .acceptTransportAndStartARTIM: "AE-5"
            case .stopARTIMAndHandleAssociateRQ: "AE-6"
            case .sendAssociateAC: "AE-7"
            case .sendAssociateRJAndStartARTIM: "AE-8"
            case .sendPDataTF: "DT-1"
            case .issuePDataIndication: "DT-2"
            case .sendReleaseRQ: "AR-1"
            case .issueReleaseIndication: "AR-2"
            case .issueReleaseConfirmationAndCloseTransport: "AR-3"
            case .sendReleaseRPAndStartARTIM: "AR-4"
            case .stopARTIM: "AR-5"
            case .issuePDataIndicationAwaitingReleaseRP: "AR-6"
            case .sendPDataTFAwaitingReleaseResponse: "AR-7"
            case .issueReleaseCollisionIndication: "AR-8"
            case .sendReleaseRP: "AR-9"
            case .issueReleaseConfirmation: "AR-10"
            case .sendAbortAndStartARTIM: "AA-1"
            case .stopARTIMAndCloseTransport: "AA-2"
            case .issueAbortIndicationAndCloseTransport: "AA-3"
            case .issueProviderAbortIndication: "AA-4"
            case .stopARTIMBeforeAssociation: "AA-5"
            case .ignorePDU: "AA-6"
            case .sendAbort: "AA-7"
            case .sendAbortIssueProviderAbortIndicationAndStartARTIM: "AA-8"
            case .rejectLocalPrimitive, .ignore: nil
            }
        }

        /// "AE-6 (acceptable: false)", "AA-8 (unexpected-PDU)", "reject Evt9", "ignore Evt17".
        public var description: String {
            switch self {
            case .stopARTIMAndHandleAssociateRQ(let acceptable):
                "AE-6 (acceptable: \(acceptable))"
            case .sendAbort(let reason), .sendAbortIssueProviderAbortIndicationAndStartARTIM(let reason):
                "\(standardName ?? "") (\(reason))"
            case .rejectLocalPrimitive(let event):
                "reject \(event.standardName)"
            case .ignore(let event):
                "ignore \(event.standardName)"
            case .openTransport, .sendAssociateRQ, .issueAssociateConfirmationAccept,
                .issueAssociateConfirmationRejectAndCloseTransport, .acceptTransportAndStartARTIM,
                .sendAssociateAC, .sendAssociateRJAndStartARTIM, .sendPDataTF, .issuePDataIndication,
                .sendReleaseRQ, .issueReleaseIndication, .issueReleaseConfirmationAndCloseTransport,
                .sendReleaseRPAndStartARTIM, .stopARTIM, .issuePDataIndicationAwaitingReleaseRP,
                .sendPDataTFAwaitingReleaseResponse, .issueReleaseCollisionIndication, .sendReleaseRP,
                .issueReleaseConfirmation, .sendAbortAndStartARTIM, .stopARTIMAndCloseTransport,
                .issueAbortIndicationAndCloseTransport, .issueProviderAbortIndication,
                .stopARTIMBeforeAssociation, .ignorePDU:
                standardName ?? ""
            }
        }
    }
}
