public import DICOMCore

/// A C-GET-RSP or C-MOVE-RSP: ``CGetResponse`` and ``CMoveResponse``. The two retrieve operations
/// answer with the same fields (PS3.7 Tables 9.3-7 and 9.3-10), so one type serves both; `Request`
/// says which.
///
/// The peer sends responses with a pending status while its C-STORE sub-operations run, each with
/// all four ``subOperations`` counts, then one final response. An Identifier may follow (PS3.7
/// §9.1.3.1.5, "U"); PS3.4 §C.4.2.1.4.2 puts the Failed SOP Instance UID List in it.
public struct RetrieveResponse<Request: RetrieveRequest>: DIMSEResponse {
    /// C-GET-RSP (8010H) or C-MOVE-RSP (8021H).
    public static var commandField: CommandField { .responding(to: Request.commandField) }

    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional (U(=)), equal to the request's when present.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900): ``DIMSEStatus/pending`` while sub-operations run, then a final status
    /// (PS3.4 Tables C.4-2 and C.4-3).
    public var status: DIMSEStatus

    /// Whether an Identifier data set follows.
    public var hasIdentifier: Bool

    /// The sub-operation counts (0000,1020) to (0000,1023): all four are required with a pending
    /// status.
    public var subOperations: SubOperationCounts

    /// Offending Element (0000,0901): with a failure or warning, the elements at fault (PS3.7
    /// §C.4.1, §C.5.1–3).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902): text with a refusal, a failure or a warning (PS3.4 Tables C.4-2,
    /// C.4-3).
    public var errorComment: String?

    /// Error ID (0000,0903): an application-specific error code.
    public var errorID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        status: DIMSEStatus,
        hasIdentifier: Bool = false,
        subOperations: SubOperationCounts,
        offendingElements: [Tag]? = nil,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.status = status
        self.hasIdentifier = hasIdentifier
        self.subOperations = subOperations
        self.offendingElements = offendingElements
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// Creates a response from the four counts, each optional.
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
        let counts = SubOperationCounts(
            remaining: numberOfRemainingSuboperations,
            completed: numberOfCompletedSuboperations,
            failed: numberOfFailedSuboperations,
            warning: numberOfWarningSuboperations
        )
        self.init(
            messageIDBeingRespondedTo: messageIDBeingRespondedTo,
            affectedSOPClassUID: affectedSOPClassUID,
            status: status,
            hasIdentifier: hasIdentifier,
            subOperations: counts,
            offendingElements: offendingElements,
            errorComment: errorComment,
            errorID: errorID
        )
    }

    /// A response to `request`, echoing its Message ID and SOP Class.
    public init(respondingTo request: Request, status: DIMSEStatus, subOperations: SubOperationCounts, hasIdentifier: Bool = false) {
        self.init(
            messageIDBeingRespondedTo: request.messageID,
            affectedSOPClassUID: request.affectedSOPClassUID,
            status: status,
            hasIdentifier: hasIdentifier,
            subOperations: subOperations
        )
    }

    /// Whether an Identifier follows: ``hasIdentifier``.
    public var hasDataSet: Bool { hasIdentifier }

    /// Decodes a C-GET-RSP or C-MOVE-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type, or, with a pending status, without any of the four sub-operation counts.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        self.hasIdentifier = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.status = try fields.status()
        self.subOperations = try SubOperationCounts(fields, required: status.kind == .pending)
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
        subOperations.write(into: &commandSet)
        return commandSet.dataSet
    }
}

// MARK: - The counts one by one

extension RetrieveResponse {
    /// Number of Remaining Sub-operations (0000,1020): ``SubOperationCounts/remaining``.
    public var numberOfRemainingSuboperations: UInt16? {
        get { subOperations.remaining }
        set { subOperations.remaining = newValue }
    }

    /// Number of Completed Sub-operations (0000,1021): ``SubOperationCounts/completed``.
    public var numberOfCompletedSuboperations: UInt16? {
        get { subOperations.completed }
        set { subOperations.completed = newValue }
    }

    /// Number of Failed Sub-operations (0000,1022): ``SubOperationCounts/failed``.
    public var numberOfFailedSuboperations: UInt16? {
        get { subOperations.failed }
        set { subOperations.failed = newValue }
    }

    /// Number of Warning Sub-operations (0000,1023): ``SubOperationCounts/warning``.
    public var numberOfWarningSuboperations: UInt16? {
        get { subOperations.warning }
        set { subOperations.warning = newValue }
    }
}
