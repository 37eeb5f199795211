public import DICOMCore

// MARK: - N-EVENT-REPORT-RQ

/// An N-EVENT-REPORT-RQ message: reports an event about a managed SOP Instance (Storage Commitment
/// results, MPPS and UPS state changes) (PS3.7 §10.1.1, §10.3.1.1, Table 10.3-1). An Event
/// Information data set may follow ("U").
public struct NEventReportRequest: NRequest {
    /// N-EVENT-REPORT-RQ, 0100H.
    public static let commandField = CommandField.nEventReportRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002).
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000): the instance the event concerns.
    public var affectedSOPInstanceUID: UID

    /// Event Type ID (0000,1002): which event, as the SOP Class numbers them.
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

    /// The Affected SOP Class UID.
    public var sopClassUID: UID { affectedSOPClassUID }

    /// The Affected SOP Instance UID.
    public var sopInstanceUID: UID? { affectedSOPInstanceUID }

    /// Decodes an N-EVENT-REPORT-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Affected SOP
    ///   Instance UID, Event Type ID or Command Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        self.hasDataSet = try fields.hasDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = try fields.requiredUID(.affectedSOPInstanceUID)
        self.eventTypeID = try fields.requiredUInt16(.eventTypeID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandUInt16(eventTypeID, for: .eventTypeID)
        return commandSet.dataSet
    }
}

// MARK: - N-EVENT-REPORT-RSP

/// An N-EVENT-REPORT-RSP message (PS3.7 §10.1.1, §10.3.1.2, Table 10.3-2). An Event Reply data
/// set may follow a success.
public typealias NEventReportResponse = NResponse<NEventReportRequest>

extension NResponse where Request == NEventReportRequest {
    /// Event Type ID (0000,1002): equal to the request's; required when an Event Reply follows
    /// (PS3.7 §10.1.1.1.5, "C(=)"), and allowed with 0113H, 0114H and 0115H (PS3.7 Annex C).
    public var eventTypeID: UInt16? {
        get { typeID }
        set { typeID = newValue }
    }

    /// Creates a response that names its Event Type ID.
    public init(
        messageIDBeingRespondedTo: UInt16, affectedSOPClassUID: UID?, affectedSOPInstanceUID: UID?, eventTypeID: UInt16?,
        status: DIMSEStatus, hasDataSet: Bool = false, errorComment: String? = nil, errorID: UInt16? = nil
    ) {
        self.init(
            messageIDBeingRespondedTo, affectedSOPClassUID, affectedSOPInstanceUID, typeID: eventTypeID,
            status, hasDataSet, errorComment, errorID
        )
    }
}
