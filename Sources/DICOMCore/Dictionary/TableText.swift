/// Reading the tab-separated tables that scripts/generate-dictionary.py writes into
/// `Generated/`. The tables are text rather than array literals so that the compiler does not
/// type-check thousands of elements; they are parsed once, on first use.
///
/// Parsing is on the startup path of every tool that prints or reads implicit VR (20 ms of a
/// 45 ms `netdicom dump` once), so rows are scanned as bytes of the literal, without an array
/// or a string per field.
enum TableText {
    /// Calls `body` with each non-empty line of `text`, split at tabs.
    static func forEachRow(in text: String, _ body: (TableRow) -> Void) {
        // A string literal is contiguous UTF-8; the copy is for any other string.
        if text.utf8.withContiguousStorageIfAvailable({ forEachRow(in: $0, body) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { forEachRow(in: $0, body) }
        }
    }

    private static func forEachRow(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil, _ body: (TableRow) -> Void) {
        var row = TableRow(bytes: bytes)
        let range = range ?? 0..<bytes.count
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            row.fields.removeAll(keepingCapacity: true)
            var fieldStart = lineStart
            var end = lineStart
            while end < range.upperBound, bytes[end] != UInt8(ascii: "\n") {
                if bytes[end] == UInt8(ascii: "\t") {
                    row.fields.append(fieldStart..<end)
                    fieldStart = end + 1
                }
                end += 1
            }
            if end > lineStart {
                row.fields.append(fieldStart..<end)
                body(row)
            }
            lineStart = end + 1
        }
    }
}

extension TableText {
    /// `body` applied to the row of `text` that starts at byte `offset` (a ``TableRow/start``
    /// seen before); nil past the end.
    static func row<T>(in text: String, startingAt offset: Int, _ body: (TableRow) -> T) -> T? {
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> T? {
            guard offset >= 0, offset < bytes.count else { return nil }
            var end = offset
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var result: T?
            // The row keeps offsets into the whole text, as forEachRow's do.
            forEachRow(in: bytes, range: offset..<end) { result = body($0) }
            return result
        }
        if let found = text.utf8.withContiguousStorageIfAvailable(parse) { return found }
        return Array(text.utf8).withUnsafeBufferPointer(parse)
    }

    /// FNV-1a, 64 bits, of `bytes`: how rows are indexed by a text field without making a
    /// string of every row's field (``TableRow/hash(_:)``).
    static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// One line of a generated table: its tab-separated fields, read from the table's bytes.
struct TableRow {
    fileprivate let bytes: UnsafeBufferPointer<UInt8>
    /// Where each field lies in `bytes`.
    fileprivate var fields: [Range<Int>] = []

    fileprivate init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        fields.reserveCapacity(8)
    }

    /// The number of fields.
    var count: Int { fields.count }

    /// The text of field `index`.
    func string(_ index: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[index]]), as: UTF8.self)
    }

    /// Whether field `index` is empty.
    func isEmpty(_ index: Int) -> Bool {
        fields[index].isEmpty
    }

    /// Whether field `index` is exactly `text` (ASCII).
    func field(_ index: Int, is text: StaticString) -> Bool {
        let range = fields[index]
        guard range.count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            zip(bytes[range], expected).allSatisfy { $0 == $1 }
        }
    }

    /// `"US/SS"` → `(.US, [.SS])`; an empty field (the delimiters of group FFFE) → `(.UN, [])`.
    func vrs(_ index: Int) -> (vr: VR, alternatives: [VR]) {
        var first: VR?
        var alternatives: [VR] = []
        var partStart = fields[index].lowerBound
        for position in fields[index].lowerBound...fields[index].upperBound
        where position == fields[index].upperBound || bytes[position] == UInt8(ascii: "/") {
            if position > partStart {
                let vr = position - partStart == 2
                    ? VR(code: UInt16(bytes[partStart]) << 8 | UInt16(bytes[partStart + 1])) ?? .UN : .UN
                if first == nil { first = vr } else { alternatives.append(vr) }
            }
            partStart = position + 1
        }
        return (first ?? .UN, alternatives)
    }

    /// Where the row starts in its table's text, for ``TableText/row(in:startingAt:_:)``.
    var start: Int { fields[0].lowerBound }

    /// ``TableText/hash(_:)`` of field `index`'s bytes.
    func hash(_ index: Int) -> UInt64 {
        TableText.hash(bytes[fields[index]])
    }

    /// Whether field `index` is exactly `text`.
    func field(_ index: Int, equals text: String) -> Bool {
        bytes[fields[index]].elementsEqual(text.utf8)
    }

    /// The first VR of a VRs field, as ``vrs(_:)`` reads it, without the alternatives.
    func firstVR(_ index: Int) -> VR {
        let range = fields[index]
        guard range.count >= 2, range.count == 2 || bytes[range.lowerBound + 2] == UInt8(ascii: "/") else { return .UN }
        return VR(code: UInt16(bytes[range.lowerBound]) << 8 | UInt16(bytes[range.lowerBound + 1])) ?? .UN
    }

    /// The VM column; the generator checks every value, so a bad one is a generator bug.
    func multiplicity(_ index: Int) -> ValueMultiplicity {
        if field(index, is: "1") { return .one }
        guard let multiplicity = ValueMultiplicity(string(index)) else {
            preconditionFailure("generated table has an unreadable VM '\(string(index))'")
        }
        return multiplicity
    }

    /// A hexadecimal field of eight digits in which `x` stands for any digit: the value with
    /// each `x` read as 0, and the mask with 0 under each `x` and F elsewhere.
    func pattern(_ index: Int) -> (value: UInt32, mask: UInt32) {
        var value: UInt32 = 0
        var mask: UInt32 = 0
        for character in bytes[fields[index]] {
            value <<= 4
            mask <<= 4
            if character != UInt8(ascii: "x") {
                let digit: UInt32
                switch character {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(character - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(character - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(character - UInt8(ascii: "A") + 10)
                default: preconditionFailure("generated table has an unreadable tag '\(string(index))'")
                }
                value |= digit
                mask |= 0xF
            }
        }
        return (value, mask)
    }

    /// A hexadecimal field without `x`: a tag.
    func hexadecimal(_ index: Int) -> UInt32 {
        let (value, mask) = pattern(index)
        precondition(mask == 0xFFFF_FFFF && fields[index].count == 8, "generated table has an unreadable tag '\(string(index))'")
        return value
    }
}
