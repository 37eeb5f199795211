public import DICOMCore

// MARK: - N-CREATE-RQ

/// An N-CREATE-RQ message: asks the peer to create a managed SOP Instance (a Modality Performed
/// Procedure Step, a film session) (PS3.7 §10.1.5, §10.3.5.1, Table 10.3-9). An Attribute List
/// data set may follow ("U").
public struct NCreateRequest: NRequest {
    /// N-CREATE-RQ, 0140H.
    public static let commandField = CommandField.nCreateRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Affected SOP Class UID (0000,0002): the SOP Class of the instance to create.
    public var affectedSOPClassUID: UID

    /// Affected SOP Instance UID (0000,1000): the new instance's UID, or nil to let the peer
    /// assign one (PS3.7 §10.1.5.1.4, "U").
    public var affectedSOPInstanceUID: UID?

    /// Whether the Attribute List data set follows.
    public var hasDataSet: Bool

    /// Creates a request.
    public init(
        messageID: UInt16,
        affectedSOPClassUID: UID,
        affectedSOPInstanceUID: UID? = nil,
        hasDataSet: Bool = true
    ) {
        self.messageID = messageID
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.hasDataSet = hasDataSet
    }

    /// The Affected SOP Class UID.
    public var sopClassUID: UID { affectedSOPClassUID }

    /// The Affected SOP Instance UID, when the request names one.
    public var sopInstanceUID: UID? { affectedSOPInstanceUID }

    /// Decodes an N-CREATE-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Affected SOP Class UID or Command
    ///   Data Set Type.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        self.hasDataSet = try fields.hasDataSet()
        self.messageID = try fields.requiredUInt16(.messageID)
        self.affectedSOPClassUID = try fields.requiredUID(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: hasDataSet)
        commandSet.setCommandUInt16(messageID, for: .messageID)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        return commandSet.dataSet
    }
}

// MARK: - N-CREATE-RSP

/// An N-CREATE-RSP message (PS3.7 §10.1.5, §10.3.5.2, Table 10.3-10). The Attribute List data set
/// follows a success ("C"); the Affected SOP Instance UID names the instance created.
public typealias NCreateResponse = NResponse<NCreateRequest>
