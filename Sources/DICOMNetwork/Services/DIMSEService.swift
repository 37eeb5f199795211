public import DICOMNetworkCore

/// One DIMSE service of PS3.7: the operations and notifications that SOP classes are made of
/// (PS3.7 §9.1 for DIMSE-C, §10.1 for DIMSE-N).
public enum DIMSEService: String, Hashable, Sendable, CaseIterable {
    case cEcho = "C-ECHO"
    case cStore = "C-STORE"
    case cFind = "C-FIND"
    case cGet = "C-GET"
    case cMove = "C-MOVE"
    /// C-CANCEL, which stops a C-FIND, C-GET or C-MOVE under way (PS3.7 §9.3.2.3).
    case cCancel = "C-CANCEL"
    case nEventReport = "N-EVENT-REPORT"
    case nGet = "N-GET"
    case nSet = "N-SET"
    case nAction = "N-ACTION"
    case nCreate = "N-CREATE"
    case nDelete = "N-DELETE"

    /// The Command Field of the service's request message (PS3.7 Table E.1-1).
    public var requestCommandField: CommandField {
        switch self {
        case .cEcho: .cEchoRequest
        case .cStore: .cStoreRequest
        case .cFind: .cFindRequest
        case .cGet: .cGetRequest
        case .cMove: .cMoveRequest
        case .cCancel: .cCancelRequest
        case .nEventReport: .nEventReportRequest
        case .nGet: .nGetRequest
        case .nSet: .nSetRequest
        case .nAction: .nActionRequest
        case .nCreate: .nCreateRequest
        case .nDelete: .nDeleteRequest
        }
    }

    /// Whether this is a DIMSE-N service (PS3.7 §10), answered by ``ServiceHandlers/nService``.
    public var isNormalized: Bool {
        switch self {
        case .nEventReport, .nGet, .nSet, .nAction, .nCreate, .nDelete: true
        case .cEcho, .cStore, .cFind, .cGet, .cMove, .cCancel: false
        }
    }
}

extension DIMSEService: CustomStringConvertible {
    /// The name as PS3.7 writes it: "C-STORE", "N-EVENT-REPORT".
    public var description: String { rawValue }
}
