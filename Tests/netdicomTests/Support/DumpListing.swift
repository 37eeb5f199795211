/// One element line of a dcmdump-style listing, as `netdicom dump` and DCMTK's `dcmdump` print
/// them: `(gggg,eeee) VR value  # length,VM Keyword` (the length right-aligned in three columns,
/// the multiplicity in two), indented two spaces per level of nesting.
struct DumpLine: Hashable, Sendable, CustomStringConvertible {
    /// The indentation divided by two: 0 for the data set, 1 for items, 2 for their elements…
    var depth: Int
    /// "gggg,eeee", lower-case hexadecimal.
    var tag: String
    /// The VR column: a VR, or `na`/`pi` for items, or `??` (dcmdump's unknown VR).
    var vr: String
    /// The value as printed, without the padding before the comment.
    var value: String
    /// The length column: a number or `u/l`.
    var length: String
    /// The value multiplicity column.
    var multiplicity: Int

    var description: String {
        String(repeating: "  ", count: depth) + "(\(tag)) \(vr) \(value) # \(length), \(multiplicity)"
    }

    /// Whether the line is a sequence or item delimitation item, (fffe,e00d) or (fffe,e0dd).
    var isDelimiter: Bool { tag == "fffe,e00d" || tag == "fffe,e0dd" }

    /// The group, as a number.
    var group: UInt16 { UInt16(tag.prefix(4), radix: 16) ?? 0 }
    /// The element number, as a number.
    var element: UInt16 { UInt16(tag.suffix(4), radix: 16) ?? 0 }
}

/// Parsing listings into ``DumpLine``s.
enum DumpListing {
    /// The element lines of `output`, delimitation items dropped.
    ///
    /// Why drop them: dcmdump prints an item and a sequence delimitation line after every item
    /// and sequence, "for re-encoding" when the encoding has none, while `netdicom dump` prints
    /// only the delimiters that are in the encoding. Both print every item (`na`) and fragment
    /// (`pi`) line, and those are compared.
    ///
    /// - Parameter dataSetOnly: skip the file meta information: start after dcmdump's
    ///   `# Dicom-Data-Set` or netdicom's `# Data set` heading.
    static func lines(_ output: String, dataSetOnly: Bool = false) -> [DumpLine] {
        var result: [DumpLine] = []
        var inDataSet = !dataSetOnly
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if !inDataSet {
                inDataSet = line.hasPrefix("# Dicom-Data-Set") || line.hasPrefix("# Data set")
                continue
            }
            if let parsed = parse(Array(line.utf8)), !parsed.isDelimiter {
                result.append(parsed)
            }
        }
        return result
    }

    /// Parses one line, or returns nil for headings and anything else that is not an element.
    static func parse(_ bytes: [UInt8]) -> DumpLine? {
        let indent = bytes.prefix { $0 == UInt8(ascii: " ") }.count
        let line = Array(bytes[indent...])
        // "(gggg,eeee) VR " is 15 bytes.
        guard line.count >= 15, line[0] == UInt8(ascii: "("), line[5] == UInt8(ascii: ","),
              line[10] == UInt8(ascii: ")"), line[11] == UInt8(ascii: " "), line[14] == UInt8(ascii: " ")
        else { return nil }
        let tag = String(decoding: line[1..<10], as: UTF8.self)
        guard tag.allSatisfy({ $0 == "," || $0.isHexDigit }) else { return nil }
        let vr = String(decoding: line[12..<14], as: UTF8.self)
        let body = Array(line[15...])
        // The comment is the first "#" followed by spaces, a length (digits or u/l), ", " and a
        // multiplicity: values such as "(Sequence with explicit length #=2)" hold a "#" too.
        for index in body.indices where body[index] == UInt8(ascii: "#") {
            guard let comment = comment(in: body, from: index + 1) else { continue }
            var valueEnd = index
            while valueEnd > 0, body[valueEnd - 1] == UInt8(ascii: " ") { valueEnd -= 1 }
            return DumpLine(
                depth: indent / 2, tag: tag, vr: vr, value: String(decoding: body[..<valueEnd], as: UTF8.self),
                length: comment.length, multiplicity: comment.multiplicity)
        }
        return nil
    }

    private static func comment(in body: [UInt8], from start: Int) -> (length: String, multiplicity: Int)? {
        var index = start
        while index < body.count, body[index] == UInt8(ascii: " ") { index += 1 }
        let lengthStart = index
        while index < body.count, body[index] != UInt8(ascii: ","), body[index] != UInt8(ascii: " ") { index += 1 }
        let length = String(decoding: body[lengthStart..<index], as: UTF8.self)
        guard length == "u/l" || (!length.isEmpty && length.allSatisfy(\.isNumber)) else { return nil }
        // "," then the multiplicity right-aligned in two columns: ", 1" or ",15".
        guard index < body.count, body[index] == UInt8(ascii: ",") else { return nil }
        index += 1
        while index < body.count, body[index] == UInt8(ascii: " ") { index += 1 }
        let multiplicityStart = index
        while index < body.count, body[index] >= UInt8(ascii: "0"), body[index] <= UInt8(ascii: "9") { index += 1 }
        guard index > multiplicityStart, index == body.count || body[index] == UInt8(ascii: " "),
              let multiplicity = Int(String(decoding: body[multiplicityStart..<index], as: UTF8.self))
        else { return nil }
        return (length, multiplicity)
    }
}
