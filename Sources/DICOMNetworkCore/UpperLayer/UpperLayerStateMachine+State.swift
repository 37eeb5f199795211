extension UpperLayerStateMachine {
    /// The thirteen states of the DICOM Upper Layer protocol machine (PS3.8 §9.2.1, Tables 9-1
    /// to 9-5). The raw value is the state's number in the standard (`Sta1` is 1).
    public enum State: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Sta1: Idle. No transport connection and no association (PS3.8 Table 9-1).
        case sta1Idle = 1
        /// Sta2: Transport connection open, awaiting the peer's A-ASSOCIATE-RQ PDU, ARTIM running
        /// (PS3.8 Table 9-2). Acceptor side only.
        case sta2TransportOpenAwaitingAssociateRQ = 2
        /// Sta3: Awaiting the local user's A-ASSOCIATE response primitive (PS3.8 Table 9-2).
        /// Acceptor side only.
        case sta3AwaitingLocalAssociateResponse = 3
        /// Sta4: Awaiting the transport connection opening to complete, from the local transport
        /// service (PS3.8 Table 9-2). Requestor side only.
        case sta4AwaitingTransportOpen = 4
        /// Sta5: Awaiting the peer's A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU (PS3.8 Table 9-2).
        /// Requestor side only.
        case sta5AwaitingAssociateACOrRJ = 5
        /// Sta6: Association established and ready for data transfer (PS3.8 Table 9-3).
        case sta6AssociationEstablished = 6
        /// Sta7: Awaiting the peer's A-RELEASE-RP PDU, after sending A-RELEASE-RQ
        /// (PS3.8 Table 9-4).
        case sta7AwaitingReleaseRP = 7
        /// Sta8: Awaiting the local user's A-RELEASE response primitive, after the peer's
        /// A-RELEASE-RQ (PS3.8 Table 9-4).
        case sta8AwaitingLocalReleaseResponse = 8
        /// Sta9: Release collision, requestor side; awaiting the local user's A-RELEASE response
        /// (PS3.8 Table 9-4).
        case sta9CollisionRequestorAwaitingLocalReleaseResponse = 9
        /// Sta10: Release collision, acceptor side; awaiting the peer's A-RELEASE-RP PDU
        /// (PS3.8 Table 9-4).
        case sta10CollisionAcceptorAwaitingReleaseRP = 10
        /// Sta11: Release collision, requestor side; awaiting the peer's A-RELEASE-RP PDU
        /// (PS3.8 Table 9-4).
        case sta11CollisionRequestorAwaitingReleaseRP = 11
        /// Sta12: Release collision, acceptor side; awaiting the local user's A-RELEASE response
        /// primitive (PS3.8 Table 9-4).
        case sta12CollisionAcceptorAwaitingLocalReleaseResponse = 12
        /// Sta13: Awaiting the transport connection close indication; the association no longer
        /// exists, ARTIM is running (PS3.8 Table 9-5).
        case sta13AwaitingTransportClose = 13

        /// The standard's name of the state, "Sta1" to "Sta13", as EVT_FSM_TRANSITION reports it.
        public var standardName: String { "Sta\(rawValue)" }

        public var description: String { standardName }

        /// Whether PS3.8 has ARTIM running in this state: it runs from AE-5 until AE-6 in Sta2,
        /// and from every action that enters Sta13 until the transport closes (PS3.8 §9.1.5).
        public var hasARTIMRunning: Bool {
            switch self {
            case .sta2TransportOpenAwaitingAssociateRQ, .sta13AwaitingTransportClose:
                true
            case .sta1Idle, .sta3AwaitingLocalAssociateResponse, .sta4AwaitingTransportOpen,
                .sta5AwaitingAssociateACOrRJ, .sta6AssociationEstablished, .sta7AwaitingReleaseRP,
                .sta8AwaitingLocalReleaseResponse, .sta9CollisionRequestorAwaitingLocalReleaseResponse,
                .sta10CollisionAcceptorAwaitingReleaseRP, .sta11CollisionRequestorAwaitingReleaseRP,
                .sta12CollisionAcceptorAwaitingLocalReleaseResponse:
                false
            }
        }
    }
}
