public import DICOMCore

// MARK: - N-EVENT-REPORT-RQ

/// An N-EVENT-REPORT-RQ message: reports an event about a managed SOP Instance to the peer (Storage
/// Commitment results, MPPS and UPS state changes) (PS3.7 §10.1.1, §10.3.1.1).
/// An Event Information data set may follow.
public struct NEventReportRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002).
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000).
    public var affectedSOPInstanceUID: UID

    /// Event Type ID (0000,1002): which event, defined by the SOP Class.
    public var eventTypeID: UInt16

    /// Whether the Event Information data set follows.
    public var hasDataSet: Bool

    /// Creates a request.
    public init(
        messageID: UInt16,
        affectedSOPClassUID: UID,
        affectedSOPInstanceUID: UID,
        eventTypeID: UInt16,
        hasDataSet: Bool = true
    ) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.eventTypeID = eventTypeID
        self.hasDataSet = hasDataSet
    }

    /// Decodes an N-EVENT-REPORT-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Affected SOP
    ///   Instance UID, Event Type ID or Command Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nEventReportRequest)
        self.hasDataSet = try fields.hasDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = try fields.requiredUID(.affectedSOPInstanceUID)
        self.eventTypeID = try fields.requiredUInt16(.eventTypeID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nEventReportRequest, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandUInt16(eventTypeID, for: .eventTypeID)
        return commandSet
    }
}

// MARK: - N-EVENT-REPORT-RSP

/// An N-EVENT-REPORT-RSP message (PS3.7 §10.1.1, §10.3.1.2). An Event Reply data set may follow.
public struct NEventReportResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Event Type ID (0000,1002): equal to the request's when present.
    public var eventTypeID: UInt16?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether the Event Reply data set follows.
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
        eventTypeID: UInt16? = nil,
        status: DIMSEStatus,
        hasDataSet: Bool = false,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.eventTypeID = eventTypeID
        self.status = status
        self.hasDataSet = hasDataSet
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes an N-EVENT-REPORT-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nEventReportResponse)
        self.hasDataSet = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.eventTypeID = try fields.uint16(.eventTypeID)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nEventReportResponse, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandUInt16(eventTypeID, for: .eventTypeID)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet
    }
}
