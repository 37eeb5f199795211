/// The A-P-ABORT service primitive (PS3.8 §7.4): the upper layer service-provider ended the
/// association, because the peer's provider sent an A-ABORT, the transport failed, or a PDU broke
/// the protocol.
public struct APAbort: Hashable, Sendable, CustomStringConvertible {
    /// The Provider Reason (PS3.8 §7.4.1, Table 9-26).
    public var reason: UpperLayerStateMachine.ProviderAbortReason

    /// Creates the primitive.
    public init(reason: UpperLayerStateMachine.ProviderAbortReason) {
        self.reason = reason
    }

    /// The A-P-ABORT indication of a received A-ABORT PDU, or `nil` when the PDU comes from the
    /// service-user and so is an ``AAbort`` indication (PS3.8 Table 9-9, AA-3). A reserved reason
    /// value reads as `reasonNotSpecified`.
    public init?(_ pdu: PDU.Abort) {
        guard pdu.source != .serviceUser else { return nil }
        self.init(reason: UpperLayerStateMachine.ProviderAbortReason(rawValue: pdu.reason.rawValue) ?? .reasonNotSpecified)
    }

    /// "provider abort: unexpected-PDU".
    public var description: String {
        "provider abort: \(reason)"
    }
}
