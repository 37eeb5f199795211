public import DICOMCore

// MARK: - C-STORE-RQ

/// A C-STORE-RQ message: the command that precedes a SOP Instance to be stored (PS3.7 §9.1.1,
/// §9.3.1.1, Table 9.3-1). A data set always follows.
public struct CStoreRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the SOP Class of the instance.
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000): the SOP Instance UID of the instance.
    public var affectedSOPInstanceUID: UID

    /// Priority (0000,0700).
    public var priority: DIMSEPriority

    /// Move Originator Application Entity Title (0000,1030): the AE that invoked the C-MOVE this
    /// store is a sub-operation of (PS3.7 §9.1.1).
    public var moveOriginatorApplicationEntityTitle: String?

    /// Move Originator Message ID (0000,1031): the Message ID of that C-MOVE-RQ.
    public var moveOriginatorMessageID: UInt16?

    /// Creates a request.
    public init(
        messageID: UInt16,
        affectedSOPClassUID: UID,
        affectedSOPInstanceUID: UID,
        priority: DIMSEPriority = .medium,
        moveOriginatorApplicationEntityTitle: String? = nil,
        moveOriginatorMessageID: UInt16? = nil
    ) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.priority = priority
        self.moveOriginatorApplicationEntityTitle = moveOriginatorApplicationEntityTitle
        self.moveOriginatorMessageID = moveOriginatorMessageID
    }

    /// Decodes a C-STORE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Affected SOP
    ///   Instance UID, Priority or Command Data Set Type; ``DIMSEError/Code/invalidField`` when no
    ///   data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cStoreRequest)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = try fields.requiredUID(.affectedSOPInstanceUID)
        self.priority = try fields.priority()
        self.moveOriginatorApplicationEntityTitle = fields.text(.moveOriginatorApplicationEntityTitle)
        self.moveOriginatorMessageID = try fields.uint16(.moveOriginatorMessageID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cStoreRequest, hasDataSet: true)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUInt16(priority.rawValue, for: .priority)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandText(moveOriginatorApplicationEntityTitle, for: .moveOriginatorApplicationEntityTitle, vr: .AE)
        commandSet.setCommandUInt16(moveOriginatorMessageID, for: .moveOriginatorMessageID)
        return commandSet
    }
}

// MARK: - C-STORE-RSP

/// A C-STORE-RSP message (PS3.7 §9.1.1, §9.3.1.2, Table 9.3-2; statuses in PS3.4 Table B.2-1).
/// No data set follows.
public struct CStoreResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's (PS3.7 §9.1.1, U(=)).
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Offending Element (0000,0901): the elements in which an error or a coercion was found.
    public var offendingElements: [Tag]?

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
        offendingElements: [Tag]? = nil,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.status = status
        self.offendingElements = offendingElements
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// The response to `request`, echoing its Message ID, SOP Class and SOP Instance.
    public init(respondingTo request: CStoreRequest, status: DIMSEStatus, errorComment: String? = nil) {
        self.init(
            messageIDBeingRespondedTo: request.messageID,
            affectedSOPClassUID: request.affectedSOPClassUID,
            affectedSOPInstanceUID: request.affectedSOPInstanceUID,
            status: status,
            errorComment: errorComment
        )
    }

    /// Decodes a C-STORE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cStoreResponse)
        try fields.requireNoDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.status = try fields.status()
        self.offendingElements = try fields.tags(.offendingElement)
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cStoreResponse, hasDataSet: false)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        commandSet.setCommandTags(offendingElements, for: .offendingElement)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        return commandSet
    }
}
