public import DICOMCore

/// A DIMSE-N response: ``NEventReportResponse``, ``NGetResponse``, ``NSetResponse``,
/// ``NActionResponse``, ``NCreateResponse`` or ``NDeleteResponse``, the answer to a `Request`.
///
/// The six responses carry the same fields (PS3.7 Tables 10.3-2, -4, -6, -8, -10, -12): the Message
/// ID Being Responded To and Status, optionally the Affected SOP Class and Instance UIDs, and the
/// fields PS3.7 Annex C attaches to particular statuses. What differs is carried by `Request`:
/// the N-EVENT-REPORT-RSP adds the Event Type ID and the N-ACTION-RSP the Action Type ID (see
/// ``eventTypeID`` and ``actionTypeID``), and the N-DELETE-RSP never has a data set.
public struct NResponse<Request: NRequest>: DIMSEResponse {
    /// The response's Command Field: the request's with bit 15 set (8100H to 8150H).
    public static var commandField: CommandField { .responding(to: Request.commandField) }

    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16

    /// Affected SOP Class UID (0000,0002): optional, equal to the SOP Class of the request
    /// (PS3.7 §10.1, "U" or "U(=)").
    public var affectedSOPClassUID: UID?

    /// Affected SOP Instance UID (0000,1000): optional, equal to the SOP Instance of the request;
    /// for an N-CREATE-RSP, the instance the peer created, required in a success response when the
    /// request left the UID to the peer (PS3.7 §10.1.5.1.4).
    public var affectedSOPInstanceUID: UID?

    /// Attribute Identifier List (0000,1005): the attributes at fault with 0105H "No such
    /// attribute", 0107H "Attribute list error" and 0120H "Missing attribute" (PS3.7 §C.4.2,
    /// §C.5.13, §C.5.17), statuses of N-GET, N-SET and N-CREATE.
    public var attributeIdentifierList: [Tag]?

    /// Status (0000,0900).
    public var status: DIMSEStatus

    /// Whether a data set follows: the Event Reply, Attribute List or Action Reply (PS3.7 §10.1).
    /// Always false for an N-DELETE-RSP, whose Command Data Set Type is 0101H (PS3.7 Table
    /// 10.3-12); the command set says so whatever this holds.
    public var hasDataSet: Bool

    /// Offending Element (0000,0901): with a service-class specific warning or failure, the
    /// elements at fault (PS3.7 §C.4.1, §C.5.3).
    public var offendingElements: [Tag]?

    /// Error Comment (0000,0902): text with 0110H, 0124H or a service-class specific status (PS3.7
    /// §C.5).
    public var errorComment: String?

    /// Error ID (0000,0903): an application-specific code, with 0110H "Processing failure" (PS3.7
    /// §C.5.21).
    public var errorID: UInt16?

    /// The Event Type ID (0000,1002) or Action Type ID (0000,1008) of an N-EVENT-REPORT-RSP or
    /// N-ACTION-RSP, published under those names; nil for the other responses.
    var typeID: UInt16?

    /// Creates a response.
    public init(
        messageIDBeingRespondedTo: UInt16,
        affectedSOPClassUID: UID?,
        affectedSOPInstanceUID: UID?,
        attributeIdentifierList: [Tag]? = nil,
        status: DIMSEStatus,
        hasDataSet: Bool = false,
        offendingElements: [Tag]? = nil,
        errorComment: String? = nil,
        errorID: UInt16? = nil
    ) {
        self.messageIDBeingRespondedTo = messageIDBeingRespondedTo
        self.affectedSOPClassUID = affectedSOPClassUID
        self.affectedSOPInstanceUID = affectedSOPInstanceUID
        self.attributeIdentifierList = attributeIdentifierList
        self.status = status
        self.hasDataSet = hasDataSet
        self.offendingElements = offendingElements
        self.errorComment = errorComment
        self.errorID = errorID
    }

    /// A response with the Event Type ID or Action Type ID of an N-EVENT-REPORT-RSP or
    /// N-ACTION-RSP, for the initializers that name it.
    init(
        _ messageIDBeingRespondedTo: UInt16, _ affectedSOPClassUID: UID?, _ affectedSOPInstanceUID: UID?, typeID: UInt16?,
        _ status: DIMSEStatus, _ hasDataSet: Bool, _ errorComment: String?, _ errorID: UInt16?
    ) {
        self.init(
            messageIDBeingRespondedTo: messageIDBeingRespondedTo, affectedSOPClassUID: affectedSOPClassUID,
            affectedSOPInstanceUID: affectedSOPInstanceUID, status: status, hasDataSet: hasDataSet,
            errorComment: errorComment, errorID: errorID
        )
        self.typeID = typeID
    }

    /// The response to `request`: its Message ID, SOP Class and SOP Instance echoed, and for an
    /// N-EVENT-REPORT or N-ACTION its Event or Action Type ID.
    public init(respondingTo request: Request, status: DIMSEStatus, hasDataSet: Bool = false) {
        self.init(
            messageIDBeingRespondedTo: request.messageID,
            affectedSOPClassUID: request.sopClassUID,
            affectedSOPInstanceUID: request.sopInstanceUID,
            status: status,
            hasDataSet: hasDataSet
        )
        self.typeID = (request as? NEventReportRequest)?.eventTypeID ?? (request as? NActionRequest)?.actionTypeID
    }

    /// Decodes the command set of this DIMSE-N response.
    ///
    /// - Throws: ``DIMSEError/Code/commandFieldMismatch`` for another command;
    ///   ``DIMSEError/Code/missingField`` without Message ID Being Responded To, Status or Command
    ///   Data Set Type, or, for a successful N-EVENT-REPORT-RSP or N-ACTION-RSP with a reply data
    ///   set, without its Event or Action Type ID (PS3.7 §10.1.1.1.5, §10.1.4.1.5, "C(=)");
    ///   ``DIMSEError/Code/invalidField`` for an N-DELETE-RSP that announces a data set.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let fields = try CommandSetFields(commandSet, expecting: Self.commandField)
        if Self.forbidsDataSet { try fields.requireNoDataSet() }
        self.hasDataSet = try fields.hasDataSet()
        self.messageIDBeingRespondedTo = try fields.requiredUInt16(.messageIDBeingRespondedTo)
        self.affectedSOPClassUID = fields.uid(.affectedSOPClassUID)
        self.affectedSOPInstanceUID = fields.uid(.affectedSOPInstanceUID)
        self.attributeIdentifierList = try fields.tags(.attributeIdentifierList)
        self.status = try fields.status()
        self.offendingElements = try fields.tags(.offendingElement)
        self.errorComment = fields.text(.errorComment)
        self.errorID = try fields.uint16(.errorID)
        if let tag = Self.typeIDTag {
            // The reply data set is only sent with success, and then needs the type it answers.
            let required = hasDataSet && status.kind == .success
            self.typeID = required ? try fields.requiredUInt16(tag) : try fields.uint16(tag)
        }
    }

    /// The command set, without Command Group Length.
    public var commandSet: DataSet {
        var commandSet = CommandSetBuilder(Self.commandField, hasDataSet: hasDataSet && !Self.forbidsDataSet)
        commandSet.setCommandUID(affectedSOPClassUID, for: .affectedSOPClassUID)
        commandSet.setCommandUInt16(messageIDBeingRespondedTo, for: .messageIDBeingRespondedTo)
        commandSet.setCommandStatus(status, offendingElements: offendingElements, errorComment: errorComment, errorID: errorID)
        commandSet.setCommandUID(affectedSOPInstanceUID, for: .affectedSOPInstanceUID)
        commandSet.setCommandTags(attributeIdentifierList, for: .attributeIdentifierList)
        if let tag = Self.typeIDTag { commandSet.setCommandUInt16(typeID, for: tag) }
        return commandSet.dataSet
    }

    /// The tag of the type ID this response echoes, if any.
    static var typeIDTag: Tag? {
        switch Request.commandField {
        case .nEventReportRequest: .eventTypeID
        case .nActionRequest: .actionTypeID
        default: nil
        }
    }

    /// Whether the response never has a data set: N-DELETE-RSP (PS3.7 Table 10.3-12).
    static var forbidsDataSet: Bool { Request.commandField == .nDeleteRequest }
}
