public import DICOMCore

// MARK: - N-DELETE-RQ

/// An N-DELETE-RQ message: asks the peer to delete a managed SOP Instance (PS3.7 §10.1.6,
/// §10.3.6.1, Table 10.3-11). No data set follows.
public struct NDeleteRequest: NRequest {
    /// N-DELETE-RQ, 0150H.
    public static let commandField = CommandField.nDeleteRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001): the instance to delete.
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

    /// Always false: no data set follows an N-DELETE-RQ.
    public var hasDataSet: Bool { false }

    /// Decodes an N-DELETE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID or Command Data Set Type; ``DIMSEError/Code/invalidField`` when a data
    ///   set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireNoDataSet()
        (self.messageID, self.requestedSOPClassUID, self.requestedSOPInstanceUID) = try fields.requestedInstance()
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        CommandSetBuilder.requestedInstance(
            Self.commandField, hasDataSet: false, messageID: messageID,
            sopClassUID: requestedSOPClassUID, sopInstanceUID: requestedSOPInstanceUID
        ).dataSet
    }
}

// MARK: - N-DELETE-RSP

/// An N-DELETE-RSP message (PS3.7 §10.1.6, §10.3.6.2, Table 10.3-12). No data set follows.
public typealias NDeleteResponse = NResponse<NDeleteRequest>
