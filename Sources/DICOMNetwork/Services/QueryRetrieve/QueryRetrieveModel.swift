public import DICOMCore

/// A Query/Retrieve information model (PS3.4 C.6), with its FIND, GET and MOVE SOP classes.
public enum QueryRetrieveModel: String, Hashable, Sendable, CaseIterable {
    case patientRoot, studyRoot, patientStudyOnly
    /// Modality Worklist (PS3.4 K): FIND only.
    case modalityWorklist

    /// The C-FIND SOP class.
    public var find: UID {
        switch self {
        case .patientRoot: .patientRootQueryRetrieveInformationModelFind
        case .studyRoot: .studyRootQueryRetrieveInformationModelFind
        case .patientStudyOnly: .patientStudyOnlyQueryRetrieveInformationModelFind
        case .modalityWorklist: .modalityWorklistInformationModelFind
        }
    }

    /// The C-GET SOP class; nil for Modality Worklist.
    public var get: UID? {
        switch self {
        case .patientRoot: .patientRootQueryRetrieveInformationModelGet
        case .studyRoot: .studyRootQueryRetrieveInformationModelGet
        case .patientStudyOnly: .patientStudyOnlyQueryRetrieveInformationModelGet
        case .modalityWorklist: nil
        }
    }

    /// The C-MOVE SOP class; nil for Modality Worklist.
    public var move: UID? {
        switch self {
        case .patientRoot: .patientRootQueryRetrieveInformationModelMove
        case .studyRoot: .studyRootQueryRetrieveInformationModelMove
        case .patientStudyOnly: .patientStudyOnlyQueryRetrieveInformationModelMove
        case .modalityWorklist: nil
        }
    }
}

extension QueryRetrieveModel {
    /// The model whose FIND, GET or MOVE SOP class is `sopClass`; nil for another SOP class.
    public init?(sopClass: UID) {
        guard let model = Self.allCases.first(where: { $0.sopClasses.contains(sopClass) }) else { return nil }
        self = model
    }

    /// The model's SOP classes: FIND, then MOVE and GET where it has them.
    public var sopClasses: [UID] {
        [find, move, get].compactMap { $0 }
    }
}
