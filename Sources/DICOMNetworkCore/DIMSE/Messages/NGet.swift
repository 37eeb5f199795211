public import DICOMCore

// MARK: - N-GET-RQ

/// An N-GET-RQ message: asks the peer for attribute values of a managed SOP Instance (PS3.7
/// §10.1.2, §10.3.2.1, Table 10.3-3). No data set follows.
public struct NGetRequest: NRequest {
    /// N-GET-RQ, 0110H.
    public static let commandField = CommandField.nGetRequest

    /// Message ID (0000,0110).
    public var messageID: UInt16

    /// Requested SOP Class UID (0000,0003).
    public var requestedSOPClassUID: UID

    /// Requested SOP Instance UID (0000,1001): the instance whose attributes are wanted.
    public var requestedSOPInstanceUID: UID

    /// Attribute Identifier List (0000,1005): the attributes wanted; absent means all of them
    /// (PS3.7 §10.1.2.1.5, "U").
    public var attributeIdentifierList: [Tag]?

    /// Creates a request.
    public init(
        messageID: UInt16,
        requestedSOPClassUID: UID,
        requestedSOPInstanceUID: UID,
        attributeIdentifierList: [Tag]? = nil
    ) {
        self.messageID = messageID
        self.requestedSOPClassUID = requestedSOPClassUID
        self.requestedSOPInstanceUID = requestedSOPInstanceUID
        self.attributeIdentifierList = attributeIdentifierList
    }

    /// The Requested SOP Class UID.
    public var sopClassUID: UID { requestedSOPClassUID }

    /// The Requested SOP Instance UID.
    public var sopInstanceUID: UID? { requestedSOPInstanceUID }

    /// Always false: no data set follows an N-GET-RQ.
    public var hasDataSet: Bool { false }

    /// Decodes an N-GET-RQ command set.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID, Requested SOP Class UID, Requested
    ///   SOP Instance UID or Command Data Set Type; ``DIMSEError/Code/invalidField`` when a data
    ///   set is announced.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        try fields.requireNoDataSet()
        (self.messageID, self.requestedSOPClassUID, self.requestedSOPInstanceUID) = try fields.requestedInstance()
        self.attributeIdentifierList = try fields.tags(.attributeIdentifierList)
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder.requestedInstance(
            Self.commandField, hasDataSet: false, messageID: messageID,
            sopClassUID: requestedSOPClassUID, sopInstanceUID: requestedSOPInstanceUID
        )
        commandSet.setCommandTags(attributeIdentifierList, for: .attributeIdentifierList)
        return commandSet.dataSet
    }
}

// MARK: - N-GET-RSP

/// An N-GET-RSP message (PS3.7 §10.1.2, §10.3.2.2, Table 10.3-4). The Attribute List data set
/// follows a success ("C").
public typealias NGetResponse = NResponse<NGetRequest>
