public import DICOMCore

// MARK: - C-GET-RQ

/// A C-GET-RQ message: asks the peer to send matching instances back over this association as
/// C-STORE sub-operations. Its Identifier data set always follows (PS3.7 §9.1.3, §9.3.3.1, Table
/// 9.3-6).
public struct CGetRequest: Hashable, Sendable {
    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the retrieve information model.
    public var affectedSOPClassUID: UID

    /// Priority (0000,0700).
    public var priority: DIMSEPriority

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID, priority: DIMSEPriority = .medium) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.priority = priority
    }

    /// Decodes a C-GET-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Priority or
    ///   Command Data Set Type; ``DIMSEError/Code/invalidField`` when no Identifier is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cGetRequest)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.priority = try fields.priority()
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = DataSet.command(.cGetRequest, hasDataSet: true)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUInt16(priority.rawValue, for: .priority)
        return commandSet
    }
}

// MARK: - C-GET-RSP

/// A C-GET-RSP message (PS3.7 §9.1.3, §9.3.3.2, Table 9.3-7; statuses in PS3.4 Table C.4-3):
/// pending while C-STORE sub-operations run, then a final status. An Identifier may follow, listing
/// failed SOP Instances.
public struct CGetResponse: Hashable, Sendable {
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the request's.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether an Identifier data set follows.
    public var hasIdentifier: Bool

    /// Number of Remaining Sub-operations (0000,1020): required when pending (PS3.7 §9.1.3).
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

    /// Decodes a C-GET-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type, or, with a pending status, without any of the four sub-operation counts.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: .cGetResponse)
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
        var commandSet = DataSet.command(.cGetResponse, hasDataSet: hasIdentifier)
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

// MARK: - Sub-operation counts (C-GET-RSP and C-MOVE-RSP)

extension CommandSetFields {
    /// The four sub-operation counts; with `required` (a pending status, PS3.7 §9.1.3 and §9.1.4:
    /// "shall be included if the status is Pending"), each one must be present.
    func subOperationCounts(
        required: Bool
    ) throws(DIMSEError) -> (remaining: UInt16?, completed: UInt16?, failed: UInt16?, warning: UInt16?) {
        func count(_ tag: Tag) throws(DIMSEError) -> UInt16? {
            required ? try requiredUInt16(tag) : try uint16(tag)
        }
        return (
            try count(.numberOfRemainingSuboperations),
            try count(.numberOfCompletedSuboperations),
            try count(.numberOfFailedSuboperations),
            try count(.numberOfWarningSuboperations)
        )
    }
}

extension DataSet {
    mutating func setSubOperationCounts(remaining: UInt16?, completed: UInt16?, failed: UInt16?, warning: UInt16?) {
        setCommandUInt16(remaining, for: .numberOfRemainingSuboperations)
        setCommandUInt16(completed, for: .numberOfCompletedSuboperations)
        setCommandUInt16(failed, for: .numberOfFailedSuboperations)
        setCommandUInt16(warning, for: .numberOfWarningSuboperations)
    }
}
