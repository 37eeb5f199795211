extension UpperLayerStateMachine {
    /// The nineteen events of the DICOM Upper Layer protocol machine (PS3.8 §9.2.3, the rows of
    /// Table 9-10). The raw value is the event's number in the standard (`Evt1` is 1).
    ///
    /// Each case is named like the `UpperLayerStateMachine` method that feeds it in; events carry
    /// no payload here (AE-6's decision and AA-7/AA-8's reason show in the resulting ``Action``).
    public enum Event: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Evt1: A-ASSOCIATE request primitive from the local user.
        case associateRequested = 1
        /// Evt2: Transport connect confirmation from the local transport service.
        case transportConnectConfirmed = 2
        /// Evt3: A-ASSOCIATE-AC PDU received on the transport connection.
        case associateACReceived = 3
        /// Evt4: A-ASSOCIATE-RJ PDU received on the transport connection.
        case associateRJReceived = 4
        /// Evt5: Transport connection indication from the local transport service.
        case transportConnectionIndicated = 5
        /// Evt6: A-ASSOCIATE-RQ PDU received on the transport connection.
        case associateRQReceived = 6
        /// Evt7: A-ASSOCIATE response primitive (accept) from the local user.
        case associateResponseAccepted = 7
        /// Evt8: A-ASSOCIATE response primitive (reject) from the local user.
        case associateResponseRejected = 8
        /// Evt9: P-DATA request primitive from the local user.
        case pDataRequested = 9
        /// Evt10: P-DATA-TF PDU received on the transport connection.
        case pDataTFReceived = 10
        /// Evt11: A-RELEASE request primitive from the local user.
        case releaseRequested = 11
        /// Evt12: A-RELEASE-RQ PDU received on the transport connection.
        case releaseRQReceived = 12
        /// Evt13: A-RELEASE-RP PDU received on the transport connection.
        case releaseRPReceived = 13
        /// Evt14: A-RELEASE response primitive from the local user.
        case releaseResponded = 14
        /// Evt15: A-ABORT request primitive from the local user.
        case abortRequested = 15
        /// Evt16: A-ABORT PDU received on the transport connection.
        case abortReceived = 16
        /// Evt17: Transport connection closed indication from the local transport service.
        case transportClosed = 17
        /// Evt18: ARTIM timer expired (association request/reject/release timer).
        case artimExpired = 18
        /// Evt19: Unrecognized or invalid PDU received.
        case invalidPDUReceived = 19

        /// The standard's name of the event, "Evt1" to "Evt19", as EVT_FSM_TRANSITION reports it.
        public var standardName: String { "Evt\(rawValue)" }

        public var description: String { standardName }

        /// Whether the event is a service primitive issued by the local user (Evt1, 7, 8, 9, 11,
        /// 14 and 15), as opposed to something the transport, the peer or the ARTIM timer did.
        ///
        /// Where Table 9-10 leaves such an event's cell blank the machine answers
        /// ``Action/rejectLocalPrimitive(_:)``; other events in blank cells are
        /// ``Action/ignore(_:)``d.
        public var isLocalPrimitive: Bool {
            switch self {
            case .associateRequested, .associateResponseAccepted, .associateResponseRejected,
                .pDataRequested, .releaseRequested, .releaseResponded, .abortRequested:
                true
            case .transportConnectConfirmed, .associateACReceived, .associateRJReceived,
                .transportConnectionIndicated, .associateRQReceived, .pDataTFReceived,
                .releaseRQReceived, .releaseRPReceived, .abortReceived, .transportClosed,
                .artimExpired, .invalidPDUReceived:
                false
            }
        }
    }
}
