public import DICOMCore

// MARK: - N-GET-RQ

/// An N-GET-RQ message: asks the peer for attribute values of a managed SOP Instance (PS3.7
/// §10.1.2, §10.3.2.1).
/// No data set follows.
public struct NGetRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001).
    public var requestedSOPInstanceUID: UID

    /// Attribute Identifier List (0000,1005): the attributes wanted; absent means all.
    public var attributeIdentifierList: [Tag]?

    /// Creates a request.
    public init(
        messageID: UInt16,
        requestedSOPClassUID: UID,
        requestedSOPInstanceUID: UID,
        attributeIdentifierList: [Tag]? = nil
    ) {
        self.messageID = messageID
        self.requestedSOPClassUID = requestedSOPClassUID
        self.requestedSOPInstanceUID = requestedSOPInstanceUID
        self.attributeIdentifierList = attributeIdentifierList
    }

    /// Decodes an N-GET-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID or Command Data Set Type; ``DIMSEError/Code/invalidField`` when a data
    ///   set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nGetRequest)
        try fields.requireNoDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.requestedSOPClassUID = try fields.requiredUID(.requestedSOPClassUID)
        self.requestedSOPInstanceUID = try fields.requiredUID(.requestedSOPInstanceUID)
        self.attributeIdentifierList = try fields.tags(.attributeIdentifierList)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nGetRequest, hasDataSet: false)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(requestedSOPClassUID, for: .requestedSOPClassUID)
        commandSet.setCommandUID(requestedSOPInstanceUID, for: .requestedSOPInstanceUID)
        commandSet.setCommandTags(attributeIdentifierList, for: .attributeIdentifierList)
        return commandSet
    }
}

// MARK: - N-GET-RSP

/// An N-GET-RSP message (PS3.7 §10.1.2, §10.3.2.2). An Attribute List data set may follow.
public struct NGetResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Attribute Identifier List (0000,1005): with an attribute list error, the attributes at fault
    /// (PS3.7 Annex C).
    public var attributeIdentifierList: [Tag]?

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
        attributeIdentifierList: [Tag]? = nil,
        status: DIMSEStatus,
        hasDataSet: Bool = false,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.attributeIdentifierList = attributeIdentifierList
        self.status = status
        self.hasDataSet = hasDataSet
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes an N-GET-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .nGetResponse)
        self.hasDataSet = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.attributeIdentifierList = try fields.tags(.attributeIdentifierList)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.nGetResponse, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandTags(attributeIdentifierList, for: .attributeIdentifierList)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet
    }
}
