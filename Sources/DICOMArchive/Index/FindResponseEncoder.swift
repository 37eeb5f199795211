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
            } else if search.table == .study, IndexSchema.studyLists.contains(key.tag) {
                (source, vr) = (.list(key.tag), DataDictionary.vr(for: key.tag))
            } else {
                source = .absent
            }
            slots.append(Slot(tag: key.tag, vr: vr, absentVR: key.vr, source: source))
        }
        if !query.keys.contains(where: { $0.tag == .retrieveAETitle }) {
            // Every response names where to retrieve from (PS3.4 C.4.1.1.3.2), asked or not.
            slots.append(Slot(tag: .retrieveAETitle, vr: .AE, absentVR: .AE, source: .fixed(aeTitle)))
        }
        slots.append(Slot(tag: .queryRetrieveLevel, vr: .CS, absentVR: .CS, source: .fixed(level.rawValue)))
        slots.append(Slot(tag: .specificCharacterSet, vr: .CS, absentVR: .CS, source: .characterSet))
        slots.sort { $0.tag < $1.tag }
        let textColumns = search.columns.indices.filter { search.columns[$0].storage == .text }
        let studyColumn = search.columns.firstIndex { $0.tag == .studyInstanceUID }
        return FindResponseEncoder(slots: slots, explicit: transferSyntax.isExplicitVR, textColumns: textColumns, studyColumn: studyColumn)
    }

    /// The response identifier of `row` (values in the statement's column order), with the
    /// per-study `lists` of the row's page: its length summed first, then every element written
    /// into one buffer of that size (as ``DataSetWriter/appendTextElement(_:_:_:explicit:to:)``
    /// writes it), without a capacity check per field.
    func encode(_ row: [SQLValue], lists: [Tag: [String: [String]]]) -> ByteBuffer {
        let unicode = textColumns.contains { position in
            guard case .text(let text?) = row[position] else { return false }
            return !text.utf8.allSatisfy { $0 < 0x80 }
        }
        var size = 0
        for slot in slots {
            switch value(of: slot, row, lists, unicode: unicode) {
            case .text(let text):
                let length = text.utf8.count
                size += headerLength(slot.vr, length + length % 2) + length + length % 2
            case .empty: size += headerLength(slot.absentVR, 0)
            case .omitted: break
            }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            var offset = 0
            for slot in slots {
                switch value(of: slot, row, lists, unicode: unicode) {
                case .text(var text):
                    text.withUTF8 { write(slot.tag, slot.vr, UnsafeRawBufferPointer($0), into: out, at: &offset) }
                case .empty:
                    write(slot.tag, slot.absentVR, UnsafeRawBufferPointer(start: nil, count: 0), into: out, at: &offset)
                case .omitted:
                    break
                }
            }
            return offset
        }
        return buffer
    }

    /// What a slot holds for a row.
    private enum Value {
        /// A value: the element with the slot's VR.
        case text(String)
        /// None: a zero-length element under the key's VR.
        case empty
        /// No element (Specific Character Set of an ASCII row).
        case omitted
    }

    private func value(of slot: Slot, _ row: [SQLValue], _ lists: [Tag: [String: [String]]], unicode: Bool) -> Value {
        switch slot.source {
        case .column(let position), .count(let position):
            switch row[position] {
            case .text(let text?) where !text.isEmpty: return .text(text)
            case .integer(let number?): return .text(String(number))
            default: return .empty
            }
        case .list(let tag):
            guard let studyColumn, case .text(let study?) = row[studyColumn], !study.isEmpty else { return .empty }
            return .text((lists[tag]?[study] ?? []).joined(separator: "\\"))
        case .fixed(let text):
            return .text(text)
        case .characterSet:
            return unicode ? .text("ISO_IR 192") : .omitted
        case .absent:
            return .empty
        }
    }

    /// The bytes of an element's tag, VR and length fields for a value of `padded` bytes.
    private func headerLength(_ vr: VR, _ padded: Int) -> Int {
        explicit && (vr.hasLongExplicitLength || padded > DataSetWriter.maximumShortLength) ? 12 : 8
    }

    /// Writes one element at `offset` of `out` (which has room): the fields of
    /// ``DataSetWriter/appendTextElement(_:_:_:explicit:to:)``, the value, its padding.
    private func write(_ tag: Tag, _ vr: VR, _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        let padded = bytes.count + bytes.count % 2
        func store<T: FixedWidthInteger>(_ value: T, bigEndian: Bool = false) {
            out.storeBytes(of: bigEndian ? value.bigEndian : value.littleEndian, toByteOffset: offset, as: T.self)
            offset += MemoryLayout<T>.size
        }
        store(tag.group)
        store(tag.element)
        if !explicit {
            store(UInt32(padded))
        } else if vr.hasLongExplicitLength || padded > DataSetWriter.maximumShortLength {
            store((vr.hasLongExplicitLength ? vr : .UN).code, bigEndian: true)
            store(UInt16(0))
            store(UInt32(padded))
        } else {
            store(vr.code, bigEndian: true)
            store(UInt16(padded))
        }
        if let base = bytes.baseAddress, !bytes.isEmpty {
            (out.baseAddress! + offset).copyMemory(from: base, byteCount: bytes.count)
            offset += bytes.count
        }
        if bytes.count % 2 == 1 { store(vr.paddingByte) }
    }
}
