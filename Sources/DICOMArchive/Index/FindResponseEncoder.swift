import DICOMCore
import NIOCore

/// Writes the identifier of a C-FIND response straight from an index row into its bytes, in
/// Explicit or Implicit VR Little Endian, without a `DataSet` for the row or for the response:
/// for a page of study rows those two data sets and their encoding cost more than the SQL.
///
/// The bytes are those of ``Query/response(for:)`` applied to ``IndexRow/dataSet(_:computed:)``
/// of the same row and encoded (with the Retrieve AE Title and Instance Availability the
/// service supplies): every key of the query in tag order, with the row's value under the
/// column's VR (the dictionary's for counts and lists), or zero length under the key's VR when
/// the row has none; Query/Retrieve Level; Specific Character Set ISO_IR 192 when a value read
/// is beyond ASCII (the index keeps UTF-8). Queries with sequence keys, and the image level,
/// keep the data set path (``make(for:search:aeTitle:transferSyntax:)`` returns nil).
struct FindResponseEncoder: Sendable {
    /// Where an element of the response takes its value from.
    enum Source: Sendable {
        /// The row's value at this position (a column); absent when NULL or empty.
        case column(Int)
        /// A count computed for the row, at this position.
        case count(Int)
        /// A list computed per study (Modalities in Study…): present (empty when the study has
        /// none) for a row with its Study Instance UID.
        case list(Tag)
        /// A value the service supplies.
        case fixed(String)
        /// Specific Character Set: present only when a value read is beyond ASCII.
        case characterSet
        /// A key the row cannot answer: zero length.
        case absent
    }

    /// One element of the response.
    struct Slot: Sendable {
        var tag: Tag
        /// The VR when the value is present (the row's element's VR).
        var vr: VR
        /// The VR when the value is absent (the key's).
        var absentVR: VR
        var source: Source
    }

    let slots: [Slot]
    let explicit: Bool
    /// The positions of the row's text columns: any beyond ASCII makes the response ISO_IR 192.
    let textColumns: [Int]
    /// The position of the Study Instance UID column, for the per-study lists.
    let studyColumn: Int?

    /// The encoder for `query`'s responses from the rows of `search`, or nil when the data set
    /// path must answer (image level, sequence keys, a syntax other than little endian).
    static func make(for query: Query, search: IndexSearch, aeTitle: String, transferSyntax: TransferSyntax) -> FindResponseEncoder? {
        guard search.level != .image, !transferSyntax.isBigEndian, !transferSyntax.isDeflated, let level = query.level else { return nil }
        guard !query.keys.contains(where: { key in
            if case .sequence = key.matching { return true }
            return key.vr == .SQ
        }) else { return nil }
        let countsStart = search.columns.count + (search.table == .patient ? 1 : 0)
        var slots: [Slot] = []
        for key in query.keys {
            let source: Source
            var vr = key.vr
            if key.tag == .retrieveAETitle {
                (source, vr) = (.fixed(aeTitle), .AE)
            } else if key.tag == .instanceAvailability {
                (source, vr) = (.fixed("ONLINE"), .CS)
            } else if let position = search.columns.firstIndex(where: { $0.tag == key.tag }) {
                (source, vr) = (.column(position), search.columns[position].vr)
            } else if let position = search.computed.firstIndex(where: { $0.tag == key.tag }) {
                (source, vr) = (.count(countsStart + position), DataDictionary.vr(for: key.tag))
            } else if search.table == .study, [Tag.modalitiesInStudy, .sopClassesInStudy].contains(key.tag) {
                (source, vr) = (.list(key.tag), DataDictionary.vr(for: key.tag))
            } else {
                source = .absent
            }
            slots.append(Slot(tag: key.tag, vr: vr, absentVR: key.vr, source: source))
        }
        slots.append(Slot(tag: .queryRetrieveLevel, vr: .CS, absentVR: .CS, source: .fixed(level.rawValue)))
        slots.append(Slot(tag: .specificCharacterSet, vr: .CS, absentVR: .CS, source: .characterSet))
        slots.sort { $0.tag < $1.tag }
        let textColumns = search.columns.indices.filter { search.columns[$0].storage == .text }
        let studyColumn = search.columns.firstIndex { $0.tag == .studyInstanceUID }
        return FindResponseEncoder(slots: slots, explicit: transferSyntax.isExplicitVR, textColumns: textColumns, studyColumn: studyColumn)
    }

    /// The response identifier of `row` (values in the statement's column order), with the
    /// per-study `lists` of the row's page.
    func encode(_ row: [SQLValue], lists: [Tag: [String: [String]]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        let unicode = textColumns.contains { position in
            guard case .text(let text?) = row[position] else { return false }
            return !text.utf8.allSatisfy { $0 < 0x80 }
        }
        for slot in slots {
            switch slot.source {
            case .column(let position), .count(let position):
                switch row[position] {
                case .text(let text?) where !text.isEmpty:
                    DataSetWriter.appendTextElement(slot.tag, slot.vr, text, explicit: explicit, to: &buffer)
                case .integer(let number?):
                    DataSetWriter.appendTextElement(slot.tag, slot.vr, String(number), explicit: explicit, to: &buffer)
                default:
                    appendEmpty(slot.tag, slot.absentVR, to: &buffer)
                }
            case .list(let tag):
                if let studyColumn, case .text(let study?) = row[studyColumn], !study.isEmpty {
                    let values = lists[tag]?[study] ?? []
                    DataSetWriter.appendTextElement(slot.tag, slot.vr, values.joined(separator: "\\"), explicit: explicit, to: &buffer)
                } else {
                    appendEmpty(slot.tag, slot.absentVR, to: &buffer)
                }
            case .fixed(let text):
                DataSetWriter.appendTextElement(slot.tag, slot.vr, text, explicit: explicit, to: &buffer)
            case .characterSet:
                if unicode {
                    DataSetWriter.appendTextElement(slot.tag, slot.vr, "ISO_IR 192", explicit: explicit, to: &buffer)
                }
            case .absent:
                appendEmpty(slot.tag, slot.absentVR, to: &buffer)
            }
        }
        return buffer
    }

    private func appendEmpty(_ tag: Tag, _ vr: VR, to buffer: inout ByteBuffer) {
        DataSetWriter.appendTextElement(tag, vr, UnsafeRawBufferPointer(start: nil, count: 0), explicit: explicit, to: &buffer)
    }
}
