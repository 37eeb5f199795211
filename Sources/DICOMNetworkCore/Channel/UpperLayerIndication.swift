/// What the upper layer tells its service user (PS3.8 §7): the indications and confirmations the
/// state machine's actions issue, with the PDU that carried them.
public enum UpperLayerIndication: Sendable {
    /// A-ASSOCIATE indication: a peer asks for an association (AE-6).
    case associateRequested(PDU.AssociateRQ)
    /// A-ASSOCIATE confirmation, accepted (AE-3).
    case associateAccepted(PDU.AssociateAC)
    /// A-ASSOCIATE confirmation, rejected (AE-4); the transport closes after it.
    case associateRejected(PDU.AssociateRJ)
    /// P-DATA indication (DT-2, AR-6).
    case pData(PDU.PDataTF)
    /// A-RELEASE indication: the peer asks to release (AR-2). Answer with
    /// ``UpperLayerRequest/releaseResponse``.
    case releaseRequested
    /// A-RELEASE indication during a release collision (AR-8): both sides asked at once.
    case releaseCollision
    /// A-RELEASE confirmation: the peer answered our release (AR-3, AR-10).
    case released
    /// A-ABORT indication: the peer aborted (AA-3).
    case aborted(PDU.Abort)
    /// A-P-ABORT indication: the provider aborted — the transport closed under an association
    /// (AA-4), or the peer sent an invalid PDU (AA-8).
    case providerAborted(UpperLayerStateMachine.ProviderAbortReason, detail: String)
}

/// What the service user asks of the upper layer (PS3.8 §7): the local primitives, Evt7–Evt15.
public enum UpperLayerRequest: Sendable {
    /// A-ASSOCIATE response, accepted (Evt7).
    case accept(PDU.AssociateAC)
    /// A-ASSOCIATE response, rejected (Evt8).
    case reject(PDU.AssociateRJ)
    /// P-DATA request (Evt9).
    case pData(PDU.PDataTF)
    /// P-DATA request (Evt9) whose fragment is sent from a file (sendfile(2)); only on a plain
    /// TCP channel, see ``PDU/FileRegionPDataTF``.
    case pDataFromFile(PDU.FileRegionPDataTF)
    /// P-DATA requests (Evt9 each) written together, such as a burst of C-FIND responses: one
    /// trip through the pipeline and, for small PDUs, one buffer for them all.
    case pDataBatch([PDU.PDataTF])
    /// A-RELEASE request (Evt11).
    case release
    /// A-RELEASE response (Evt14).
    case releaseResponse
    /// A-ABORT request (Evt15).
    case abort
}
