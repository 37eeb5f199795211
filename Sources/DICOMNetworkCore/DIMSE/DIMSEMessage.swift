public import DICOMCore

/// Any DIMSE message, chosen by its Command Field: the DIMSE-C messages of PS3.7 §9.3 and the
/// DIMSE-N messages of PS3.7 §10.3.
public enum DIMSEMessage: Hashable, Sendable {
    /// C-ECHO-RQ, 0030H.
    case cEchoRequest(CEchoRequest)
    /// C-ECHO-RSP, 8030H.
    case cEchoResponse(CEchoResponse)
    /// C-STORE-RQ, 0001H.
    case cStoreRequest(CStoreRequest)
    /// C-STORE-RSP, 8001H.
    case cStoreResponse(CStoreResponse)
    /// C-FIND-RQ, 0020H.
    case cFindRequest(CFindRequest)
    /// C-FIND-RSP, 8020H.
    case cFindResponse(CFindResponse)
    /// C-GET-RQ, 0010H.
    case cGetRequest(CGetRequest)
    /// C-GET-RSP, 8010H.
    case cGetResponse(CGetResponse)
    /// C-MOVE-RQ, 0021H.
    case cMoveRequest(CMoveRequest)
    /// C-MOVE-RSP, 8021H.
    case cMoveResponse(CMoveResponse)
    /// C-CANCEL-RQ, 0FFFH.
    case cCancelRequest(CCancelRequest)
    /// N-EVENT-REPORT-RQ, 0100H.
    case nEventReportRequest(NEventReportRequest)
    /// N-EVENT-REPORT-RSP, 8100H.
    case nEventReportResponse(NEventReportResponse)
    /// N-GET-RQ, 0110H.
    case nGetRequest(NGetRequest)
    /// N-GET-RSP, 8110H.
    case nGetResponse(NGetResponse)
    /// N-SET-RQ, 0120H.
    case nSetRequest(NSetRequest)
    /// N-SET-RSP, 8120H.
    case nSetResponse(NSetResponse)
    /// N-ACTION-RQ, 0130H.
    case nActionRequest(NActionRequest)
    /// N-ACTION-RSP, 8130H.
    case nActionResponse(NActionResponse)
    /// N-CREATE-RQ, 0140H.
    case nCreateRequest(NCreateRequest)
    /// N-CREATE-RSP, 8140H.
    case nCreateResponse(NCreateResponse)
    /// N-DELETE-RQ, 0150H.
    case nDeleteRequest(NDeleteRequest)
    /// N-DELETE-RSP, 8150H.
    case nDeleteResponse(NDeleteResponse)

    /// Decodes `commandSet` as the message its Command Field names.
    ///
    /// - Throws: ``DIMSEError/Code/unrecognizedCommandField`` for a Command Field PS3.7 does not
    ///   define; otherwise what the message type's `init(commandSet:)` throws.
    public init(commandSet: DataSet) throws(DIMSEError) {
        let field = try CommandSet.commandField(of: commandSet)
        switch field {
        case .cEchoRequest: self = .cEchoRequest(try CEchoRequest(commandSet: commandSet))
        case .cEchoResponse: self = .cEchoResponse(try CEchoResponse(commandSet: commandSet))
        case .cStoreRequest: self = .cStoreRequest(try CStoreRequest(commandSet: commandSet))
        case .cStoreResponse: self = .cStoreResponse(try CStoreResponse(commandSet: commandSet))
        case .cFindRequest: self = .cFindRequest(try CFindRequest(commandSet: commandSet))
        case .cFindResponse: self = .cFindResponse(try CFindResponse(commandSet: commandSet))
        case .cGetRequest: self = .cGetRequest(try CGetRequest(commandSet: commandSet))
        case .cGetResponse: self = .cGetResponse(try CGetResponse(commandSet: commandSet))
        case .cMoveRequest: self = .cMoveRequest(try CMoveRequest(commandSet: commandSet))
        case .cMoveResponse: self = .cMoveResponse(try CMoveResponse(commandSet: commandSet))
        case .cCancelRequest: self = .cCancelRequest(try CCancelRequest(commandSet: commandSet))
        case .nEventReportRequest: self = .nEventReportRequest(try NEventReportRequest(commandSet: commandSet))
        case .nEventReportResponse: self = .nEventReportResponse(try NEventReportResponse(commandSet: commandSet))
        case .nGetRequest: self = .nGetRequest(try NGetRequest(commandSet: commandSet))
        case .nGetResponse: self = .nGetResponse(try NGetResponse(commandSet: commandSet))
        case .nSetRequest: self = .nSetRequest(try NSetRequest(commandSet: commandSet))
        case .nSetResponse: self = .nSetResponse(try NSetResponse(commandSet: commandSet))
        case .nActionRequest: self = .nActionRequest(try NActionRequest(commandSet: commandSet))
        case .nActionResponse: self = .nActionResponse(try NActionResponse(commandSet: commandSet))
        case .nCreateRequest: self = .nCreateRequest(try NCreateRequest(commandSet: commandSet))
        case .nCreateResponse: self = .nCreateResponse(try NCreateResponse(commandSet: commandSet))
        case .nDeleteRequest: self = .nDeleteRequest(try NDeleteRequest(commandSet: commandSet))
        case .nDeleteResponse: self = .nDeleteResponse(try NDeleteResponse(commandSet: commandSet))
        default:
            throw DIMSEError(.unrecognizedCommandField, tag: .commandField, "\(field) is not a Command Field of PS3.7 Table E.1-1")
        }
    }

    /// The message itself, whatever its type.
    public var command: any DIMSECommand {
        switch self {
        case .cEchoRequest(let message): message
        case .cEchoResponse(let message): message
        case .cStoreRequest(let message): message
        case .cStoreResponse(let message): message
        case .cFindRequest(let message): message
        case .cFindResponse(let message): message
        case .cGetRequest(let message): message
        case .cGetResponse(let message): message
        case .cMoveRequest(let message): message
        case .cMoveResponse(let message): message
        case .cCancelRequest(let message): message
        case .nEventReportRequest(let message): message
        case .nEventReportResponse(let message): message
        case .nGetRequest(let message): message
        case .nGetResponse(let message): message
        case .nSetRequest(let message): message
        case .nSetResponse(let message): message
        case .nActionRequest(let message): message
        case .nActionResponse(let message): message
        case .nCreateRequest(let message): message
        case .nCreateResponse(let message): message
        case .nDeleteRequest(let message): message
        case .nDeleteResponse(let message): message
        }
    }

    /// The message's command set, without Command Group Length.
    public var commandSet: DataSet { command.commandSet }

    /// The Command Field of the message.
    public var commandField: CommandField { type(of: command).commandField }

    /// Whether a data set follows the command.
    public var hasDataSet: Bool { command.hasDataSet }

    /// The Message ID (0000,0110) of a request; nil for responses and C-CANCEL-RQ.
    public var messageID: UInt16? { (command as? any DIMSERequest)?.messageID }

    /// The Message ID Being Responded To (0000,0120) of a response or a C-CANCEL-RQ; nil for
    /// other requests.
    public var messageIDBeingRespondedTo: UInt16? {
        if case .cCancelRequest(let message) = self { return message.messageIDBeingRespondedTo }
        return (command as? any DIMSEResponse)?.messageIDBeingRespondedTo
    }

    /// The Status (0000,0900) of a response; nil for requests.
    public var status: DIMSEStatus? { (command as? any DIMSEResponse)?.status }
}
