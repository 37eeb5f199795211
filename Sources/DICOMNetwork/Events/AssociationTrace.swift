import DICOMNetworkCore
import Logging
import Synchronization

/// One association's reporting: events to subscribers and log lines (debug for the association's
/// life, trace for PDUs and state transitions), all tagged with the association's number.
struct AssociationTrace: Sendable {
    let associationID: Int
    let peer: String
    let logger: Logger
    let events: AssociationEvents?

    init(peer: String, logger: Logger, events: AssociationEvents?) {
        self.associationID = AssociationTrace.nextID.add(1, ordering: .relaxed).newValue
        self.peer = peer
        var logger = logger
        logger[metadataKey: "association"] = "\(associationID)"
        logger[metadataKey: "peer"] = "\(peer)"
        self.logger = logger
        self.events = events
    }

    func emit(_ kind: @autoclosure () -> AssociationEvent.Kind, level: Logger.Level = .debug) {
        // Nothing is built when nobody listens: this runs for every PDU and DIMSE message.
        guard events?.hasSubscribers == true || logger.logLevel <= level else { return }
        let event = AssociationEvent(kind: kind(), associationID: associationID, peer: peer)
        logger.log(level: level, "\(event)")
        events?.emit(event)
    }

    /// Reports a state transition, and the PDU it sent or received (EVT_PDU_SENT/RECV).
    func transition(_ transition: UpperLayerStateMachine.Transition) {
        emit(.stateTransition(transition), level: .trace)
        if let received = transition.event.receivedPDUType {
            emit(.pduReceived(received), level: .trace)
        }
        if let sent = transition.action.sentPDUType {
            emit(.pduSent(sent), level: .trace)
        }
    }

    private static let nextID = Atomic<Int>(0)
}

extension UpperLayerStateMachine.Event {
    /// The PDU whose arrival is this event, if any.
    var receivedPDUType: PDU.PDUType? {
        switch self {
        case .associateACReceived: .associateAC
        case .associateRJReceived: .associateRJ
        case .associateRQReceived: .associateRQ
        case .pDataTFReceived: .pDataTF
        case .releaseRQReceived: .releaseRQ
        case .releaseRPReceived: .releaseRP
        case .abortReceived: .abort
        case .associateRequested, .transportConnectConfirmed, .transportConnectionIndicated,
             .associateResponseAccepted, .associateResponseRejected, .pDataRequested, .releaseRequested,
             .releaseResponded, .abortRequested, .transportClosed, .artimExpired, .invalidPDUReceived: nil
        }
    }
}

extension UpperLayerStateMachine.Action {
    /// The PDU this action sends, if any.
    var sentPDUType: PDU.PDUType? {
        switch self {
        case .sendAssociateRQ: .associateRQ
        case .sendAssociateAC: .associateAC
        case .sendAssociateRJAndStartARTIM: .associateRJ
        case .sendPDataTF, .sendPDataTFAwaitingReleaseResponse: .pDataTF
        case .sendReleaseRQ: .releaseRQ
        case .sendReleaseRPAndStartARTIM, .sendReleaseRP: .releaseRP
        case .sendAbortAndStartARTIM, .sendAbort, .sendAbortIssueProviderAbortIndicationAndStartARTIM: .abort
        case .openTransport, .issueAssociateConfirmationAccept, .issueAssociateConfirmationRejectAndCloseTransport,
             .acceptTransportAndStartARTIM, .stopARTIMAndHandleAssociateRQ, .issuePDataIndication, .issueReleaseIndication,
             .issueReleaseConfirmationAndCloseTransport, .stopARTIM, .issuePDataIndicationAwaitingReleaseRP,
             .issueReleaseCollisionIndication, .issueReleaseConfirmation, .stopARTIMAndCloseTransport,
             .issueAbortIndicationAndCloseTransport, .issueProviderAbortIndication, .stopARTIMBeforeAssociation,
             .ignorePDU, .rejectLocalPrimitive, .ignore: nil
        }
    }
}
