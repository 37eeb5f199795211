public import DICOMCore

// MARK: - N-ACTION-RQ

/// An N-ACTION-RQ message: asks the peer to perform an action on a managed SOP Instance (a
/// Storage Commitment request, a print) (PS3.7 §10.1.4, §10.3.4.1, Table 10.3-7). An Action
/// Information data set may follow ("U").
public struct NActionRequest: NRequest {
    /// N-ACTION-RQ, 0130H.
    public static let commandField = CommandField.nActionRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001): the instance to act on.
    public var requestedSOPInstanceUID: UID

    /// Action Type ID (0000,1008): which action, as the SOP Class numbers them.
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

    /// The Requested SOP Class UID.
    public var sopClassUID: UID { requestedSOPClassUID }

    /// The Requested SOP Instance UID.
    public var sopInstanceUID: UID? { requestedSOPInstanceUID }

    /// Decodes an N-ACTION-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID, Action Type ID or Command Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        self.hasDataSet = try fields.hasDataSet()
        (self.messageID, self.requestedSOPClassUID, self.requestedSOPInstanceUID) = try fields.requestedInstance()
        self.actionTypeID = try fields.requiredUInt16(.actionTypeID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder.requestedInstance(
            Self.commandField, hasDataSet: hasDataSet, messageID: messageID,
            sopClassUID: requestedSOPClassUID, sopInstanceUID: requestedSOPInstanceUID
        )
        commandSet.setCommandUInt16(actionTypeID, for: .actionTypeID)
        return commandSet.dataSet
    }
}

// MARK: - N-ACTION-RSP

/// An N-ACTION-RSP message (PS3.7 §10.1.4, §10.3.4.2, Table 10.3-8). An Action Reply data set may
/// follow a success.
public typealias NActionResponse = NResponse<NActionRequest>

extension NResponse where Request == NActionRequest {
    /// Action Type ID (0000,1008): equal to the request's; required when an Action Reply follows
    /// (PS3.7 §10.1.4.1.5, "C(=)"), and allowed with 0114H, 0115H and 0123H (PS3.7 Annex C).
    public var actionTypeID: UInt16? {
        get { typeID }
        set { typeID = newValue }
    }

    /// Creates a response that names its Action Type ID.
    public init(
        messageIDBeingRespondedTo: UInt16, affectedSOPClassUID: UID?, affectedSOPInstanceUID: UID?, actionTypeID: UInt16?,
        status: DIMSEStatus, hasDataSet: Bool = false, errorComment: String? = nil, errorID: UInt16? = nil
    ) {
        self.init(
            messageIDBeingRespondedTo, affectedSOPClassUID, affectedSOPInstanceUID, typeID: actionTypeID,
            status, hasDataSet, errorComment, errorID
        )
    }
}
