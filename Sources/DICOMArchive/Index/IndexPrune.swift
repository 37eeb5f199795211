import SQLKit

/// Deleting the series, study and patient rows left without children when an instance is
/// removed, or replaced by a copy filed under another series, study or patient.
enum IndexPrune {
    /// The tables that lose rows this way, children first.
    static let parents: [IndexSchema.Table] = [.series, .study, .patient]

    /// The rows (table and key) that may have lost their last child when `previous` was removed
    /// or replaced by `replacement`: only those the replacement does not stay under, so that
    /// replacing an instance in place deletes nothing.
    static func emptied(by previous: StoredCopy, replacedWith replacement: IndexedInstance?) -> [(IndexSchema.Table, String)] {
        var rows: [(IndexSchema.Table, String)] = []
        if previous.seriesInstanceUID != replacement?.seriesInstanceUID { rows.append((.series, previous.seriesInstanceUID)) }
        if previous.studyInstanceUID != replacement?.studyInstanceUID { rows.append((.study, previous.studyInstanceUID)) }
        if let patientKey = previous.patientKey, patientKey != replacement?.patientKey { rows.append((.patient, patientKey)) }
        return rows
    }

    /// The `DELETE` of `table`'s row whose key is `placeholder` if it has no child.
    static func text(_ table: IndexSchema.Table, placeholder: String) -> String {
        let (child, link) = child(of: table)
        return "DELETE FROM \(table.rawValue) WHERE \(table.key) = \(placeholder) AND NOT EXISTS (SELECT 1 FROM \(child.rawValue) WHERE \(link) = \(placeholder))"
    }

    /// ``text(_:placeholder:)`` with `key` bound, through SQLKit.
    static func sql(_ table: IndexSchema.Table, key: String) -> SQLQueryString {
        let (child, link) = child(of: table)
        return "DELETE FROM \(unsafeRaw: table.rawValue) WHERE \(unsafeRaw: table.key) = \(bind: key) AND NOT EXISTS (SELECT 1 FROM \(unsafeRaw: child.rawValue) WHERE \(unsafeRaw: link) = \(bind: key))"
    }

    /// The table of `table`'s children and the column linking them to it.
    private static func child(of table: IndexSchema.Table) -> (IndexSchema.Table, String) {
        switch table {
        case .patient: (.study, IndexSchema.Link.studyPatient)
        case .study: (.series, IndexSchema.Link.seriesStudy)
        case .series, .instance: (.instance, IndexSchema.Link.instanceSeries)
        }
    }
}
