import DICOMCore
import SQLKit

/// Reading the index's rows back: as ``IndexedInstance`` records, and as data sets shaped like
/// the entity they describe, which ``Query/matches(_:)`` and ``Query/response(for:)`` take.
enum IndexRow {
    /// The attributes of the tables `tables` in `row`, by tag.
    static func attributes(_ row: any SQLRow, tables: [IndexSchema.Table]) throws -> [Tag: String] {
        try attributes(row, columns: tables.flatMap(IndexSchema.columns(of:)))
    }

    /// The attributes of `columns` in `row`, by tag.
    static func attributes(_ row: any SQLRow, columns: [IndexSchema.Column]) throws -> [Tag: String] {
        var attributes: [Tag: String] = [:]
        for column in columns {
            switch column.storage {
            case .text:
                if let text = try row.decode(column: column.name, as: String?.self), !text.isEmpty {
                    attributes[column.tag] = text
                }
            case .integer:
                if let number = try row.decode(column: column.name, as: Int?.self) {
                    attributes[column.tag] = String(number)
                }
            }
        }
        return attributes
    }

    /// The instance of a row of `instance` joined with its series, study and patient.
    static func instance(_ row: any SQLRow) throws -> IndexedInstance {
        let attributes = try attributes(row, tables: IndexSchema.Table.allCases)
        return IndexedInstance(
            sopInstanceUID: try row.decode(column: "sop_instance_uid", as: String.self),
            sopClassUID: attributes[.sopClassUID] ?? "",
            studyInstanceUID: try row.decode(column: IndexSchema.Link.instanceStudy, as: String.self),
            seriesInstanceUID: try row.decode(column: IndexSchema.Link.instanceSeries, as: String.self),
            path: try row.decode(column: IndexSchema.Link.filePath, as: String.self),
            fileSize: try row.decode(column: IndexSchema.Link.fileSize, as: Int.self),
            transferSyntaxUID: try row.decode(column: IndexSchema.Link.transferSyntax, as: String.self),
            attributes: attributes)
    }

    /// A data set of `attributes` (and `computed` values), each with its dictionary VR. Text
    /// beyond ASCII is encoded in UTF-8, with Specific Character Set (0008,0005) ISO_IR 192.
    static func dataSet(_ attributes: [Tag: String], computed: [Tag: [String]] = [:]) -> DataSet {
        var dataSet = DataSet()
        let needsUnicode = attributes.values.contains { !$0.utf8.allSatisfy { $0 < 0x80 } }
        if needsUnicode {
            dataSet.setString("ISO_IR 192", for: .specificCharacterSet, vr: .CS)
        }
        for (tag, text) in attributes {
            let vr = IndexSchema.column(for: tag)?.vr ?? DataDictionary.vr(for: tag)
            dataSet.setString(text, for: tag, vr: vr)
        }
        for (tag, values) in computed {
            dataSet.setStrings(values, for: tag, vr: DataDictionary.vr(for: tag))
        }
        return dataSet
    }
}

extension IndexedInstance {
    /// A record read back from the index.
    init(
        sopInstanceUID: String, sopClassUID: String, studyInstanceUID: String, seriesInstanceUID: String,
        path: String, fileSize: Int, transferSyntaxUID: String, attributes: [Tag: String]
    ) {
        self.sopInstanceUID = sopInstanceUID
        self.sopClassUID = sopClassUID
        self.studyInstanceUID = studyInstanceUID
        self.seriesInstanceUID = seriesInstanceUID
        self.path = path
        self.fileSize = fileSize
        self.transferSyntaxUID = transferSyntaxUID
        self.attributes = attributes
    }
}
