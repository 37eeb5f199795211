public import DICOMCore
public import DICOMNetwork

/// The levels of the Patient Root and Study Root information models and the hierarchical rule
/// a C-FIND identifier follows when relational queries were not negotiated (PS3.4 C.4.1.2.2.1,
/// C.4.1.3.1): a single value of the unique key of every level above the query level.
public enum QueryHierarchy {
    /// The unique key of each level (PS3.4 C.6.1.1, C.6.2.1); nil for the frame level, which
    /// only retrieves have.
    public static func uniqueKey(of level: QueryRetrieveLevel) -> Tag? {
        switch level {
        case .patient: .patientID
        case .study: .studyInstanceUID
        case .series: .seriesInstanceUID
        case .image: .sopInstanceUID
        case .frame: nil
        }
    }

    /// The query levels of `model`, top down; empty for a model without Q/R levels.
    public static func levels(of model: QueryRetrieveModel) -> [QueryRetrieveLevel] {
        switch model {
        case .patientRoot: [.patient, .study, .series, .image]
        case .studyRoot: [.study, .series, .image]
        case .patientStudyOnly: [.patient, .study]
        case .modalityWorklist: []
        }
    }

    /// The Required Keys (R) of `model`'s query levels (PS3.4 C.6.1.1, C.6.2.1, C.6.3.1): PS3.4
    /// C.2.2.1.1 has an entity whose value of one is zero length (unknown) match every key on it,
    /// "all matching against the zero length Required Key shall be considered a successful
    /// match". Patient ID is a Required Key in the Study Root model only: the Patient Root
    /// models make it the patient level's unique key, which every entity has. Empty for Modality
    /// Worklist, whose rule is the opposite (PS3.4 K.2.2.1.1.1).
    public static func requiredKeys(of model: QueryRetrieveModel) -> Set<Tag> {
        // Made once: every C-FIND asks.
        switch model {
        case .patientRoot: patientRootRequiredKeys
        case .studyRoot: studyRootRequiredKeys
        case .patientStudyOnly: patientStudyOnlyRequiredKeys
        case .modalityWorklist: []
        }
    }

    private static let patientStudyOnlyRequiredKeys: Set<Tag> = [.patientName, .studyDate, .studyTime, .accessionNumber, .studyID]
    private static let patientRootRequiredKeys = patientStudyOnlyRequiredKeys.union([.modality, .seriesNumber, .instanceNumber])
    private static let studyRootRequiredKeys = patientRootRequiredKeys.union([.patientID])

    /// The unique keys of the levels above `level` in `model` that `query` lacks, or holds with
    /// other than one value (Single Value Matching): the reasons a hierarchical query is not
    /// one. Empty for a hierarchical query.
    public static func missingUniqueKeys(in query: Query, level: QueryRetrieveLevel, model: QueryRetrieveModel) -> [Tag] {
        let levels = levels(of: model)
        guard let depth = levels.firstIndex(of: level) else { return [] }
        return levels[..<depth].compactMap(uniqueKey(of:)).filter { tag in
            guard let key = query[tag], case .single = key.matching else { return true }
            return false
        }
    }
}
