public import DICOMCore

// MARK: - N-CREATE-RQ

/// An N-CREATE-RQ message: asks the peer to create a managed SOP Instance (a Modality Performed
/// Procedure Step, a film session) (PS3.7 §10.1.5, §10.3.5.1).
/// An Attribute List data set may follow.
public struct NCreateRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the SOP Class of the instance to create.
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000): the new instance's UID, or nil to let the peer assign
    /// one.
    public var affectedSOPInstanceUID: UID?

    /// Whether the Attribute List data set follows.
    public var hasDataSet: Bool

    /// Creates a request.
    public init(
        messageID: UInt16,
        affectedSOPClassUID: UID,
        affectedSOPInstanceUID: UID? = nil,
        hasDataSet: Bool = true
    ) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.hasDataSet = hasDataSet
    }

    /// Decodes an N-CREATE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nCreateRequest)
        self.hasDataSet = try fields.hasDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nCreateRequest, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        return commandSet
    }
}

// MARK: - N-CREATE-RSP

/// An N-CREATE-RSP message (PS3.7 §10.1.5, §10.3.5.2). An Attribute List data set may follow.
public struct NCreateResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, the UID of the created instance when the
    /// peer assigned it.
    public var affectedSOPInstanceUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether the Attribute List data set follows.
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
        status: DIMSEStatus,
        hasDataSet: Bool = false,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.status = status
        self.hasDataSet = hasDataSet
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes an N-CREATE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nCreateResponse)
        self.hasDataSet = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nCreateResponse, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet
    }
}
