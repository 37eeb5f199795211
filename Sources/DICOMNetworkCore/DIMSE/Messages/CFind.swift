public import DICOMCore

// MARK: - C-FIND-RQ

/// A C-FIND-RQ message: a query whose Identifier data set always follows (PS3.7 §9.1.2,
/// §9.3.2.1, Table 9.3-3).
public struct CFindRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
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

    /// Decodes a C-FIND-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Priority or
    ///   Command Data Set Type; ``DIMSEError/Code/invalidField`` when no Identifier is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cFindRequest)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.priority = try fields.priority()
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cFindRequest, hasDataSet: true)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUInt16(priority.rawValue, for: .priority)
        return commandSet
    }
}

// MARK: - C-FIND-RSP

/// A C-FIND-RSP message (PS3.7 §9.1.2, §9.3.2.2, Table 9.3-4; statuses in PS3.4 Table C.4-1).
/// Pending responses carry a matching Identifier; the final one usually none.
public struct CFindResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900): ``DIMSEStatus/pending`` per match, then a final status.
    public var status: DIMSEStatus

    /// Whether an Identifier data set follows (Command Data Set Type other than 0101H): a match
    /// with a pending status (PS3.7 §9.1.2).
    public var hasIdentifier: Bool

    /// Offending Element (0000,0901).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902).
    public var errorComment: String?

    /// Error ID (0000,0903).
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

    /// Decodes a C-FIND-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cFindResponse)
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
        var commandSet = DataSet.command(.cFindResponse, hasDataSet: hasIdentifier)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        commandSet.setCommandTags(offendingElements, for: .offendingElement)
        return commandSet
    }
}
