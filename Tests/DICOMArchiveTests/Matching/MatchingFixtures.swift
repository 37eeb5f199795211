import DICOMCore

/// Builders of identifiers and candidates for the matching tests.
enum MatchingFixtures {
    /// One attribute of a test data set: a tag, its VR, its text (several values joined by `\`).
    struct Attribute: Sendable {
        var tag: Tag
        var vr: VR
        var text: String

        init(_ tag: Tag, _ vr: VR, _ text: String) {
            self.tag = tag
            self.vr = vr
            self.text = text
        }
    }

    /// A data set of `attributes`, its text encoded in `characterSet` (the value of (0008,0005))
    /// when given. Binary numbers are written as binary values.
    static func dataSet(characterSet: String? = nil, _ attributes: [Attribute]) -> DataSet {
        var dataSet = DataSet()
        if let characterSet {
            dataSet.setString(characterSet, for: .specificCharacterSet, vr: .CS)
        }
        for attribute in attributes {
            dataSet.set(attribute)
        }
        return dataSet
    }

    /// A tag of each VR the tables use.
    static func tag(for vr: VR) -> Tag {
        switch vr {
        case .PN: .patientName
        case .LO: .patientID
        case .SH: .accessionNumber
        case .CS: .modality
        case .AE: .retrieveAETitle
        case .UI: .studyInstanceUID
        case .DA: .studyDate
        case .TM: .studyTime
        case .DT: .acquisitionDateTime
        case .IS: .seriesNumber
        case .DS: .patientWeight
        case .US: .rows
        case .ST: .institutionAddress
        case .AS: .patientAge
        default: Tag(0x0009_1010)
        }
    }
}

extension DataSet {
    /// Stores one test attribute.
    mutating func set(_ attribute: MatchingFixtures.Attribute) {
        switch attribute.vr {
        case .US, .SS, .UL, .SL:
            let values = attribute.text.split(separator: "\\").compactMap { Int($0) }
            try? setIntegers(values, for: attribute.tag, vr: attribute.vr)
        default:
            setString(attribute.text, for: attribute.tag, vr: attribute.vr)
        }
    }
}
