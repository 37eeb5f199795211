public import DICOMCore

/// A C-GET-RQ message: asks the peer to send the instances matching its Identifier back over this
/// association as C-STORE sub-operations (PS3.7 §9.1.3, §9.3.3.1, Table 9.3-6). The Identifier
/// always follows.
public struct CGetRequest: RetrieveRequest {
    /// C-GET-RQ, 0010H.
    public static let commandField = CommandField.cGetRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the retrieve information model (Patient Root, Study
    /// Root, Composite Instance Root…).
    public var affectedSOPClassUID: UID

    /// Priority (0000,0700): also the priority of every C-STORE sub-operation (PS3.7 §9.1.3.1.4).
    public var priority: DIMSEPriority

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID, priority: DIMSEPriority = .medium) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.priority = priority
    }

    /// Always true: the Identifier is mandatory.
    public var hasDataSet: Bool { true }

    /// Decodes a C-GET-RQ command set.
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

/// A C-GET-RSP message (PS3.7 §9.3.3.2, Table 9.3-7; statuses in PS3.4 Table C.4-3).
public typealias CGetResponse = RetrieveResponse<CGetRequest>
