public import DICOMCore
public import DICOMNetworkCore

/// An N-service request (N-GET, N-SET, N-ACTION, N-CREATE, N-DELETE, N-EVENT-REPORT), as the
/// acceptor's handler sees it: pynetdicom's EVT_N_GET … EVT_N_EVENT_REPORT in one place, for
/// Storage Commitment, MPPS, Instance Availability Notification or any other normalized service.
public struct NServiceRequest: Sendable {
    /// The request: `.nGetRequest(…)`, `.nActionRequest(…)`…
    public var message: DIMSEMessage
    /// The request's data set, decoded: N-SET's modification list, N-ACTION's information,
    /// N-CREATE's attribute list, N-EVENT-REPORT's information; nil when none came.
    public var dataSet: DataSet?
    /// The association it arrived on.
    public var association: AssociationInfo
}

/// A handler's answer to an N-service request.
public struct NServiceResult: Sendable {
    /// The response's status.
    public var status: DIMSEStatus
    /// The reply data set: N-GET's attribute list, N-SET's or N-CREATE's attributes, N-ACTION's
    /// or N-EVENT-REPORT's reply; nil for none.
    public var dataSet: DataSet?
    /// For an N-CREATE that left the instance's UID to the performer: the UID it got.
    public var affectedSOPInstanceUID: UID?
    /// The response's Error Comment (0000,0902): words on a failure, at most 64 characters.
    public var errorComment: String?
    /// Work to do once the response has been sent, with the association's handle: the
    /// N-EVENT-REPORT that follows a Storage Commitment N-ACTION (PS3.4 J.3.3), say.
    ///
    /// It runs in a task of its own, so it takes no place in the operations window and the
    /// peer's next requests go on being answered meanwhile; it is not cancelled when the
    /// association ends (its requests then throw ``AssociationError/Code/closed``, and it may
    /// fall back to another association). It does not run if the response could not be sent.
    public var afterResponse: (@Sendable (Association) async -> Void)?

    /// Creates a result.
    public init(
        _ status: DIMSEStatus,
        dataSet: DataSet? = nil,
        affectedSOPInstanceUID: UID? = nil,
        errorComment: String? = nil,
        afterResponse: (@Sendable (Association) async -> Void)? = nil
    ) {
        self.status = status
        self.dataSet = dataSet
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.errorComment = errorComment
        self.afterResponse = afterResponse
    }
}

/// An N-service response, as the requestor receives it.
public struct NServiceResponse: Sendable {
    /// The response's status.
    public var status: DIMSEStatus
    /// The response's command set, for its other fields (Affected SOP Instance UID, Error
    /// Comment, Attribute Identifier List…).
    public var commandSet: DataSet
    /// The reply data set, decoded; nil when none came.
    public var dataSet: DataSet?
}
