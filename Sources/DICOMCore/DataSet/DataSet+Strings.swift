import NIOCore

/// Reading and writing string values (PS3.5 §6.2).
extension DataSet {
    /// The character set for this data set's text: its own (0008,0005), or the inherited one.
    public var specificCharacterSet: SpecificCharacterSet {
        ownCharacterSet ?? inheritedCharacterSet ?? .defaultRepertoire
    }

    /// The whole value of a string element, decoded with the data set's character set, its
    /// padding removed (trailing spaces and NULs; leading spaces too except for LT, ST, UT, where
    /// they are significant, PS3.5 Table 6.2-1). Nil when the element is absent or not bytes.
    public func string(_ tag: Tag) -> String? {
        guard let element = self[tag], let bytes = element.bytes else { return nil }
        if let text = DataSet.plainText(bytes, vr: element.vr) {
            return text
        }
        return DataSet.trim(specificCharacterSet.decode(bytes.readableBytesView, vr: element.vr), vr: element.vr)
    }

    /// The values of a string element split at backslashes (for VRs with value multiplicity),
    /// each trimmed of padding. Empty when the element is absent or empty.
    public func strings(_ tag: Tag) -> [String] {
        guard let element = self[tag], let bytes = element.bytes, bytes.readableBytes > 0 else { return [] }
        let vr = element.vr
        if let values = DataSet.plainValues(bytes, vr: vr) {
            return values
        }
        let text = specificCharacterSet.decode(bytes.readableBytesView, vr: vr)
        guard vr.allowsMultipleValues else { return [DataSet.trim(text, vr: vr)] }
        // Split at the byte, not the Character: the delimiter is the byte 5CH (PS3.5 §6.4), and
        // grapheme breaking cost more than the rest of the accessor.
        return text.utf8.split(separator: UInt8(ascii: "\\"), omittingEmptySubsequences: false).map {
            DataSet.trim(Substring($0), vr: vr)
        }
    }

    /// The UID in a UI element, without its padding.
    public func uid(_ tag: Tag) -> UID? {
        guard let bytes = self[tag]?.bytes else { return nil }
        // The padding dropped from the bytes, so that the string is made once.
        let view = bytes.readableBytesView
        var end = view.endIndex
        while end > view.startIndex, view[end - 1] == 0 || view[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return UID(String(decoding: view[..<end], as: UTF8.self))
    }

    /// Stores `value` as a string element, encoded with the data set's character set and padded to
    /// even length with the VR's padding byte.
    public mutating func setString(_ value: String, for tag: Tag, vr: VR) {
        let encoded = vr.usesSpecificCharacterSet
            ? (specificCharacterSet.encode(value, vr: vr) ?? Array(value.utf8))
            : Array(value.utf8)
        var bytes = ByteBuffer()
        bytes.reserveCapacity(encoded.count + 1)
        bytes.writeBytes(encoded)
        if encoded.count % 2 == 1 { bytes.writeInteger(vr.paddingByte) }
        self[tag] = DataElement(tag: tag, vr: vr, bytes: bytes)
    }

    /// Stores several values joined by backslashes (PS3.5 §6.4).
    public mutating func setStrings(_ values: [String], for tag: Tag, vr: VR) {
        setString(values.joined(separator: "\\"), for: tag, vr: vr)
    }

    // MARK: - Text without a character set

    /// The trimmed value when it needs no character set: a VR that does not use one (read as
    /// UTF-8), or bytes below 80H without ESC, which read the same in every character set DICOM
    /// defines (G0 is ASCII until an escape sequence says otherwise, PS3.5 §6.1.2.5). Nil when
    /// the data set's character set must decode it. The common case, and much cheaper: no
    /// character set is copied, and padding is trimmed before decoding (spaces and NULs are
    /// single bytes), so one String is made instead of two.
    static func plainText(_ bytes: ByteBuffer, vr: VR) -> String? {
        bytes.withUnsafeReadableBytes { raw in
            guard !vr.isString || isASCIIWithoutEscape(raw) else { return nil }
            return trimmedText(raw, vr: vr)
        }
    }

    /// ``plainText(_:vr:)`` split at backslashes (for VRs with value multiplicity).
    static func plainValues(_ bytes: ByteBuffer, vr: VR) -> [String]? {
        bytes.withUnsafeReadableBytes { raw in
            guard !vr.isString || isASCIIWithoutEscape(raw) else { return nil }
            guard vr.allowsMultipleValues else { return [trimmedText(raw, vr: vr)] }
            return raw.split(separator: UInt8(ascii: "\\"), omittingEmptySubsequences: false).map {
                trimmedText(UnsafeRawBufferPointer(rebasing: $0), vr: vr)
            }
        }
    }

    private static func isASCIIWithoutEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.contains { $0 >= 0x80 || $0 == 0x1B }
    }

    private static func trimmedText(_ bytes: UnsafeRawBufferPointer, vr: VR) -> String {
        var start = 0
        var end = bytes.count
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x00 { end -= 1 }
        if trimsLeadingSpaces(vr) {
            while start < end, bytes[start] == 0x20 { start += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Whether leading spaces are padding: for every VR but LT, ST and UT (PS3.5 Table 6.2-1).
    static func trimsLeadingSpaces(_ vr: VR) -> Bool {
        switch vr {
        case .LT, .ST, .UT:
            false
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .LO, .OB, .OD, .OF, .OL, .OV, .OW, .PN,
             .SH, .SL, .SQ, .SS, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UV:
            true
        }
    }

    static func trim(_ text: String, vr: VR) -> String {
        trim(Substring(text), vr: vr)
    }

    /// `text` without its padding, trimmed byte by byte: spaces and NULs are one-byte scalars in
    /// UTF-8, so this is exact, and much cheaper than comparing Characters.
    static func trim(_ text: Substring, vr: VR) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while end > start {
            let last = utf8.index(before: end)
            guard utf8[last] == 0x20 || utf8[last] == 0x00 else { break }
            end = last
        }
        if trimsLeadingSpaces(vr) {
            while start < end, utf8[start] == 0x20 { start = utf8.index(after: start) }
        }
        if start == utf8.startIndex && end == utf8.endIndex { return String(text) }
        return String(Substring(utf8[start..<end]))
    }
}
