/// The DICOM Upper Layer protocol machine of PS3.8 §9.2 as a pure value: one association's state
/// (Sta1–Sta13) and, per event (Evt1–Evt19), the action PS3.8 Table 9-10 prescribes.
///
/// It holds no channel, clock, logger or promise. The channel handler feeds each event in through
/// the method named after it, performs the returned ``Action`` (send a PDU, issue a primitive to
/// the local user, start or stop ARTIM, close the transport), and reads ``lastTransition`` for
/// the EVT_FSM_TRANSITION notification. The machine has already moved to the action's next state
/// when the method returns.
///
/// ```swift
/// var machine = UpperLayerStateMachine()
/// var action = machine.associateRequested()   // .openTransport (AE-1), now in Sta4
/// action = machine.transportConnectConfirmed()  // .sendAssociateRQ (AE-2), now in Sta5
/// action = machine.associateACReceived()        // .issueAssociateConfirmationAccept (AE-3), Sta6
/// ```
///
/// ## Blank cells
/// Table 9-10 leaves a cell blank where its event is not expected in its state, and PS3.8 gives
/// no action for it. The machine never traps there; it keeps its state and answers one of two
/// values:
/// - a local user primitive (Evt1, 7, 8, 9, 11, 14, 15) gets
///   ``Action/rejectLocalPrimitive(_:)``, so that the handler fails the user's call with a usage
///   error (a P-DATA request before the association is up, a second release request);
/// - any other event gets ``Action/ignore(_:)``. Such events arrive late, once this side has
///   closed the transport and is back in Sta1 (a PDU still in the decoder's buffer, the
///   transport's own close indication), or as an ARTIM expiry that lost the race with its
///   cancellation; the rest (a PDU in Sta4, before the transport is open; Evt2 outside Sta4;
///   Evt5 outside Sta1) cannot happen with a correct handler.
public struct UpperLayerStateMachine: Hashable, Sendable {
    /// The current state.
    public private(set) var state: State

    /// Which end of the association this is, learnt from the event that left Sta1 (Evt1 makes a
    /// requestor, Evt5 an acceptor); `nil` until then. It decides AR-8 (Sta9 or Sta10).
    public private(set) var role: Role?

    /// The latest step taken, for EVT_FSM_TRANSITION and logs; `nil` before the first event.
    public private(set) var lastTransition: Transition?

    /// A machine in Sta1 (Idle), whose role the first event decides.
    public init() {
        self.state = .sta1Idle
        self.role = nil
        self.lastTransition = nil
    }

    /// A machine already in `state`, for tests and test harnesses that start mid-association.
    ///
    /// - Parameter role: Which end this is. It matters only for AR-8; in states that belong to
    ///   one end only (Sta2, 3, 10 and 12 to the acceptor; Sta4, 5, 9 and 11 to the requestor)
    ///   it should agree with the state.
    init(state: State, role: Role?) {
        self.state = state
        self.role = role
        self.lastTransition = nil
    }

    // MARK: - Association establishment events

    /// Evt1: the local user issued an A-ASSOCIATE request primitive.
    public mutating func associateRequested() -> Action {
        switch state {
        case .sta1Idle:
            role = .requestor
            return step(.associateRequested, .openTransport)
        case .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished,
            .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.associateRequested, .rejectLocalPrimitive(.associateRequested))
        }
    }

    /// Evt2: the local transport service confirmed the connection that AE-1 asked for.
    public mutating func transportConnectConfirmed() -> Action {
        switch state {
        case .sta4AwaitingTransportOpen:
            return step(.transportConnectConfirmed, .sendAssociateRQ)
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.transportConnectConfirmed, .ignore(.transportConnectConfirmed))
        }
    }

    /// Evt3: an A-ASSOCIATE-AC PDU arrived.
    public mutating func associateACReceived() -> Action {
        let action: Action
        switch state {
        case .sta5AwaitingAssociateACOrRJ:
            action = .issueAssociateConfirmationAccept  // AE-3
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .ignorePDU  // AA-6
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.associateACReceived)
        }
        return step(.associateACReceived, action)
    }

    /// Evt4: an A-ASSOCIATE-RJ PDU arrived.
    public mutating func associateRJReceived() -> Action {
        let action: Action
        switch state {
        case .sta5AwaitingAssociateACOrRJ:
            action = .issueAssociateConfirmationRejectAndCloseTransport  // AE-4
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .ignorePDU  // AA-6
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.associateRJReceived)
        }
        return step(.associateRJReceived, action)
    }

    /// Evt5: the local transport service indicated an incoming transport connection.
    ///
    /// A machine serves one association: the handler makes a new machine per accepted connection
    /// and feeds this event to it first.
    public mutating func transportConnectionIndicated() -> Action {
        switch state {
        case .sta1Idle:
            role = .acceptor
            return step(.transportConnectionIndicated, .acceptTransportAndStartARTIM)  // AE-5
        case .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished,
            .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.transportConnectionIndicated, .ignore(.transportConnectionIndicated))
        }
    }

    /// Evt6: an A-ASSOCIATE-RQ PDU arrived.
    ///
    /// - Parameter acceptable: AE-6's decision, made by the caller before the local user sees the
    ///   request: whether the service-provider can take the A-ASSOCIATE-RQ at all (a protocol
    ///   version, application context or called AE title it serves). Used only in Sta2.
    public mutating func associateRQReceived(acceptable: Bool) -> Action {
        let action: Action
        switch state {
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .stopARTIMAndHandleAssociateRQ(acceptable: acceptable)  // AE-6
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta6AssociationEstablished, .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .sendAbort(reason: .unexpectedPDU)  // AA-7
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.associateRQReceived)
        }
        return step(.associateRQReceived, action)
    }

    /// Evt7: the local user accepted the association (A-ASSOCIATE response primitive, accept).
    public mutating func associateResponseAccepted() -> Action {
        switch state {
        case .sta3AwaitingLocalAssociateResponse:
            return step(.associateResponseAccepted, .sendAssociateAC)  // AE-7
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta4AwaitingTransportOpen,
            .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.associateResponseAccepted, .rejectLocalPrimitive(.associateResponseAccepted))
        }
    }

    /// Evt8: the local user rejected the association (A-ASSOCIATE response primitive, reject).
    public mutating func associateResponseRejected() -> Action {
        switch state {
        case .sta3AwaitingLocalAssociateResponse:
            return step(.associateResponseRejected, .sendAssociateRJAndStartARTIM)  // AE-8
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta4AwaitingTransportOpen,
            .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.associateResponseRejected, .rejectLocalPrimitive(.associateResponseRejected))
        }
    }

    // MARK: - Data transfer events

    /// Evt9: the local user issued a P-DATA request primitive.
    public mutating func pDataRequested() -> Action {
        switch state {
        case .sta6AssociationEstablished:
            return step(.pDataRequested, .sendPDataTF)  // DT-1
        case .sta8AwaitingLocalReleaseResponse:
            return step(.pDataRequested, .sendPDataTFAwaitingReleaseResponse)  // AR-7
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ, .sta7AwaitingReleaseRP,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.pDataRequested, .rejectLocalPrimitive(.pDataRequested))
        }
    }

    /// Evt10: a P-DATA-TF PDU arrived.
    public mutating func pDataTFReceived() -> Action {
        let action: Action
        switch state {
        case .sta6AssociationEstablished:
            action = .issuePDataIndication  // DT-2
        case .sta7AwaitingReleaseRP:
            action = .issuePDataIndicationAwaitingReleaseRP  // AR-6
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .ignorePDU  // AA-6
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.pDataTFReceived)
        }
        return step(.pDataTFReceived, action)
    }

    // MARK: - Association release events

    /// Evt11: the local user issued an A-RELEASE request primitive.
    public mutating func releaseRequested() -> Action {
        switch state {
        case .sta6AssociationEstablished:
            return step(.releaseRequested, .sendReleaseRQ)  // AR-1
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse, .sta13AwaitingTransportClose:
            return step(.releaseRequested, .rejectLocalPrimitive(.releaseRequested))
        }
    }

    /// Evt12: an A-RELEASE-RQ PDU arrived.
    public mutating func releaseRQReceived() -> Action {
        let action: Action
        switch state {
        case .sta6AssociationEstablished:
            action = .issueReleaseIndication  // AR-2
        case .sta7AwaitingReleaseRP:
            action = .issueReleaseCollisionIndication  // AR-8
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .ignorePDU  // AA-6
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.releaseRQReceived)
        }
        return step(.releaseRQReceived, action)
    }

    /// Evt13: an A-RELEASE-RP PDU arrived.
    public mutating func releaseRPReceived() -> Action {
        let action: Action
        switch state {
        case .sta7AwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP:
            action = .issueReleaseConfirmationAndCloseTransport  // AR-3
        case .sta10CollisionAcceptorAwaitingReleaseRP:
            action = .issueReleaseConfirmation  // AR-10
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta6AssociationEstablished, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: .unexpectedPDU)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .ignorePDU  // AA-6
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.releaseRPReceived)
        }
        return step(.releaseRPReceived, action)
    }

    /// Evt14: the local user issued the A-RELEASE response primitive.
    public mutating func releaseResponded() -> Action {
        switch state {
        case .sta8AwaitingLocalReleaseResponse, .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            return step(.releaseResponded, .sendReleaseRPAndStartARTIM)  // AR-4
        case .sta9CollisionRequestorAwaitingLocalReleaseResponse:
            return step(.releaseResponded, .sendReleaseRP)  // AR-9
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
            .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished,
            .sta7AwaitingReleaseRP, .sta10CollisionAcceptorAwaitingReleaseRP,
            .sta11CollisionRequestorAwaitingReleaseRP, .sta13AwaitingTransportClose:
            return step(.releaseResponded, .rejectLocalPrimitive(.releaseResponded))
        }
    }

    // MARK: - Association abort events

    /// Evt15: the local user issued an A-ABORT request primitive.
    ///
    /// Blank in Sta1, Sta2 and Sta13, where the local user has no association to abort.
    public mutating func abortRequested() -> Action {
        switch state {
        case .sta4AwaitingTransportOpen:
            return step(.abortRequested, .stopARTIMAndCloseTransport)  // AA-2
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta6AssociationEstablished, .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            return step(.abortRequested, .sendAbortAndStartARTIM)  // AA-1
        case .sta1Idle, .sta2TransportOpenAwaitingAssociateRQ, .sta13AwaitingTransportClose:
            return step(.abortRequested, .rejectLocalPrimitive(.abortRequested))
        }
    }

    /// Evt16: an A-ABORT PDU arrived.
    public mutating func abortReceived() -> Action {
        let action: Action
        switch state {
        case .sta2TransportOpenAwaitingAssociateRQ, .sta13AwaitingTransportClose:
            action = .stopARTIMAndCloseTransport  // AA-2
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta6AssociationEstablished, .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .issueAbortIndicationAndCloseTransport  // AA-3
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.abortReceived)
        }
        return step(.abortReceived, action)
    }

    /// Evt17: the local transport service indicated that the transport connection closed.
    public mutating func transportClosed() -> Action {
        let action: Action
        switch state {
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .stopARTIMBeforeAssociation  // AA-5
        case .sta3AwaitingLocalAssociateResponse, .sta4AwaitingTransportOpen,
            .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .issueProviderAbortIndication  // AA-4
        case .sta13AwaitingTransportClose:
            action = .stopARTIM  // AR-5
        case .sta1Idle:
            action = .ignore(.transportClosed)
        }
        return step(.transportClosed, action)
    }

    /// Evt18: the ARTIM timer expired.
    public mutating func artimExpired() -> Action {
        switch state {
        case .sta2TransportOpenAwaitingAssociateRQ, .sta13AwaitingTransportClose:
            return step(.artimExpired, .stopARTIMAndCloseTransport)  // AA-2
        case .sta1Idle, .sta3AwaitingLocalAssociateResponse, .sta4AwaitingTransportOpen,
            .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
            .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            return step(.artimExpired, .ignore(.artimExpired))
        }
    }

    /// Evt19: an unrecognized or invalid PDU arrived.
    ///
    /// - Parameter reason: What was wrong with it, for the A-ABORT PDU of AA-7 and AA-8 and the
    ///   A-P-ABORT indication of AA-8 (PS3.8 Table 9-26): `.unrecognizedPDU` for an unknown
    ///   PDU-type, `.invalidPDUParameterValue` for a malformed field, and so on.
    public mutating func invalidPDUReceived(reason: ProviderAbortReason) -> Action {
        let action: Action
        switch state {
        case .sta2TransportOpenAwaitingAssociateRQ:
            action = .sendAbortAndStartARTIM  // AA-1
        case .sta3AwaitingLocalAssociateResponse, .sta5AwaitingAssociateACOrRJ,
            .sta6AssociationEstablished, .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
            .sta9CollisionRequestorAwaitingLocalReleaseResponse,
            .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
            .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
            action = .sendAbortIssueProviderAbortIndicationAndStartARTIM(reason: reason)  // AA-8
        case .sta13AwaitingTransportClose:
            action = .sendAbort(reason: reason)  // AA-7
        case .sta1Idle, .sta4AwaitingTransportOpen:
            action = .ignore(.invalidPDUReceived)
        }
        return step(.invalidPDUReceived, action)
    }

    // MARK: - Next state

    /// Enters the next state of `action`, records the step and hands the action back.
    private mutating func step(_ event: Event, _ action: Action) -> Action {
        let from = state
        state = nextState(after: action)
        lastTransition = Transition(from: from, event: event, action: action, to: state)
        return action
    }

    /// The "Next state is …" of each action in PS3.8 Tables 9-6 to 9-9; the blank-cell values
    /// stay where they are.
    private func nextState(after action: Action) -> State {
        switch action {
        case .openTransport: .sta4AwaitingTransportOpen
        case .sendAssociateRQ: .sta5AwaitingAssociateACOrRJ
        case .issueAssociateConfirmationAccept: .sta6AssociationEstablished
        case .issueAssociateConfirmationRejectAndCloseTransport: .sta1Idle
        case .acceptTransportAndStartARTIM: .sta2TransportOpenAwaitingAssociateRQ
        case .stopARTIMAndHandleAssociateRQ(let acceptable):
            acceptable ? .sta3AwaitingLocalAssociateResponse : .sta13AwaitingTransportClose
        case .sendAssociateAC: .sta6AssociationEstablished
        case .sendAssociateRJAndStartARTIM: .sta13AwaitingTransportClose
        case .sendPDataTF: .sta6AssociationEstablished
        case .issuePDataIndication: .sta6AssociationEstablished
        case .sendReleaseRQ: .sta7AwaitingReleaseRP
        case .issueReleaseIndication: .sta8AwaitingLocalReleaseResponse
        case .issueReleaseConfirmationAndCloseTransport: .sta1Idle
        case .sendReleaseRPAndStartARTIM: .sta13AwaitingTransportClose
        case .stopARTIM: .sta1Idle
        case .issuePDataIndicationAwaitingReleaseRP: .sta7AwaitingReleaseRP
        case .sendPDataTFAwaitingReleaseResponse: .sta8AwaitingLocalReleaseResponse
        case .issueReleaseCollisionIndication:
            // AR-8. Sta7 is only reached through Sta6, so the role is known by now; a machine
            // made by `init(state:role:)` without one is treated as the requestor.
            role == .acceptor
                ? .sta10CollisionAcceptorAwaitingReleaseRP
                : .sta9CollisionRequestorAwaitingLocalReleaseResponse
        case .sendReleaseRP: .sta11CollisionRequestorAwaitingReleaseRP
        case .issueReleaseConfirmation: .sta12CollisionAcceptorAwaitingLocalReleaseResponse
        case .sendAbortAndStartARTIM: .sta13AwaitingTransportClose
        case .stopARTIMAndCloseTransport: .sta1Idle
        case .issueAbortIndicationAndCloseTransport: .sta1Idle
        case .issueProviderAbortIndication: .sta1Idle
        case .stopARTIMBeforeAssociation: .sta1Idle
        case .ignorePDU: .sta13AwaitingTransportClose
        case .sendAbort: .sta13AwaitingTransportClose
        case .sendAbortIssueProviderAbortIndicationAndStartARTIM: .sta13AwaitingTransportClose
        case .rejectLocalPrimitive, .ignore: state
        }
    }
}
