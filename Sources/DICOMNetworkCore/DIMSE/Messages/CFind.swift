public import DICOMCore

// MARK: - C-FIND-RQ

/// A C-FIND-RQ message: a query, whose Identifier of keys to match always follows (PS3.7 §9.1.2,
/// §9.3.2.1, Table 9.3-3).
public struct CFindRequest: DIMSERequest {
    /// C-FIND-RQ, 0020H.
    public static let commandField = CommandField.cFindRequest

    /// Message ID (0000,0110): a C-CANCEL-RQ names it to stop the query.
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the information model queried (Study Root, Modality
    /// Worklist…).
    public var affectedSOPClassUID: UID

    /// Priority (0000,0700).
    public var priority: DIMSEPriority

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID, priority: DIMSEPriority = .medium) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.priority = priority
    }

    /// Always true: the Identifier is mandatory.
    public var hasDataSet: Bool { true }

    /// Decodes a C-FIND-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Priority or
    ///   Command Data Set Type; ``DIMSEError/Code/invalidField`` when no Identifier is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.priority = try fields.priority()
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        CommandSetBuilder.prioritizedRequest(Self.commandField, messageID: messageID, affectedSOPClassUID: affectedSOPClassUID, priority: priority).dataSet
    }
}

// MARK: - C-FIND-RSP

/// A C-FIND-RSP message (PS3.7 §9.1.2, §9.3.2.2, Table 9.3-4; statuses in PS3.4 Table C.4-1).
///
/// Each match comes in a response with a pending status and the matching Identifier; the final
/// response has none ("It shall be sent only when that Status is equal to Pending", PS3.7
/// §9.1.2.1.5). Decoding takes ``hasIdentifier`` from the Command Data Set Type whatever the
/// status, so that the data set a peer sends is read rather than left on the wire.
public struct CFindResponse: DIMSEResponse {
    /// C-FIND-RSP, 8020H.
    public static let commandField = CommandField.cFindResponse

    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional (U(=)), equal to the request's when present.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900): ``DIMSEStatus/pending`` (or
    /// ``DIMSEStatus/pendingWithUnsupportedOptionalKeys``) per match, then a final status.
    public var status: DIMSEStatus

    /// Whether an Identifier data set follows (Command Data Set Type other than 0101H).
    public var hasIdentifier: Bool

    /// Offending Element (0000,0901): with A900H or Cxxx, the keys at fault (PS3.4 Table C.4-1).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902): text with A700H, A900H or Cxxx (PS3.4 Table C.4-1).
    public var errorComment: String?

    /// Error ID (0000,0903): an application-specific error code.
    public var errorID: UInt16?

    /// Creates a response; `hasIdentifier` defaults to whether `status` is pending.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        status: DIMSEStatus,
        hasIdentifier: Bool? = nil,
        offendingElements: [Tag]? = nil,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.status = status
        self.hasIdentifier = hasIdentifier ?? (status.kind == .pending)
        self.offendingElements = offendingElements
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// A response to `request`; `hasIdentifier` defaults to whether `status` is pending.
    public init(respondingTo request: CFindRequest, status: DIMSEStatus, hasIdentifier: Bool? = nil) {
        self.init(
            messageIDBeingRespondedTo: request.messageID,
            affectedSOPClassUID: request.affectedSOPClassUID,
            status: status,
            hasIdentifier: hasIdentifier
        )
    }

    /// Whether an Identifier follows: ``hasIdentifier``.
    public var hasDataSet: Bool { hasIdentifier }

    /// Decodes a C-FIND-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        self.hasIdentifier = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.status = try fields.status()
        self.offendingElements = try fields.tags(.offendingElement)
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: hasIdentifier)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, offendingElements: offendingElements, errorComment: errorComment, errorID: errorID)
        return commandSet.dataSet
    }
}
