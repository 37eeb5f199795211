import DICOMCore
import NIOCore

/// Writes data sets as the XML of DCMTK's findscu --extract-xml (its dcm2xml layout): a
/// `<data-set>` of `<element tag vr vm len name>value</element>`, and `<sequence>` of `<item>`
/// for sequences; values as text (several joined by `\`, as encoded), binary ones hidden
/// (`binary="hidden"`), as dcm2xml does unless asked for them. Text is decoded with the data
/// set's character set and written as UTF-8.
enum XMLDataSetWriter {
    /// The document of one data set: `<?xml …?>` and its `<data-set>`.
    static func document(_ dataSet: DataSet, syntax: TransferSyntax) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + dataSetElement(dataSet, syntax: syntax)
    }

    /// The document of many responses: `<responses type="…">` around their `<data-set>`s.
    static func responses(_ dataSets: [DataSet], type: String, syntax: TransferSyntax) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<responses type=\"\(escaped(type))\">\n"
        for dataSet in dataSets { text += dataSetElement(dataSet, syntax: syntax) }
        return text + "</responses>\n"
    }

    /// `<data-set xfer="UID" name="Name">` … `</data-set>`.
    static func dataSetElement(_ dataSet: DataSet, syntax: TransferSyntax) -> String {
        let name = UIDRegistry.name(for: syntax.uid) ?? syntax.uid.string
        var text = "<data-set xfer=\"\(syntax.uid.string)\" name=\"\(escaped(name))\">\n"
        write(dataSet, syntax: syntax, into: &text)
        return text + "</data-set>\n"
    }

    private static func write(_ dataSet: DataSet, syntax: TransferSyntax, into text: inout String) {
        for element in dataSet {
            let tag = String(element.tag.description.dropFirst().dropLast()).lowercased()
            let name = escaped(keyword(for: element.tag, in: dataSet))
            switch element.value {
            case .bytes(let bytes):
                let (values, binary) = Self.values(of: element, in: dataSet)
                text += "<element tag=\"\(tag)\" vr=\"\(element.vr.rawValue)\" vm=\"\(values.count)\" len=\"\(bytes.readableBytes)\" name=\"\(name)\""
                text += binary ? " binary=\"hidden\"></element>\n" : ">\(escaped(values.joined(separator: "\\")))</element>\n"
            case .sequence(let items):
                // The items of a UN sequence are Implicit VR Little Endian (PS3.5 §6.2.2).
                let itemSyntax: TransferSyntax = element.vr == .UN ? .implicitVRLittleEndian : syntax
                let length = element.hasUndefinedLength ? -1 : items.reduce(0) {
                    // Each item's header, elements and, for an item of undefined length, its delimitation item.
                    $0 + 8 + DataSetWriter.encodedLength(of: $1, transferSyntax: itemSyntax) + ($1.itemHasUndefinedLength ? 8 : 0)
                }
                text += "<sequence tag=\"\(tag)\" vr=\"\(element.vr.rawValue)\" card=\"\(items.count)\" len=\"\(length)\" name=\"\(name)\">\n"
                for item in items {
                    let itemLength = item.itemHasUndefinedLength ? -1 : DataSetWriter.encodedLength(of: item, transferSyntax: itemSyntax)
                    text += "<item card=\"\(item.count)\" len=\"\(itemLength)\">\n"
                    write(item, syntax: itemSyntax, into: &text)
                    text += "</item>\n"
                }
                text += "</sequence>\n"
            case .fragments(let fragments):
                text += "<pixel-sequence tag=\"\(tag)\" vr=\"\(element.vr.rawValue)\" card=\"\(fragments.fragments.count + 1)\" len=\"-1\" name=\"\(name)\" binary=\"hidden\"></pixel-sequence>\n"
            }
        }
    }

    /// The values of `element` as text, and whether it is binary (its values hidden).
    private static func values(of element: DataElement, in dataSet: DataSet) -> ([String], binary: Bool) {
        guard let bytes = element.bytes, bytes.readableBytes > 0 else { return ([], false) }
        switch element.vr {
        case .OB, .OD, .OF, .OL, .OV, .OW, .UN:
            return (["binary"], true)
        case .US, .SS, .UL, .SL, .SV, .UV:
            return (dataSet.integers(element.tag).map(String.init), false)
        case .FL, .FD:
            return (dataSet.doubles(element.tag).map { String($0) }, false)
        case .AT:
            return (dataSet.attributeTags(element.tag).map { String($0.description.dropFirst().dropLast()).lowercased() }, false)
        case .SQ:
            return ([], false)
        default:
            return (dataSet.strings(element.tag), false)
        }
    }

    /// The element's keyword (a private one's from its creator's dictionary), as dcm2xml names it.
    private static func keyword(for tag: Tag, in dataSet: DataSet) -> String {
        if tag.isPrivate, !tag.isPrivateCreator, let creatorTag = tag.privateCreatorTag,
           let creator = dataSet.string(creatorTag), let entry = DataDictionary.entry(for: tag, privateCreator: creator) {
            return entry.keyword ?? entry.name
        }
        if let entry = DataDictionary.entry(for: tag) { return entry.keyword ?? entry.name }
        return tag.isPrivate ? "PrivateTag" : "Unknown Tag & Data"
    }

    /// `text` with XML's special characters as entities, and the control characters XML 1.0
    /// cannot hold (all but tab, line feed and carriage return) as U+FFFD.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                result.unicodeScalars.append(scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) ? "\u{FFFD}" : scalar)
            }
        }
        return result
    }
}
