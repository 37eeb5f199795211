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
        var lines: [String] = []
        if includeMeta, !file.fileMetaInformation.isEmpty {
            lines.append("# File meta information, Explicit VR Little Endian")
            render(file.fileMetaInformation, syntax: .explicitVRLittleEndian, depth: 0, into: &lines)
            lines.append("")
        }
        lines.append("# Data set, \(file.transferSyntax)")
        render(file.dataSet, syntax: file.transferSyntax, depth: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Renders the elements of `dataSet`, encoded in `syntax` (for the lengths of sequences and
    /// items, which the data set does not keep), `depth` levels of items deep.
    func render(_ dataSet: DataSet, syntax: TransferSyntax, depth: Int, into lines: inout [String]) {
        for element in dataSet {
            render(element, in: dataSet, syntax: syntax, depth: depth, into: &lines)
        }
    }

    private func render(_ element: DataElement, in dataSet: DataSet, syntax: TransferSyntax, depth: Int, into lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        let keyword = keyword(for: element.tag, in: dataSet)
        switch element.value {
        case .bytes(let bytes):
            let (text, multiplicity) = value(of: element, bytes: bytes, in: dataSet)
            lines.append(line(indent, element.tag, element.vr.rawValue, text, length: String(bytes.readableBytes), multiplicity: multiplicity, keyword))
        case .sequence(let items):
            // The items of a UN sequence are Implicit VR Little Endian (PS3.5 §6.2.2).
            let itemSyntax: TransferSyntax = element.vr == .UN ? .implicitVRLittleEndian : syntax
            let form = element.hasUndefinedLength ? "undefined" : "explicit"
            let sequenceLength = element.hasUndefinedLength ? "u/l" : String(items.reduce(0) { $0 + Self.encodedLength(of: $1, syntax: itemSyntax) })
            lines.append(line(indent, element.tag, element.vr.rawValue, "(Sequence with \(form) length #=\(items.count))",
                              length: sequenceLength, multiplicity: 1, keyword))
            for item in items {
                let itemForm = item.itemHasUndefinedLength ? "undefined" : "explicit"
                let itemLength = item.itemHasUndefinedLength ? "u/l" : String(DataSetWriter.encodedLength(of: item, transferSyntax: itemSyntax))
                lines.append(line(indent + "  ", .item, "na", "(Item with \(itemForm) length #=\(item.count))",
                                  length: itemLength, multiplicity: 1, "Item"))
                render(item, syntax: itemSyntax, depth: depth + 2, into: &lines)
                if item.itemHasUndefinedLength {
                    lines.append(line(indent + "  ", .itemDelimitationItem, "na", "(ItemDelimitationItem)", length: "0", multiplicity: 0, "ItemDelimitationItem"))
                }
            }
            if element.hasUndefinedLength {
                lines.append(line(indent, .sequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length: "0", multiplicity: 0, "SequenceDelimitationItem"))
            }
        case .fragments(let fragments):
            let all = [fragments.basicOffsetTable] + fragments.fragments
            lines.append(line(indent, element.tag, element.vr.rawValue, "(PixelSequence #=\(all.count))", length: "u/l", multiplicity: 1, keyword))
            for (index, fragment) in all.enumerated() {
                let text = fragment.readableBytes == 0 ? "(no value available)" : hexNumbers(fragment, size: 1)
                lines.append(line(indent + "  ", .item, "pi", text, length: String(fragment.readableBytes), multiplicity: 1,
                                  index == 0 ? "Item (basic offset table)" : "Item"))
            }
            lines.append(line(indent, .sequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length: "0", multiplicity: 0, "SequenceDelimitationItem"))
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

    private func line(_ indent: String, _ tag: Tag, _ vr: String, _ value: String, length: String, multiplicity: Int, _ keyword: String) -> String {
        // Appended into one reserved string: a dump is one line per element, and building each
        // line from temporaries cost more than parsing the file.
        let tagText = tag.description
        var text = ""
        text.reserveCapacity(indent.utf8.count + value.utf8.count + keyword.utf8.count + 80)
        text += indent
        text += tagText
        text += " "
        text += vr
        text += " "
        text += value
        let pad = Self.commentColumn - (tagText.utf8.count + 2 + vr.utf8.count + Self.columns(value))
        text += Self.spaces(max(1, pad))
        text += "# "
        text += Self.spaces(max(0, 3 - length.utf8.count))
        text += length
        // dcmdump's widths: three columns for the length, two for the multiplicity.
        text += multiplicity < 10 ? ", " : ","
        text += String(multiplicity)
        text += " "
        text += keyword
        return text
    }

    /// The width of `text` in columns: its Characters, counted cheaply when it is ASCII.
    private static func columns(_ text: String) -> Int {
        let isASCII = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? text.utf8.allSatisfy { $0 < 0x80 }
        return isASCII ? text.utf8.count : text.count
    }

    private static let blanks = String(repeating: " ", count: 128)

    /// `count` spaces, without allocating for the usual widths.
    private static func spaces(_ count: Int) -> Substring {
        count <= blanks.utf8.count ? Substring(blanks.utf8.prefix(count)) : Substring(String(repeating: " ", count: count))
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
