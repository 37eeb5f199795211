/// A copy of an instance the index holds, as much of its record as replacing it needs: where it
/// sits in the hierarchy (to delete the rows it leaves without instances) and its file (to
/// remove it when the new copy is filed elsewhere). The duplicate check reads only this, from
/// the instance's own row, not the whole record from four tables.
public struct StoredCopy: Hashable, Sendable {
    /// SOP Instance UID (0008,0018).
    public var sopInstanceUID: String
    /// Study Instance UID (0020,000D).
    public var studyInstanceUID: String
    /// Series Instance UID (0020,000E).
    public var seriesInstanceUID: String
    /// The file's path relative to the store's root.
    public var path: String
    /// The file's size in bytes.
    public var fileSize: Int
    /// The key of its study's patient row (``IndexedInstance/patientKey``); nil when the study
    /// row is missing.
    var patientKey: String?
}

extension IndexedInstance {
    /// The copy this record describes.
    var storedCopy: StoredCopy {
        StoredCopy(
            sopInstanceUID: sopInstanceUID, studyInstanceUID: studyInstanceUID, seriesInstanceUID: seriesInstanceUID,
            path: path, fileSize: fileSize, patientKey: patientKey)
    }
}

extension StoredCopy {
    /// The columns the duplicate check reads, in this order: the instance's row and its study's
    /// patient key, found by the instance table's primary key and the study's.
    static let columns = [
        IndexSchema.Link.instanceStudy, IndexSchema.Link.instanceSeries, IndexSchema.Link.filePath,
        IndexSchema.Link.fileSize, IndexSchema.Link.studyPatient,
    ]

    /// The `SELECT` of ``columns``, to which a `WHERE` on `instance.sop_instance_uid` is added.
    static let select = """
        SELECT \(columns.joined(separator: ", ")) FROM instance
        LEFT JOIN study ON study.study_uid = instance.\(IndexSchema.Link.instanceStudy)
        """

    /// The copy of `sopInstanceUID` from the values of ``columns``.
    init(sopInstanceUID: String, _ values: [SQLValue]) throws(ArchiveError) {
        guard values.count == Self.columns.count,
              case .text(let study?) = values[0], case .text(let series?) = values[1], case .text(let path?) = values[2],
              case .integer(let fileSize?) = values[3], case .text(let patientKey) = values[4]
        else {
            throw ArchiveError(.database, "the index's row of \(sopInstanceUID) is incomplete")
        }
        self.init(
            sopInstanceUID: sopInstanceUID, studyInstanceUID: study, seriesInstanceUID: series,
            path: path, fileSize: fileSize, patientKey: patientKey)
    }
}
