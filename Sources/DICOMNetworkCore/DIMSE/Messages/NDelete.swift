public import DICOMCore

// MARK: - N-DELETE-RQ

/// An N-DELETE-RQ message: asks the peer to delete a managed SOP Instance (PS3.7 §10.1.6,
/// §10.3.6.1).
/// No data set follows.
public struct NDeleteRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001).
    public var requestedSOPInstanceUID: UID

    /// Creates a request.
    public init(
        messageID: UInt16,
        requestedSOPClassUID: UID,
        requestedSOPInstanceUID: UID
    ) {
        self.messageID = messageID
        self.requestedSOPClassUID = requestedSOPClassUID
        self.requestedSOPInstanceUID = requestedSOPInstanceUID
    }

    /// Decodes an N-DELETE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID or Command Data Set Type; ``DIMSEError/Code/invalidField`` when a data
    ///   set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nDeleteRequest)
        try fields.requireNoDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.requestedSOPClassUID = try fields.requiredUID(.requestedSOPClassUID)
        self.requestedSOPInstanceUID = try fields.requiredUID(.requestedSOPInstanceUID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nDeleteRequest, hasDataSet: false)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(requestedSOPClassUID, for: .requestedSOPClassUID)
        commandSet.setCommandUID(requestedSOPInstanceUID, for: .requestedSOPInstanceUID)
        return commandSet
    }
}

// MARK: - N-DELETE-RSP

/// An N-DELETE-RSP message (PS3.7 §10.1.6, §10.3.6.2). No data set follows.
public struct NDeleteResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Error Comment (0000,0902).
    public var errorComment: String?

    /// Error ID (0000,0903).
    public var errorID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        affectedSOPInstanceUID: UID?,
        status: DIMSEStatus,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.status = status
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes an N-DELETE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nDeleteResponse)
        try fields.requireNoDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nDeleteResponse, hasDataSet: false)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet
    }
}
