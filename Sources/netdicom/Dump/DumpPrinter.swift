import DICOMCore
import NIOCore

/// Renders data sets as text, one element per line, in the layout of DCMTK's dcmdump:
/// `(gggg,eeee) VR value  # length, VM Keyword`, items and their elements indented.
struct DumpPrinter {
    /// Values longer than this many characters are shortened with "..."; nil prints them whole.
    var maximumValueLength: Int?

    /// The column at which the `#` comment starts, when the value leaves room.
    private static let commentColumn = 56
    /// How many numbers of a binary value (OB, OW, …) to print before shortening.
    private static let binaryValuesShown = 16

    func render(_ file: DICOMFile, includeMeta: Bool) -> String {
        var lines: [String] = []
        if includeMeta, !file.fileMetaInformation.isEmpty {
            lines.append("# File meta information, Explicit VR Little Endian")
            render(file.fileMetaInformation, depth: 0, into: &lines)
            lines.append("")
        }
        lines.append("# Data set, \(file.transferSyntax)")
        render(file.dataSet, depth: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    func render(_ dataSet: DataSet, depth: Int, into lines: inout [String]) {
        for element in dataSet {
            render(element, in: dataSet, depth: depth, into: &lines)
        }
    }

    private func render(_ element: DataElement, in dataSet: DataSet, depth: Int, into lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        let keyword = keyword(for: element.tag, in: dataSet)
        switch element.value {
        case .bytes(let bytes):
            let (text, multiplicity) = value(of: element, bytes: bytes, in: dataSet)
            lines.append(line(indent, element.tag, element.vr.rawValue, text, length: String(bytes.readableBytes), multiplicity: multiplicity, keyword))
        case .sequence(let items):
            let form = element.hasUndefinedLength ? "undefined" : "explicit"
            lines.append(line(indent, element.tag, element.vr.rawValue, "(Sequence with \(form) length #=\(items.count))",
                              length: element.hasUndefinedLength ? "u/l" : "-", multiplicity: 1, keyword))
            for item in items {
                let itemForm = item.itemHasUndefinedLength ? "undefined" : "explicit"
                lines.append(line(indent + "  ", .item, "na", "(Item with \(itemForm) length #=\(item.count))",
                                  length: item.itemHasUndefinedLength ? "u/l" : "-", multiplicity: 1, "Item"))
                render(item, depth: depth + 2, into: &lines)
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
                let text = fragment.readableBytes == 0 ? "(no value available)" : hexBytes(fragment)
                lines.append(line(indent + "  ", .item, "pi", text, length: String(fragment.readableBytes), multiplicity: 1,
                                  index == 0 ? "Item (basic offset table)" : "Item"))
            }
            lines.append(line(indent, .sequenceDelimitationItem, "na", "(SequenceDelimitationItem)", length: "0", multiplicity: 0, "SequenceDelimitationItem"))
        }
    }

    // MARK: - Values

    private func value(of element: DataElement, bytes: ByteBuffer, in dataSet: DataSet) -> (String, Int) {
        guard bytes.readableBytes > 0 else { return ("(no value available)", 0) }
        let vr = element.vr
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
            let values = dataSet.strings(element.tag)
            let raw = dataSet.string(element.tag) ?? ""
            let text = "[" + raw.replacingControlCharacters() + "]"
            return (shorten(text), vr.allowsMultipleValues ? values.count : 1)
        }
        switch vr {
        case .US, .SS, .UL, .SL, .SV, .UV:
            let numbers = dataSet.integers(element.tag)
            return (shortenList(numbers.map(String.init)), numbers.count)
        case .FL, .FD:
            let numbers = dataSet.doubles(element.tag)
            return (shortenList(numbers.map { formatDouble($0) }), numbers.count)
        case .AT:
            let tags = dataSet.attributeTags(element.tag)
            return (shortenList(tags.map(\.description)), tags.count)
        case .OB, .UN:
            return (hexBytes(bytes), 1)
        case .OW, .OF, .OL, .OD, .OV:
            return (hexWords(bytes, size: vr.binaryValueSize ?? 2), 1)
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .SQ, .ST, .TM, .UC, .UI, .UR, .UT:
            return ("", 1)  // strings and sequences are handled above
        }
    }

    private func hexBytes(_ bytes: ByteBuffer) -> String {
        let shown = maximumValueLength == nil ? bytes.readableBytes : min(bytes.readableBytes, Self.binaryValuesShown)
        var parts: [String] = []
        parts.reserveCapacity(shown)
        for byte in bytes.readableBytesView.prefix(shown) {
            parts.append(hex(UInt64(byte), digits: 2))
        }
        return parts.joined(separator: "\\") + (shown < bytes.readableBytes ? "..." : "")
    }

    private func hexWords(_ bytes: ByteBuffer, size: Int) -> String {
        let count = bytes.readableBytes / size
        let shown = maximumValueLength == nil ? count : min(count, Self.binaryValuesShown)
        var parts: [String] = []
        for index in 0..<shown {
            var word: UInt64 = 0
            for byte in 0..<size {
                word |= UInt64(bytes.getInteger(at: bytes.readerIndex + index * size + byte, as: UInt8.self)!) << (8 * byte)
            }
            parts.append(hex(word, digits: size * 2))
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

    private func shorten(_ text: String) -> String {
        guard let maximumValueLength, text.count > maximumValueLength else { return text }
        return String(text.prefix(maximumValueLength)) + "..."
    }

    private func shortenList(_ values: [String]) -> String {
        shorten(values.joined(separator: "\\"))
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
        var text = indent + tag.description + " " + vr + " " + value
        let pad = Self.commentColumn - text.count
        text += pad > 0 ? String(repeating: " ", count: pad) : " "
        let lengthField = String(repeating: " ", count: max(0, 4 - length.count)) + length
        return text + "# " + lengthField + ", " + String(multiplicity) + " " + keyword
    }
}

extension String {
    /// Control characters (CR, LF, TAB… in LT/ST/UT text) shown as `.` so each element stays one line.
    func replacingControlCharacters() -> String {
        String(unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "." : Character($0) })
    }
}
