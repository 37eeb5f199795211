public import DICOMCore

// MARK: - N-ACTION-RQ

/// An N-ACTION-RQ message: asks the peer to perform an action on a managed SOP Instance (a Storage
/// Commitment request, a print) (PS3.7 §10.1.4, §10.3.4.1).
/// An Action Information data set may follow.
public struct NActionRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001).
    public var requestedSOPInstanceUID: UID

    /// Action Type ID (0000,1008): which action, defined by the SOP Class.
    public var actionTypeID: UInt16

    /// Whether the Action Information data set follows.
    public var hasDataSet: Bool

    /// Creates a request.
    public init(
        messageID: UInt16,
        requestedSOPClassUID: UID,
        requestedSOPInstanceUID: UID,
        actionTypeID: UInt16,
        hasDataSet: Bool = true
    ) {
        self.messageID = messageID
        self.requestedSOPClassUID = requestedSOPClassUID
        self.requestedSOPInstanceUID = requestedSOPInstanceUID
        self.actionTypeID = actionTypeID
        self.hasDataSet = hasDataSet
    }

    /// Decodes an N-ACTION-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID, Action Type ID or Command Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nActionRequest)
        self.hasDataSet = try fields.hasDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.requestedSOPClassUID = try fields.requiredUID(.requestedSOPClassUID)
        self.requestedSOPInstanceUID = try fields.requiredUID(.requestedSOPInstanceUID)
        self.actionTypeID = try fields.requiredUInt16(.actionTypeID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nActionRequest, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(requestedSOPClassUID, for: .requestedSOPClassUID)
        commandSet.setCommandUID(requestedSOPInstanceUID, for: .requestedSOPInstanceUID)
        commandSet.setCommandUInt16(actionTypeID, for: .actionTypeID)
        return commandSet
    }
}

// MARK: - N-ACTION-RSP

/// An N-ACTION-RSP message (PS3.7 §10.1.4, §10.3.4.2). An Action Reply data set may follow.
public struct NActionResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Action Type ID (0000,1008): equal to the request's when present.
    public var actionTypeID: UInt16?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether the Action Reply data set follows.
    public var hasDataSet: Bool

    /// Error Comment (0000,0902).
    public var errorComment: String?

    /// Error ID (0000,0903).
    public var errorID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        affectedSOPInstanceUID: UID?,
        actionTypeID: UInt16? = nil,
        status: DIMSEStatus,
        hasDataSet: Bool = false,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.actionTypeID = actionTypeID
        self.status = status
        self.hasDataSet = hasDataSet
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes an N-ACTION-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nActionResponse)
        self.hasDataSet = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.actionTypeID = try fields.uint16(.actionTypeID)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nActionResponse, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandUInt16(actionTypeID, for: .actionTypeID)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet
    }
}
