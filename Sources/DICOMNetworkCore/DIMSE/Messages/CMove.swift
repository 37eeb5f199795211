public import DICOMCore

/// A C-MOVE-RQ message: asks the peer to send the instances matching its Identifier to the AE
/// named by ``moveDestination``, as C-STORE sub-operations on another association (PS3.7 §9.1.4,
/// §9.3.4.1, Table 9.3-9). The Identifier always follows.
public struct CMoveRequest: RetrieveRequest {
    /// C-MOVE-RQ, 0021H.
    public static let commandField = CommandField.cMoveRequest

    /// Message ID (0000,0110): the stores it causes carry it as their Move Originator Message ID.
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the retrieve information model.
    public var affectedSOPClassUID: UID

    /// Priority (0000,0700): also the priority of every C-STORE sub-operation (PS3.7 §9.1.4.1.4).
    public var priority: DIMSEPriority

    /// Move Destination (0000,0600): the AE title the instances go to (AE, space-padded).
    public var moveDestination: String

    /// Creates a request.
    public init(messageID: UInt16, affectedSOPClassUID: UID, moveDestination: String, priority: DIMSEPriority = .medium) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.moveDestination = moveDestination
        self.priority = priority
    }

    /// Always true: the Identifier is mandatory.
    public var hasDataSet: Bool { true }

    /// Decodes a C-MOVE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID, Priority,
    ///   Move Destination or Command Data Set Type; ``DIMSEError/Code/invalidField`` when no
    ///   Identifier is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.priority = try fields.priority()
        self.moveDestination = try fields.requiredText(.moveDestination)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder.prioritizedRequest(
            Self.commandField, messageID: messageID, affectedSOPClassUID: affectedSOPClassUID, priority: priority
        )
        commandSet.setCommandText(moveDestination, for: .moveDestination, vr: .AE)
        return commandSet.dataSet
    }
}

/// A C-MOVE-RSP message (PS3.7 §9.3.4.2, Table 9.3-10; statuses in PS3.4 Table C.4-2).
public typealias CMoveResponse = RetrieveResponse<CMoveRequest>
