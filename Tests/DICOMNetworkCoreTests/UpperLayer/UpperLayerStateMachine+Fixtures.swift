@testable import DICOMNetworkCore

/// A machine already in `state`. Without a `role`, states that belong to one end get that end's
/// role (Sta2, 3, 10, 12: acceptor; Sta4, 5, 9, 11: requestor), Sta1 gets none, and the states
/// both ends share (Sta6, 7, 8, 13) get the requestor's.
func makeMachine(
    in state: UpperLayerStateMachine.State,
    role: UpperLayerStateMachine.Role? = nil
) -> UpperLayerStateMachine {
    let defaultRole: UpperLayerStateMachine.Role?
    switch state {
    case .sta1Idle:
        defaultRole = nil
    case .sta2TransportOpenAwaitingAssociateRQ, .sta3AwaitingLocalAssociateResponse,
        .sta10CollisionAcceptorAwaitingReleaseRP, .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
        defaultRole = .acceptor
    case .sta4AwaitingTransportOpen, .sta5AwaitingAssociateACOrRJ,
        .sta9CollisionRequestorAwaitingLocalReleaseResponse, .sta11CollisionRequestorAwaitingReleaseRP,
        .sta6AssociationEstablished, .sta7AwaitingReleaseRP, .sta8AwaitingLocalReleaseResponse,
        .sta13AwaitingTransportClose:
        defaultRole = .requestor
    }
    return UpperLayerStateMachine(state: state, role: role ?? defaultRole)
}

extension UpperLayerStateMachine {
    /// One event with the input it needs, so that a test can hold an event as data and apply it.
    enum Stimulus: Hashable, Sendable, CustomStringConvertible {
        case associateRequested
        case transportConnectConfirmed
        case associateACReceived
        case associateRJReceived
        case transportConnectionIndicated
        case associateRQReceived(acceptable: Bool)
        case associateResponseAccepted
        case associateResponseRejected
        case pDataRequested
        case pDataTFReceived
        case releaseRequested
        case releaseRQReceived
        case releaseRPReceived
        case releaseResponded
        case abortRequested
        case abortReceived
        case transportClosed
        case artimExpired
        case invalidPDUReceived(reason: ProviderAbortReason)

        /// One stimulus per event, in Evt1…Evt19 order; Evt6 brings an acceptable request and
        /// Evt19 an invalid parameter value.
        static let oneOfEachEvent: [Stimulus] = [
            .associateRequested, .transportConnectConfirmed, .associateACReceived,
            .associateRJReceived, .transportConnectionIndicated, .associateRQReceived(acceptable: true),
            .associateResponseAccepted, .associateResponseRejected, .pDataRequested, .pDataTFReceived,
            .releaseRequested, .releaseRQReceived, .releaseRPReceived, .releaseResponded,
            .abortRequested, .abortReceived, .transportClosed, .artimExpired,
            .invalidPDUReceived(reason: .invalidPDUParameterValue),
        ]

        /// The event this stimulus feeds in.
        var event: Event {
            switch self {
            case .associateRequested: .associateRequested
            case .transportConnectConfirmed: .transportConnectConfirmed
            case .associateACReceived: .associateACReceived
            case .associateRJReceived: .associateRJReceived
            case .transportConnectionIndicated: .transportConnectionIndicated
            case .associateRQReceived: .associateRQReceived
            case .associateResponseAccepted: .associateResponseAccepted
            case .associateResponseRejected: .associateResponseRejected
            case .pDataRequested: .pDataRequested
            case .pDataTFReceived: .pDataTFReceived
            case .releaseRequested: .releaseRequested
            case .releaseRQReceived: .releaseRQReceived
            case .releaseRPReceived: .releaseRPReceived
            case .releaseResponded: .releaseResponded
            case .abortRequested: .abortRequested
            case .abortReceived: .abortReceived
            case .transportClosed: .transportClosed
            case .artimExpired: .artimExpired
            case .invalidPDUReceived: .invalidPDUReceived
            }
        }

        var description: String {
            switch self {
            case .associateRQReceived(let acceptable):
                "\(event.standardName) (acceptable: \(acceptable))"
            case .invalidPDUReceived(let reason):
                "\(event.standardName) (\(reason))"
            case .associateRequested, .transportConnectConfirmed, .associateACReceived,
                .associateRJReceived, .transportConnectionIndicated, .associateResponseAccepted,
                .associateResponseRejected, .pDataRequested, .pDataTFReceived, .releaseRequested,
                .releaseRQReceived, .releaseRPReceived, .releaseResponded, .abortRequested,
                .abortReceived, .transportClosed, .artimExpired:
                event.standardName
            }
        }
    }

    /// Feeds `stimulus` in through the method named after its event.
    mutating func apply(_ stimulus: Stimulus) -> Action {
        switch stimulus {
        case .associateRequested: associateRequested()
        case .transportConnectConfirmed: transportConnectConfirmed()
        case .associateACReceived: associateACReceived()
        case .associateRJReceived: associateRJReceived()
        case .transportConnectionIndicated: transportConnectionIndicated()
        case .associateRQReceived(let acceptable): associateRQReceived(acceptable: acceptable)
        case .associateResponseAccepted: associateResponseAccepted()
        case .associateResponseRejected: associateResponseRejected()
        case .pDataRequested: pDataRequested()
        case .pDataTFReceived: pDataTFReceived()
        case .releaseRequested: releaseRequested()
        case .releaseRQReceived: releaseRQReceived()
        case .releaseRPReceived: releaseRPReceived()
        case .releaseResponded: releaseResponded()
        case .abortRequested: abortRequested()
        case .abortReceived: abortReceived()
        case .transportClosed: transportClosed()
        case .artimExpired: artimExpired()
        case .invalidPDUReceived(let reason): invalidPDUReceived(reason: reason)
        }
    }
}
