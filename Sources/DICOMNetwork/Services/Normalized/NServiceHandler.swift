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

    /// Creates a result.
    public init(_ status: DIMSEStatus, dataSet: DataSet? = nil, affectedSOPInstanceUID: UID? = nil) {
        self.status = status
        self.dataSet = dataSet
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
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
