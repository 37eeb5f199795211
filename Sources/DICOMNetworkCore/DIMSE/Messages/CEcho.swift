public import DICOMCore

// MARK: - C-ECHO-RQ

/// A C-ECHO-RQ message: verifies end-to-end communication (PS3.7 §9.1.5, §9.3.5.1, Table 9.3-12).
/// No data set follows.
public struct CEchoRequest: DIMSERequest {
    /// C-ECHO-RQ, 0030H.
    public static let commandField = CommandField.cEchoRequest

    /// Message ID (0000,0110): distinguishes this request from others outstanding.
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the Verification SOP Class unless a service says
    /// otherwise.
    public var affectedSOPClassUID: UID

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID = .verification) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
    }

    /// Always false: no data set follows a C-ECHO-RQ.
    public var hasDataSet: Bool { false }

    /// Decodes a C-ECHO-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` when `commandSet` is another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID or Command
    ///   Data Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireNoDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
    }

    /// The command set, without Command Group Length (``CommandSet/encode(_:maximumLength:)``
    /// adds it).
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: false)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        return commandSet.dataSet
    }
}

// MARK: - C-ECHO-RSP

/// A C-ECHO-RSP message (PS3.7 §9.1.5, §9.3.5.2, Table 9.3-13). No data set follows.
public struct CEchoResponse: DIMSEResponse {
    /// C-ECHO-RSP, 8030H.
    public static let commandField = CommandField.cEchoResponse

    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional in the response (PS3.7 Table 9.1-5, "U(=)"),
    /// equal to the request's when present.
    public var affectedSOPClassUID: UID?

    /// Status (0000,0900): success, or a failure such as ``DIMSEStatus/sopClassNotSupported``.
    public var status: DIMSEStatus

    /// Error Comment (0000,0902): optional text with 0122H, "Refused: SOP Class not supported"
    /// (PS3.7 §C.5.6).
    public var errorComment: String?

    /// Error ID (0000,0903): an optional application-specific error code.
    public var errorID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID? = .verification,
        status: DIMSEStatus = .success,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.status = status
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// The response to `request`, echoing its Message ID and SOP Class.
    public init(respondingTo request: CEchoRequest, status: DIMSEStatus = .success) {
        self.init(messageIDBeingRespondedTo: request.messageID, affectedSOPClassUID: request.affectedSOPClassUID, status: status)
    }

    /// Always false: no data set follows a C-ECHO-RSP.
    public var hasDataSet: Bool { false }

    /// Decodes a C-ECHO-RSP command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` when `commandSet` is another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type; ``DIMSEError/Code/invalidField`` when a data set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireNoDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.status = try fields.status()
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: false)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, errorComment: errorComment, errorID: errorID)
        return commandSet.dataSet
    }
}
