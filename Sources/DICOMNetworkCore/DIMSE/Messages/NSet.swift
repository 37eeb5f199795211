public import DICOMCore

// MARK: - N-SET-RQ

/// An N-SET-RQ message: asks the peer to modify attribute values of a managed SOP Instance (PS3.7
/// §10.1.3, §10.3.3.1, Table 10.3-5). The Modification List data set always follows.
public struct NSetRequest: NRequest {
    /// N-SET-RQ, 0120H.
    public static let commandField = CommandField.nSetRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001): the instance to modify.
    public var requestedSOPInstanceUID: UID

    /// Creates a request.
    public init(
        messageID: UInt16,
        requestedSOPClassUID: UID,
        requestedSOPInstanceUID: UID
    ) {
        self.messageID = messageID
        self.requestedSOPClassUID = requestedSOPClassUID
        self.requestedSOPInstanceUID = requestedSOPInstanceUID
    }

    /// The Requested SOP Class UID.
    public var sopClassUID: UID { requestedSOPClassUID }

    /// The Requested SOP Instance UID.
    public var sopInstanceUID: UID? { requestedSOPInstanceUID }

    /// Always true: the Modification List is mandatory.
    public var hasDataSet: Bool { true }

    /// Decodes an N-SET-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID or Command Data Set Type; ``DIMSEError/Code/invalidField`` when no data
    ///   set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireDataSet()
        (self.messageID, self.requestedSOPClassUID, self.requestedSOPInstanceUID) = try fields.requestedInstance()
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        CommandSetBuilder.requestedInstance(
            Self.commandField, hasDataSet: true, messageID: messageID,
            sopClassUID: requestedSOPClassUID, sopInstanceUID: requestedSOPInstanceUID
        ).dataSet
    }
}

// MARK: - N-SET-RSP

/// An N-SET-RSP message (PS3.7 §10.1.3, §10.3.3.2, Table 10.3-6). An Attribute List data set may
/// follow a success ("U").
public typealias NSetResponse = NResponse<NSetRequest>
