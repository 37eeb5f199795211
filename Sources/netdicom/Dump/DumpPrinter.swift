import DICOMCore
import NIOCore

/// Renders data sets as text, one element per line, in the layout of DCMTK's dcmdump:
/// `(gggg,eeee) VR value  # length, VM Keyword`, items and their elements indented. Lengths,
/// multiplicities, column widths and the shortening of long values follow dcmdump's, and
/// netdicomTests checks them against it; delimitation items are printed only where the encoding
/// has them (dcmdump prints one after every item and sequence).
struct DumpPrinter {
    /// Values whose text (brackets included) is longer than this many characters are shortened
    /// with "..."; nil prints them whole. dcmdump's limit is 70.
    var maximumValueLength: Int?

    /// The VRs whose value is one string of bytes or numbers, never several (PS3.5 §6.4).
    private static let singleValueVRs: Set<VR> = [.OB, .OD, .OF, .OL, .OV, .OW, .UN]

    /// The column at which the `#` comment starts, after the indentation, when the value leaves
    /// room (as dcmdump places it).
    private static let commentColumn = 56

    func render(_ file: DICOMFile, includeMeta: Bool) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(4096)
        if includeMeta, !file.fileMetaInformation.isEmpty {
            text.append(contentsOf: "# File meta information, Explicit VR Little Endian\n".utf8)
            render(file.fileMetaInformation, syntax: .explicitVRLittleEndian, depth: 0, into: &text)
            text.append(Self.newline)
        }
        text.append(contentsOf: "# Data set, \(file.transferSyntax)\n".utf8)
        render(file.dataSet, syntax: file.transferSyntax, depth: 0, into: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The elements of `file` with each of `tags` in turn, in the meta information, the data
    /// set and every item of its sequences, each as its line (a sequence with its items), as
    /// dcmdump's +P prints them; with `firstOnly`, only the first of each tag (its -s).
    func renderSearch(_ file: DICOMFile, for tags: [Tag], firstOnly: Bool) -> String {
        var text: [UInt8] = []
        /// Renders the elements with `tag` in `dataSet` and its items; false once `firstOnly` is met.
        func search(_ tag: Tag, in dataSet: DataSet, syntax: TransferSyntax) -> Bool {
            for element in dataSet {
                if element.tag == tag {
                    render(element, in: dataSet, syntax: syntax, depth: 0, into: &text)
                    if firstOnly { return false }
                }
                if case .sequence(let items) = element.value {
                    let itemSyntax: TransferSyntax = element.vr == .UN ? .implicitVRLittleEndian : syntax
                    for item in items where !search(tag, in: item, syntax: itemSyntax) { return false }
                }
            }
            return true
        }
        for tag in tags where search(tag, in: file.fileMetaInformation, syntax: .explicitVRLittleEndian) {
            _ = search(tag, in: file.dataSet, syntax: file.transferSyntax)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Renders the elements of `dataSet`, encoded in `syntax` (for the lengths of sequences and
    /// items, which the data set does not keep), `depth` levels of items deep: one line each,
    /// every line ended by a newline, appended to `text` as UTF-8. Bytes, not Strings: findscu
    /// prints every match, and building a String per line and value cost more than the C-FIND.
    func render(_ dataSet: DataSet, syntax: TransferSyntax, depth: Int, into text: inout [UInt8]) {
        for element in dataSet {
            render(element, in: dataSet, syntax: syntax, depth: depth, into: &text)
        }
    }

    private func render(_ element: DataElement, in dataSet: DataSet, syntax: TransferSyntax, depth: Int, into text: inout [UInt8]) {
        let keyword = keyword(for: element.tag, in: dataSet)
        switch element.value {
        case .bytes(let bytes):
            let start = beginLine(depth, element.tag, element.vr.rawValue, into: &text)
            let multiplicity: Int
            if let plain = plainString(element.vr, bytes, into: &text) {
                multiplicity = plain
            } else {
                let (value, count) = value(of: element, bytes: bytes, in: dataSet)
                text.append(contentsOf: value.utf8)
                multiplicity = count
            }
            endLine(from: start, length: bytes.readableBytes, multiplicity: multiplicity, keyword, into: &text)
        case .sequence(let items):
            // The items of a UN sequence are Implicit VR Little Endian (PS3.5 §6.2.2).
            let itemSyntax: TransferSyntax = element.vr == .UN ? .implicitVRLittleEndian : syntax
            let form = element.hasUndefinedLength ? "undefined" : "explicit"
            let sequenceLength = element.hasUndefinedLength ? nil : items.reduce(0) { $0 + Self.encodedLength(of: $1, syntax: itemSyntax) }
            line(depth, element.tag, element.vr.rawValue, "(Sequence with \(form) length #=\(items.count))",
                 length: sequenceLength, multiplicity: 1, keyword, into: &text)
            for item in items {
                let itemForm = item.itemHasUndefinedLength ? "undefined" : "explicit"
                let itemLength = item.itemHasUndefinedLength ? nil : DataSetWriter.encodedLength(of: item, transferSyntax: itemSyntax)
                line(depth + 1, .item, "na", "(Item with \(itemForm) length #=\(item.count))",
                     length: itemLength, multiplicity: 1, "Item", into: &text)
                render(item, syntax: itemSyntax, depth: depth + 2, into: &text)
                if item.itemHasUndefinedLength {
                    line(depth + 1, .itemDelimitationItem, "na", "(ItemDelimitationItem)", length: 0, multiplicity: 0, "ItemDelimitationItem", into: &text)
                }
            }
            if element.hasUndefinedLength {
                line(depth, .sequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length: 0, multiplicity: 0, "SequenceDelimitationItem", into: &text)
            }
        case .fragments(let fragments):
            let all = [fragments.basicOffsetTable] + fragments.fragments
            line(depth, element.tag, element.vr.rawValue, "(PixelSequence #=\(all.count))", length: nil, multiplicity: 1, keyword, into: &text)
            for (index, fragment) in all.enumerated() {
                let value = fragment.readableBytes == 0 ? "(no value available)" : hexNumbers(fragment, size: 1)
                line(depth + 1, .item, "pi", value, length: fragment.readableBytes, multiplicity: 1,
                     index == 0 ? "Item (basic offset table)" : "Item", into: &text)
            }
            line(depth, .sequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length: 0, multiplicity: 0, "SequenceDelimitationItem", into: &text)
        }
    }

    /// The value of a non-empty string element (UI aside) written straight from its bytes, when
    /// they are ASCII without ESC (which read the same in every DICOM character set, PS3.5
    /// §6.1.2.5): `[value]`, padding trimmed, control characters as `.`, shortened as
    /// ``shorten(_:)`` does; returns the value multiplicity. Nil, writing nothing, when the text
    /// needs the String path (another VR, an empty value, other bytes).
    private func plainString(_ vr: VR, _ bytes: ByteBuffer, into text: inout [UInt8]) -> Int? {
        guard vr.isString, vr != .UI, bytes.readableBytes > 0 else { return nil }
        return bytes.withUnsafeReadableBytes { raw -> Int? in
            guard !raw.contains(where: { $0 >= 0x80 || $0 == 0x1B }) else { return nil }
            var start = 0
            var end = raw.count
            while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x00 { end -= 1 }
            // Leading spaces are padding too, except in LT, ST and UT (PS3.5 Table 6.2-1).
            if vr != .LT, vr != .ST, vr != .UT {
                while start < end, raw[start] == 0x20 { start += 1 }
            }
            // Only padding: no value (PS3.5 §6.2, spaces are padding), as dcmdump counts it.
            guard end > start else { return nil }
            let value = UnsafeRawBufferPointer(rebasing: raw[start..<end])
            let count = vr.allowsMultipleValues ? value.reduce(1) { $1 == UInt8(ascii: "\\") ? $0 + 1 : $0 } : 1
            // "[" + value + "]", or its first maximumValueLength - 3 characters and "...".
            var shown = value.count + 2
            var cut = false
            if let maximumValueLength, shown > maximumValueLength {
                shown = max(0, maximumValueLength - 3)
                cut = true
            }
            if shown > 0 { text.append(UInt8(ascii: "[")) }
            for byte in value.prefix(max(0, shown - 1)) {
                text.append(byte < 0x20 || byte == 0x7F ? UInt8(ascii: ".") : byte)
            }
            if shown == value.count + 2 {
                text.append(UInt8(ascii: "]"))
            }
            if cut { text.append(contentsOf: "...".utf8) }
            return count
        }
    }

    /// The bytes an item takes in a sequence: its header, its elements and, for an item of
    /// undefined length, its delimitation item (PS3.5 §7.5).
    private static func encodedLength(of item: DataSet, syntax: TransferSyntax) -> Int {
        8 + DataSetWriter.encodedLength(of: item, transferSyntax: syntax) + (item.itemHasUndefinedLength ? 8 : 0)
    }

    // MARK: - Values

    private func value(of element: DataElement, bytes: ByteBuffer, in dataSet: DataSet) -> (String, Int) {
        let vr = element.vr
        guard bytes.readableBytes > 0 else {
            // An empty OB, OW, UN… is still one (empty) value, as dcmdump counts it.
            return ("(no value available)", Self.singleValueVRs.contains(vr) ? 1 : 0)
        }
        if vr == .UI {
            let uids = dataSet.strings(element.tag)
            let shown = uids.map { uid -> String in
                if let keyword = UIDRegistry.entry(for: UID(uid))?.keyword { return "=" + keyword }
                return uid
            }
            let text = shown.count == 1 && shown[0].hasPrefix("=") ? shown[0] : "[" + shown.joined(separator: "\\") + "]"
            return (shorten(text), uids.count)
        }
        if vr.isString {
            // One decode: the values are the backslash-separated parts of the whole value.
            let raw = dataSet.string(element.tag) ?? ""
            // Only padding: no value (PS3.5 §6.2, spaces are padding), as dcmdump counts it.
            if raw.isEmpty { return ("(no value available)", 0) }
            let count = vr.allowsMultipleValues ? raw.utf8.reduce(1) { $1 == UInt8(ascii: "\\") ? $0 + 1 : $0 } : 1
            let text = "[" + raw.replacingControlCharacters() + "]"
            return (shorten(text), count)
        }
        switch vr {
        case .US, .SS, .UL, .SL, .SV, .UV:
            let numbers = dataSet.integers(element.tag)
            return (shortenList(numbers.map(String.init)), numbers.count)
        case .FL:
            // Shortest text that reads back as the same Float, not the Double it widens to.
            let numbers = dataSet.doubles(element.tag).map { Float($0) }
            return (shortenList(numbers.map { $0 == $0.rounded() && abs($0) < 1e7 ? String(Int64($0)) : String($0) }), numbers.count)
        case .FD:
            let numbers = dataSet.doubles(element.tag)
            return (shortenList(numbers.map { formatDouble($0) }), numbers.count)
        case .AT:
            let tags = dataSet.attributeTags(element.tag)
            return (shortenList(tags.map(\.description)), tags.count)
        case .OB, .UN:
            return (hexNumbers(bytes, size: 1), 1)
        case .OW, .OF, .OL, .OD, .OV:
            return (hexNumbers(bytes, size: vr.binaryValueSize ?? 2), 1)
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .SQ, .ST, .TM, .UC, .UI, .UR, .UT:
            return ("", 1)  // strings and sequences are handled above
        }
    }

    /// The numbers of a binary value in hexadecimal, `size` bytes each, separated by `\`. When
    /// they do not fit, as many as fit before "..." (dcmdump's shortening).
    private func hexNumbers(_ bytes: ByteBuffer, size: Int) -> String {
        let count = bytes.readableBytes / size
        var shown = count
        if let maximumValueLength, count * (2 * size + 1) - 1 > maximumValueLength {
            shown = max(1, (maximumValueLength - 3) / (2 * size + 1))
        }
        var parts: [String] = []
        parts.reserveCapacity(shown)
        for index in 0..<shown {
            var number: UInt64 = 0
            for byte in 0..<size {
                number |= UInt64(bytes.getInteger(at: bytes.readerIndex + index * size + byte, as: UInt8.self)!) << (8 * byte)
            }
            parts.append(hex(number, digits: size * 2))
        }
        return parts.joined(separator: "\\") + (shown < count ? "..." : "")
    }

    private func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private func formatDouble(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `text` cut to `maximumValueLength` characters, the last three of them "...".
    private func shorten(_ text: String) -> String {
        guard let maximumValueLength, Self.columns(text) > maximumValueLength else { return text }
        return String(text.prefix(max(0, maximumValueLength - 3))) + "..."
    }

    /// Numbers joined by `\`; when they do not fit, as many whole numbers as fit before "..."
    /// (dcmdump cuts numbers between values, text anywhere).
    private func shortenList(_ values: [String]) -> String {
        let whole = values.joined(separator: "\\")
        guard let maximumValueLength, whole.utf8.count > maximumValueLength else { return whole }
        var width = -1
        let shown = values.prefix { value in
            width += value.utf8.count + 1
            return width <= maximumValueLength - 3
        }
        return shown.joined(separator: "\\") + "..."
    }

    // MARK: - Lines

    private func keyword(for tag: Tag, in dataSet: DataSet) -> String {
        if tag.isPrivate, !tag.isPrivateCreator, let creatorTag = tag.privateCreatorTag,
           let creator = dataSet.string(creatorTag),
           let entry = DataDictionary.entry(for: tag, privateCreator: creator) {
            return entry.keyword ?? entry.name
        }
        if let entry = DataDictionary.entry(for: tag) {
            return entry.keyword ?? entry.name
        }
        return tag.isPrivate ? "PrivateTag" : "Unknown Tag & Data"
    }

    private static let newline = UInt8(ascii: "\n")

    /// Writes a line's indentation, tag, VR and the space before the value; returns where the
    /// tag starts, for ``endLine(from:length:multiplicity:_:into:)``.
    private func beginLine(_ depth: Int, _ tag: Tag, _ vr: String, into text: inout [UInt8]) -> Int {
        for _ in 0..<(2 * depth) { text.append(UInt8(ascii: " ")) }
        let start = text.count
        text.append(UInt8(ascii: "("))
        Self.appendHex(tag.group, into: &text)
        text.append(UInt8(ascii: ","))
        Self.appendHex(tag.element, into: &text)
        text.append(UInt8(ascii: ")"))
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: vr.utf8)
        text.append(UInt8(ascii: " "))
        return start
    }

    /// Ends the line begun at `start` (the value written since): the padding to the comment
    /// column, then `# length, VM Keyword`; a nil length prints as `u/l`.
    private func endLine(from start: Int, length: Int?, multiplicity: Int, _ keyword: String, into text: inout [UInt8]) {
        // The tag, VR and value's width: the value is the only part that may not be ASCII.
        let width = Self.columns(text[start...])
        for _ in 0..<max(1, Self.commentColumn - width) { text.append(UInt8(ascii: " ")) }
        text.append(UInt8(ascii: "#"))
        text.append(UInt8(ascii: " "))
        // dcmdump's widths: three columns for the length, two for the multiplicity.
        if let length {
            let digits = Self.decimalDigits(length)
            for _ in 0..<max(0, 3 - digits) { text.append(UInt8(ascii: " ")) }
            Self.appendDecimal(length, into: &text)
        } else {
            text.append(contentsOf: "u/l".utf8)
        }
        text.append(UInt8(ascii: ","))
        if multiplicity < 10 { text.append(UInt8(ascii: " ")) }
        Self.appendDecimal(multiplicity, into: &text)
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: keyword.utf8)
        text.append(Self.newline)
    }

    private func line(_ depth: Int, _ tag: Tag, _ vr: String, _ value: String, length: Int?, multiplicity: Int, _ keyword: String, into text: inout [UInt8]) {
        let start = beginLine(depth, tag, vr, into: &text)
        text.append(contentsOf: value.utf8)
        endLine(from: start, length: length, multiplicity: multiplicity, keyword, into: &text)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt16, into text: inout [UInt8]) {
        for shift in stride(from: 12, through: 0, by: -4) {
            text.append(hexDigits[Int((value >> UInt16(shift)) & 0xF)])
        }
    }

    private static func decimalDigits(_ value: Int) -> Int {
        guard value >= 0 else { return String(value).utf8.count }
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        return digits
    }

    private static func appendDecimal(_ value: Int, into text: inout [UInt8]) {
        guard value >= 0 else { return text.append(contentsOf: String(value).utf8) }
        let digits = decimalDigits(value)
        let end = text.count + digits
        text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var rest = value
        var index = end - 1
        repeat {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
    }

    /// The width of `bytes` (UTF-8) in columns: its Characters, counted cheaply when it is ASCII.
    private static func columns(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.allSatisfy { $0 < 0x80 } ? bytes.count : String(decoding: bytes, as: UTF8.self).count
    }

    /// The width of `text` in columns: its Characters, counted cheaply when it is ASCII.
    private static func columns(_ text: String) -> Int {
        let isASCII = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? text.utf8.allSatisfy { $0 < 0x80 }
        return isASCII ? text.utf8.count : text.count
    }
}

extension String {
    /// Control characters (CR, LF, TAB… in LT/ST/UT text) shown as `.` so each element stays one line.
    func replacingControlCharacters() -> String {
        // Control characters are single bytes in UTF-8: most values have none to replace.
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return self }
        return String(unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "." : Character($0) })
    }
}
