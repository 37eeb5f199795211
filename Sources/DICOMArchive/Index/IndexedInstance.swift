public import DICOMCore
import Foundation

/// One instance as the index records it: its place in the patient/study/series hierarchy, its
/// file, and the text of the indexed attributes.
public struct IndexedInstance: Hashable, Sendable {
    /// SOP Instance UID (0008,0018).
    public var sopInstanceUID: String
    /// SOP Class UID (0008,0016).
    public var sopClassUID: String
    /// Study Instance UID (0020,000D).
    public var studyInstanceUID: String
    /// Series Instance UID (0020,000E).
    public var seriesInstanceUID: String
    /// The file's path relative to the store's root, so that nodes sharing a store may mount it
    /// at different places.
    public var path: String
    /// The file's size in bytes.
    public var fileSize: Int
    /// The transfer syntax the file's data set is encoded in.
    public var transferSyntaxUID: String
    /// The indexed attributes' text by tag (see ``IndexSchema``), absent when unknown. Every
    /// indexed attribute has value multiplicity 1: of a malformed value with several, the first
    /// is kept, and the index matches on it alone.
    public var attributes: [Tag: String]

    /// A record of `dataSet`, an instance stored at `path` (relative to the store's root).
    ///
    /// - Throws: ``ArchiveError/Code/missingAttribute`` when the data set lacks one of the UIDs
    ///   that place it in the hierarchy.
    public init(dataSet: DataSet, path: String, fileSize: Int, transferSyntaxUID: String) throws(ArchiveError) {
        var attributes: [Tag: String] = Dictionary(minimumCapacity: IndexSchema.columns.count)
        for column in IndexSchema.columns {
            guard let first = AttributeText.firstValue(of: column.tag, in: dataSet) else { continue }
            attributes[column.tag] = IndexText.normalized(first)
        }
        func required(_ tag: Tag) throws(ArchiveError) -> String {
            guard let value = attributes[tag], !value.isEmpty else {
                throw ArchiveError(.missingAttribute, "the instance has no \(tag.keyword ?? "\(tag)") \(tag)")
            }
            return value
        }
        self.sopInstanceUID = try required(.sopInstanceUID)
        self.sopClassUID = try required(.sopClassUID)
        self.studyInstanceUID = try required(.studyInstanceUID)
        self.seriesInstanceUID = try required(.seriesInstanceUID)
        self.path = path
        self.fileSize = fileSize
        self.transferSyntaxUID = transferSyntaxUID
        self.attributes = attributes
    }

    /// The patient row's key: Patient ID, its issuer and Patient's Name, separated by
    /// backslashes (which none of the three can hold: they are single values).
    ///
    /// The name is part of it because a Patient ID alone does not tell patients apart in the
    /// data archives receive: anonymised sets give every patient the same ID or none, and two
    /// sites' IDs collide. Keyed by ID only, every study of such patients would answer with the
    /// name last stored, and a study query on a name would find the others' studies. The same
    /// expression in SQL is ``patientKeySQL``.
    var patientKey: String {
        [attributes[.patientID], attributes[.issuerOfPatientID], attributes[.patientName]].map { $0 ?? "" }.joined(separator: "\\")
    }

    /// ``patientKey`` computed from a patient row's columns.
    static let patientKeySQL = "COALESCE(patient_id, '') || '\\' || COALESCE(issuer_of_patient_id, '') || '\\' || COALESCE(patient_name, '')"
}
