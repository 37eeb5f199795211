import NIOCore

/// Reading and writing string values (PS3.5 §6.2).
extension DataSet {
    /// The character set for this data set's text: its own (0008,0005), or the inherited one.
    public var specificCharacterSet: SpecificCharacterSet {
        if let bytes = self[.specificCharacterSet]?.bytes {
            return SpecificCharacterSet(String(decoding: bytes.readableBytesView, as: UTF8.self))
        }
        return inheritedCharacterSet ?? .defaultRepertoire
    }

    /// The whole value of a string element, decoded with the data set's character set, its
    /// padding removed (trailing spaces and NULs; leading spaces too except for LT, ST, UT, where
    /// they are significant, PS3.5 Table 6.2-1). Nil when the element is absent or not bytes.
    public func string(_ tag: Tag) -> String? {
        guard let element = self[tag], let bytes = element.bytes else { return nil }
        let text = element.vr.isString
            ? specificCharacterSet.decode(bytes.readableBytesView, vr: element.vr)
            : String(decoding: bytes.readableBytesView, as: UTF8.self)
        return DataSet.trim(text, vr: element.vr)
    }

    /// The values of a string element split at backslashes (for VRs with value multiplicity),
    /// each trimmed of padding. Empty when the element is absent or empty.
    public func strings(_ tag: Tag) -> [String] {
        guard let element = self[tag], let bytes = element.bytes, bytes.readableBytes > 0 else { return [] }
        let text = element.vr.isString
            ? specificCharacterSet.decode(bytes.readableBytesView, vr: element.vr)
            : String(decoding: bytes.readableBytesView, as: UTF8.self)
        guard element.vr.allowsMultipleValues else { return [DataSet.trim(text, vr: element.vr)] }
        return text.split(separator: "\\", omittingEmptySubsequences: false).map { DataSet.trim(String($0), vr: element.vr) }
    }

    /// The UID in a UI element, without its padding.
    public func uid(_ tag: Tag) -> UID? {
        guard let bytes = self[tag]?.bytes else { return nil }
        return UID(String(decoding: bytes.readableBytesView, as: UTF8.self))
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

    static func trim(_ text: String, vr: VR) -> String {
        switch vr {
        case .LT, .ST, .UT:
            var scalars = Substring(text)
            while let last = scalars.last, last == " " || last == "\0" { scalars.removeLast() }
            return String(scalars)
        case .AE, .AS, .AT, .CS, .DA, .DS, .DT, .FL, .FD, .IS, .LO, .OB, .OD, .OF, .OL, .OV, .OW, .PN,
             .SH, .SL, .SQ, .SS, .SV, .TM, .UC, .UI, .UL, .UN, .UR, .US, .UV:
            return text.trimmingDICOMPadding()
        }
    }
}
