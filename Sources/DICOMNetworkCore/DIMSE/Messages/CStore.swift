public import DICOMCore

// MARK: - C-STORE-RQ

/// A C-STORE-RQ message: the command that precedes a SOP Instance to be stored (PS3.7 §9.1.1,
/// §9.3.1.1, Table 9.3-1). A data set always follows.
public struct CStoreRequest: DIMSERequest {
    /// C-STORE-RQ, 0001H.
    public static let commandField = CommandField.cStoreRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the SOP Class of the instance.
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000): the SOP Instance UID of the instance.
    public var affectedSOPInstanceUID: UID

    /// Priority (0000,0700).
    public var priority: DIMSEPriority

    /// Move Originator Application Entity Title (0000,1030): the AE that invoked the C-MOVE this
    /// store is a sub-operation of (PS3.7 §9.1.1.1.6, "U"; AE, space-padded).
    public var moveOriginatorApplicationEntityTitle: String?

    /// Move Originator Message ID (0000,1031): the Message ID of that C-MOVE-RQ (PS3.7 §9.1.1.1.7,
    /// "U").
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

    /// Always true: the SOP Instance is mandatory.
    public var hasDataSet: Bool { true }

    /// Decodes a C-STORE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Affected SOP
    ///   Instance UID, Priority or Command Data Set Type; ``DIMSEError/Code/invalidField`` when no
    ///   data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
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
        var commandSet = CommandSetBuilder.prioritizedRequest(
            Self.commandField, messageID: messageID, affectedSOPClassUID: affectedSOPClassUID, priority: priority
        )
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandText(moveOriginatorApplicationEntityTitle, for: .moveOriginatorApplicationEntityTitle, vr: .AE)
        commandSet.setCommandUInt16(moveOriginatorMessageID, for: .moveOriginatorMessageID)
        return commandSet.dataSet
    }
}

// MARK: - C-STORE-RSP

/// A C-STORE-RSP message (PS3.7 §9.1.1, §9.3.1.2, Table 9.3-2; statuses in PS3.4 Table B.2-1).
/// No data set follows.
public struct CStoreResponse: DIMSEResponse {
    /// C-STORE-RSP, 8001H.
    public static let commandField = CommandField.cStoreResponse

    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's (PS3.7 Table 9.1-1,
    /// U(=)).
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional (U(=)), equal to the request's.
    public var affectedSOPInstanceUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Offending Element (0000,0901): with A9xx, Cxxx or a Bxxx warning, the elements in which the
    /// error or the coercion was found (PS3.4 Table B.2-1).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902): text with a refusal, an error or a warning (PS3.4 Table B.2-1).
    public var errorComment: String?

    /// Error ID (0000,0903): an application-specific error code.
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

    /// Always false: no data set follows a C-STORE-RSP.
    public var hasDataSet: Bool { false }

    /// Decodes a C-STORE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
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
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: false)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, offendingElements: offendingElements, errorComment: errorComment, errorID: errorID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        return commandSet.dataSet
    }
}
