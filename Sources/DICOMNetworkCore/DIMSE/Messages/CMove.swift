public import DICOMCore

// MARK: - C-MOVE-RQ

/// A C-MOVE-RQ message: asks the peer to send matching instances to a third AE (or back to the
/// requester over a new association) as C-STORE sub-operations. Its Identifier data set always
/// follows (PS3.7 §9.1.4, §9.3.4.1, Table 9.3-9).
public struct CMoveRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the retrieve information model.
    public var affectedSOPClassUID: UID

    /// Priority (0000,0700).
    public var priority: DIMSEPriority

    /// Move Destination (0000,0600): the AE title the instances go to.
    public var moveDestination: String

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID, moveDestination: String, priority: DIMSEPriority = .medium) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.moveDestination = moveDestination
        self.priority = priority
    }

    /// Decodes a C-MOVE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Priority,
    ///   Move Destination or Command Data Set Type; ``DIMSEError/Code/invalidField`` when no
    ///   Identifier is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cMoveRequest)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.priority = try fields.priority()
        self.moveDestination = try fields.requiredText(.moveDestination)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cMoveRequest, hasDataSet: true)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandText(moveDestination, for: .moveDestination, vr: .AE)
        commandSet.setCommandUInt16(priority.rawValue, for: .priority)
        return commandSet
    }
}

// MARK: - C-MOVE-RSP

/// A C-MOVE-RSP message (PS3.7 §9.1.4, §9.3.4.2, Table 9.3-10; statuses in PS3.4 Table C.4-2):
/// pending while C-STORE sub-operations run, then a final status. An Identifier may follow, listing
/// failed SOP Instances.
public struct CMoveResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether an Identifier data set follows.
    public var hasIdentifier: Bool

    /// Number of Remaining Sub-operations (0000,1020): required when pending (PS3.7 §9.1.4).
    public var numberOfRemainingSuboperations: UInt16?

    /// Number of Completed Sub-operations (0000,1021): required when pending.
    public var numberOfCompletedSuboperations: UInt16?

    /// Number of Failed Sub-operations (0000,1022): required when pending.
    public var numberOfFailedSuboperations: UInt16?

    /// Number of Warning Sub-operations (0000,1023): required when pending.
    public var numberOfWarningSuboperations: UInt16?

    /// Offending Element (0000,0901).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902).
    public var errorComment: String?

    /// Error ID (0000,0903).
    public var errorID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        status: DIMSEStatus,
        hasIdentifier: Bool = false,
        numberOfRemainingSuboperations: UInt16? = nil,
        numberOfCompletedSuboperations: UInt16? = nil,
        numberOfFailedSuboperations: UInt16? = nil,
        numberOfWarningSuboperations: UInt16? = nil,
        offendingElements: [Tag]? = nil,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.status = status
        self.hasIdentifier = hasIdentifier
        self.numberOfRemainingSuboperations = numberOfRemainingSuboperations
        self.numberOfCompletedSuboperations = numberOfCompletedSuboperations
        self.numberOfFailedSuboperations = numberOfFailedSuboperations
        self.numberOfWarningSuboperations = numberOfWarningSuboperations
        self.offendingElements = offendingElements
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Decodes a C-MOVE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type, or, with a pending status, without any of the four sub-operation counts.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cMoveResponse)
        self.hasIdentifier = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.status = try fields.status()
        let counts = try fields.subOperationCounts(required: status.kind == .pending)
        self.numberOfRemainingSuboperations = counts.remaining
        self.numberOfCompletedSuboperations = counts.completed
        self.numberOfFailedSuboperations = counts.failed
        self.numberOfWarningSuboperations = counts.warning
        self.offendingElements = try fields.tags(.offendingElement)
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cMoveResponse, hasDataSet: hasIdentifier)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        commandSet.setCommandTags(offendingElements, for: .offendingElement)
        commandSet.setSubOperationCounts(
            remaining: numberOfRemainingSuboperations,
            completed: numberOfCompletedSuboperations,
            failed: numberOfFailedSuboperations,
            warning: numberOfWarningSuboperations
        )
        return commandSet
    }
}
