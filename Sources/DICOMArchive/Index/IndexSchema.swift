import DICOMCore

/// What the index keeps of each instance: the attributes Query/Retrieve keys need (PS3.4 C.6.1.1
/// and C.6.2.1: the required and unique keys of each level, plus common optional ones), as
/// columns of the tables `patient`, `study`, `series` and `instance`.
///
/// Column names are unique across the four tables, so that a join can be read back by name.
/// Text is stored as ``AttributeText`` reads it (decoded, padding stripped; every indexed
/// attribute has value multiplicity 1, and of a malformed value with several the first is kept)
/// in Unicode Normalization Form C, so that SQL comparisons and Swift's canonical-equivalence
/// comparisons agree; an absent or empty attribute is NULL. PN columns have a case-folded copy,
/// `NAME_folded`, for case-insensitive prefiltering.
enum IndexSchema {
    /// The four levels of the index, bottom to top.
    enum Table: String, CaseIterable, Sendable {
        case patient, study, series, instance

        /// The table's primary key column.
        var key: String {
            switch self {
            case .patient: "patient_key"
            case .study: "study_uid"
            case .series: "series_uid"
            case .instance: "sop_instance_uid"
            }
        }

        /// The Query/Retrieve level whose entities are this table's rows.
        var level: QueryRetrieveLevel {
            switch self {
            case .patient: .patient
            case .study: .study
            case .series: .series
            case .instance: .image
            }
        }

        /// The table of `level`; nil for the frame level.
        init?(_ level: QueryRetrieveLevel) {
            switch level {
            case .patient: self = .patient
            case .study: self = .study
            case .series: self = .series
            case .image: self = .instance
            case .frame: return nil
            }
        }

        /// How deep the level is: patient 0 … instance 3.
        var depth: Int {
            switch self {
            case .patient: 0
            case .study: 1
            case .series: 2
            case .instance: 3
            }
        }
    }

    /// How a column holds its attribute.
    enum Storage: Sendable {
        /// Text, as ``AttributeText`` reads it.
        case text
        /// An IS value as a BIGINT, so that it sorts as a number; text that is no integer is
        /// stored as NULL and the attribute is then unknown to the index.
        case integer
    }

    /// One indexed attribute.
    struct Column: Sendable {
        var tag: Tag
        var vr: VR
        var name: String
        var table: Table
        var storage: Storage = .text
        /// Whether a lower-cased copy is kept in `<name>_folded`, for case-insensitive PN
        /// prefiltering.
        var folded: Bool { vr == .PN }
    }

    /// Every indexed attribute. The unique keys (PatientID, StudyInstanceUID, SeriesInstanceUID,
    /// SOPInstanceUID) come first in their table.
    static let columns: [Column] = [
        Column(tag: .patientID, vr: .LO, name: "patient_id", table: .patient),
        Column(tag: .patientName, vr: .PN, name: "patient_name", table: .patient),
        Column(tag: .issuerOfPatientID, vr: .LO, name: "issuer_of_patient_id", table: .patient),
        Column(tag: .patientBirthDate, vr: .DA, name: "patient_birth_date", table: .patient),
        Column(tag: .patientSex, vr: .CS, name: "patient_sex", table: .patient),

        Column(tag: .studyInstanceUID, vr: .UI, name: "study_uid", table: .study),
        Column(tag: .studyDate, vr: .DA, name: "study_date", table: .study),
        Column(tag: .studyTime, vr: .TM, name: "study_time", table: .study),
        Column(tag: .accessionNumber, vr: .SH, name: "accession_number", table: .study),
        Column(tag: .studyID, vr: .SH, name: "study_id", table: .study),
        Column(tag: .studyDescription, vr: .LO, name: "study_description", table: .study),
        Column(tag: .referringPhysicianName, vr: .PN, name: "referring_physician_name", table: .study),

        Column(tag: .seriesInstanceUID, vr: .UI, name: "series_uid", table: .series),
        Column(tag: .modality, vr: .CS, name: "modality", table: .series),
        Column(tag: .seriesNumber, vr: .IS, name: "series_number", table: .series, storage: .integer),
        Column(tag: .seriesDescription, vr: .LO, name: "series_description", table: .series),
        Column(tag: .seriesDate, vr: .DA, name: "series_date", table: .series),
        Column(tag: .seriesTime, vr: .TM, name: "series_time", table: .series),
        Column(tag: .bodyPartExamined, vr: .CS, name: "body_part_examined", table: .series),

        Column(tag: .sopInstanceUID, vr: .UI, name: "sop_instance_uid", table: .instance),
        Column(tag: .sopClassUID, vr: .UI, name: "sop_class_uid", table: .instance),
        Column(tag: .instanceNumber, vr: .IS, name: "instance_number", table: .instance, storage: .integer),
        Column(tag: .contentDate, vr: .DA, name: "content_date", table: .instance),
        Column(tag: .contentTime, vr: .TM, name: "content_time", table: .instance),
    ]

    /// The columns of one table.
    static func columns(of table: Table) -> [Column] {
        columnsByDepth[table.depth]
    }

    /// ``columns(of:)`` of each table, by depth: computed once, not per instance recorded.
    private static let columnsByDepth: [[Column]] = Table.allCases.sorted { $0.depth < $1.depth }.map { table in
        columns.filter { $0.table == table }
    }

    /// The column holding `tag`, if indexed.
    static func column(for tag: Tag) -> Column? {
        columnsByTag[tag]
    }

    private static let columnsByTag: [Tag: Column] = Dictionary(uniqueKeysWithValues: columns.map { ($0.tag, $0) })

    /// Attributes computed from the index rather than stored: the counts and lists of PS3.4
    /// C.6.1.1 and C.6.2.1, with the level whose rows they describe.
    static let computed: [Tag: Table] = [
        .numberOfPatientRelatedStudies: .patient,
        .numberOfPatientRelatedSeries: .patient,
        .numberOfPatientRelatedInstances: .patient,
        .numberOfStudyRelatedSeries: .study,
        .numberOfStudyRelatedInstances: .study,
        .modalitiesInStudy: .study,
        .sopClassesInStudy: .study,
        .numberOfSeriesRelatedInstances: .series,
    ]

    /// The computed lists, made per study (``computed`` gives them the study level): unlike the
    /// counts, they are computed for study rows only.
    static let studyLists: Set<Tag> = [.modalitiesInStudy, .sopClassesInStudy]

    /// The table an attribute belongs to, stored or computed; nil for one the index does not know.
    static func table(of tag: Tag) -> Table? {
        column(for: tag)?.table ?? computed[tag]
    }

    // MARK: - Non-key columns

    /// The condition on a patient row that some study links to it. A patient row is left
    /// without studies when they all went to another key (stored again under another name or
    /// ID), or was made by an instance without a Patient's Name whose study kept its patient
    /// (``IndexUpsert``): not an entity to answer or count.
    static let patientHasStudies = "EXISTS (SELECT 1 FROM study WHERE study.study_patient_key = patient.patient_key)"

    /// The links between tables and what the instance table knows of its file.
    enum Link {
        static let studyPatient = "study_patient_key"
        static let seriesStudy = "series_study_uid"
        static let instanceSeries = "instance_series_uid"
        static let instanceStudy = "instance_study_uid"
        static let filePath = "file_path"
        static let fileSize = "file_size"
        static let transferSyntax = "transfer_syntax_uid"
        static let storedAt = "stored_at"
    }
}
