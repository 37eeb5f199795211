/// The Command Field (0000,0100): which DIMSE operation a message conveys (PS3.7 §E.1, Table
/// E.1-1; PS3.7 §9.3 and §10.3).
///
/// A raw-value struct rather than an enum, so that a value PS3.7 does not define still decodes and
/// can be reported; ``name`` is nil for those. Bit 15 distinguishes responses from requests.
public struct CommandField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public let rawValue: UInt16

    /// Wraps a value from the wire.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    // MARK: DIMSE-C (PS3.7 §9.3)

    /// C-STORE-RQ, 0001H (PS3.7 §9.3.1.1).
    public static let cStoreRequest = CommandField(rawValue: 0x0001)
    /// C-STORE-RSP, 8001H (PS3.7 §9.3.1.2).
    public static let cStoreResponse = CommandField(rawValue: 0x8001)
    /// C-GET-RQ, 0010H (PS3.7 §9.3.3.1).
    public static let cGetRequest = CommandField(rawValue: 0x0010)
    /// C-GET-RSP, 8010H (PS3.7 §9.3.3.2).
    public static let cGetResponse = CommandField(rawValue: 0x8010)
    /// C-FIND-RQ, 0020H (PS3.7 §9.3.2.1).
    public static let cFindRequest = CommandField(rawValue: 0x0020)
    /// C-FIND-RSP, 8020H (PS3.7 §9.3.2.2).
    public static let cFindResponse = CommandField(rawValue: 0x8020)
    /// C-MOVE-RQ, 0021H (PS3.7 §9.3.4.1).
    public static let cMoveRequest = CommandField(rawValue: 0x0021)
    /// C-MOVE-RSP, 8021H (PS3.7 §9.3.4.2).
    public static let cMoveResponse = CommandField(rawValue: 0x8021)
    /// C-ECHO-RQ, 0030H (PS3.7 §9.3.5.1).
    public static let cEchoRequest = CommandField(rawValue: 0x0030)
    /// C-ECHO-RSP, 8030H (PS3.7 §9.3.5.2).
    public static let cEchoResponse = CommandField(rawValue: 0x8030)
    /// C-CANCEL-RQ, 0FFFH (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3): has no response.
    public static let cCancelRequest = CommandField(rawValue: 0x0FFF)

    // MARK: DIMSE-N (PS3.7 §10.3)

    /// N-EVENT-REPORT-RQ, 0100H (PS3.7 §10.3.1.1).
    public static let nEventReportRequest = CommandField(rawValue: 0x0100)
    /// N-EVENT-REPORT-RSP, 8100H (PS3.7 §10.3.1.2).
    public static let nEventReportResponse = CommandField(rawValue: 0x8100)
    /// N-GET-RQ, 0110H (PS3.7 §10.3.2.1).
    public static let nGetRequest = CommandField(rawValue: 0x0110)
    /// N-GET-RSP, 8110H (PS3.7 §10.3.2.2).
    public static let nGetResponse = CommandField(rawValue: 0x8110)
    /// N-SET-RQ, 0120H (PS3.7 §10.3.3.1).
    public static let nSetRequest = CommandField(rawValue: 0x0120)
    /// N-SET-RSP, 8120H (PS3.7 §10.3.3.2).
    public static let nSetResponse = CommandField(rawValue: 0x8120)
    /// N-ACTION-RQ, 0130H (PS3.7 §10.3.4.1).
    public static let nActionRequest = CommandField(rawValue: 0x0130)
    /// N-ACTION-RSP, 8130H (PS3.7 §10.3.4.2).
    public static let nActionResponse = CommandField(rawValue: 0x8130)
    /// N-CREATE-RQ, 0140H (PS3.7 §10.3.5.1).
    public static let nCreateRequest = CommandField(rawValue: 0x0140)
    /// N-CREATE-RSP, 8140H (PS3.7 §10.3.5.2).
    public static let nCreateResponse = CommandField(rawValue: 0x8140)
    /// N-DELETE-RQ, 0150H (PS3.7 §10.3.6.1).
    public static let nDeleteRequest = CommandField(rawValue: 0x0150)
    /// N-DELETE-RSP, 8150H (PS3.7 §10.3.6.2).
    public static let nDeleteResponse = CommandField(rawValue: 0x8150)

    /// Every Command Field PS3.7 Table E.1-1 defines, requests before their responses.
    public static let allDefined: [CommandField] = [
        .cStoreRequest, .cStoreResponse, .cGetRequest, .cGetResponse, .cFindRequest, .cFindResponse,
        .cMoveRequest, .cMoveResponse, .cEchoRequest, .cEchoResponse, .cCancelRequest,
        .nEventReportRequest, .nEventReportResponse, .nGetRequest, .nGetResponse, .nSetRequest,
        .nSetResponse, .nActionRequest, .nActionResponse, .nCreateRequest, .nCreateResponse,
        .nDeleteRequest, .nDeleteResponse,
    ]

    /// Whether this is a response (bit 15 set), as every -RSP of Table E.1-1 is.
    public var isResponse: Bool { rawValue & 0x8000 != 0 }

    /// The response answering this request (bit 15 set), or nil for a response, for C-CANCEL-RQ
    /// (which is never answered, PS3.7 §9.3.2.3) and for values PS3.7 does not define.
    public var response: CommandField? {
        guard !isResponse, self != .cCancelRequest, name != nil else { return nil }
        return CommandField(rawValue: rawValue | 0x8000)
    }

    /// The response to a request whose Command Field is `request`: bit 15 set. Unlike
    /// ``response`` it does not check that `request` is defined.
    static func responding(to request: CommandField) -> CommandField {
        CommandField(rawValue: request.rawValue | 0x8000)
    }

    /// The request this response answers, or nil for a request and for undefined values.
    public var request: CommandField? {
        guard isResponse, name != nil else { return nil }
        return CommandField(rawValue: rawValue & 0x7FFF)
    }

    /// The standard's name ("C-STORE-RQ"), or nil for a value PS3.7 does not define.
    public var name: String? {
        switch rawValue {
        case 0x0001: "C-STORE-RQ"
        case 0x8001: "C-STORE-RSP"
        case 0x0010: "C-GET-RQ"
        case 0x8010: "C-GET-RSP"
        case 0x0020: "C-FIND-RQ"
        case 0x8020: "C-FIND-RSP"
        case 0x0021: "C-MOVE-RQ"
        case 0x8021: "C-MOVE-RSP"
        case 0x0030: "C-ECHO-RQ"
        case 0x8030: "C-ECHO-RSP"
        case 0x0FFF: "C-CANCEL-RQ"
        case 0x0100: "N-EVENT-REPORT-RQ"
        case 0x8100: "N-EVENT-REPORT-RSP"
        case 0x0110: "N-GET-RQ"
        case 0x8110: "N-GET-RSP"
        case 0x0120: "N-SET-RQ"
        case 0x8120: "N-SET-RSP"
        case 0x0130: "N-ACTION-RQ"
        case 0x8130: "N-ACTION-RSP"
        case 0x0140: "N-CREATE-RQ"
        case 0x8140: "N-CREATE-RSP"
        case 0x0150: "N-DELETE-RQ"
        case 0x8150: "N-DELETE-RSP"
        default: nil
        }
    }

    public var description: String {
        name ?? "command field \(CommandField.hex(rawValue))"
    }

    /// "0x0FFF"-style text for diagnostics.
    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
