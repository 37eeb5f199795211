public import DICOMNetworkCore

/// A notification about an association, as pynetdicom's notification events (EVT_CONN_OPEN …
/// EVT_FSM_TRANSITION): observed, never answered. Subscribe through ``AssociationEvents``.
public struct AssociationEvent: Sendable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Sendable {
        /// A TCP connection opened (EVT_CONN_OPEN).
        case connectionOpened
        /// The TCP connection closed (EVT_CONN_CLOSE).
        case connectionClosed
        /// An A-ASSOCIATE-RQ was sent or received (EVT_REQUESTED).
        case requested(callingAETitle: String, calledAETitle: String)
        /// The association was accepted (EVT_ACCEPTED), then established (EVT_ESTABLISHED).
        case accepted
        /// The association was rejected (EVT_REJECTED).
        case rejected(PDU.AssociateRJ)
        /// The association was released (EVT_RELEASED).
        case released
        /// The association was aborted (EVT_ABORTED), by the peer or the provider.
        case aborted(String)
        /// A PDU was sent (EVT_PDU_SENT).
        case pduSent(PDU.PDUType)
        /// A PDU was received (EVT_PDU_RECV).
        case pduReceived(PDU.PDUType)
        /// A DIMSE message was sent (EVT_DIMSE_SENT), named by its command.
        case dimseSent(String)
        /// A DIMSE message was received (EVT_DIMSE_RECV).
        case dimseReceived(String)
        /// The upper-layer state machine moved (EVT_FSM_TRANSITION).
        case stateTransition(UpperLayerStateMachine.Transition)
    }

    /// What happened.
    public var kind: Kind
    /// The association's identifier in this process, for correlating events and log lines.
    public var associationID: Int
    /// The peer's address, as "host:port".
    public var peer: String

    public var description: String {
        let text: String
        switch kind {
        case .connectionOpened: text = "connection opened"
        case .connectionClosed: text = "connection closed"
        case .requested(let calling, let called): text = "association requested: \(calling) → \(called)"
        case .accepted: text = "association accepted"
        case .rejected(let rejection): text = "association rejected: \(rejection.result), \(rejection.source), \(rejection.reason)"
        case .released: text = "association released"
        case .aborted(let why): text = "association aborted: \(why)"
        case .pduSent(let type): text = "sent \(type)"
        case .pduReceived(let type): text = "received \(type)"
        case .dimseSent(let message): text = "sent \(message)"
        case .dimseReceived(let message): text = "received \(message)"
        case .stateTransition(let transition): text = "\(transition)"
        }
        return "[#\(associationID) \(peer)] " + text
    }
}
