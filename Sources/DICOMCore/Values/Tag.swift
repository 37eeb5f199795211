/// A data element tag: a (group, element) pair of 16-bit numbers (PS3.5 §7.1).
///
/// Tags order by group, then element, which is the order elements take in an encoded data set
/// (PS3.5 §7.1: "Data Elements in a Data Set shall be ordered by increasing Data Element Tag Number").
public struct Tag: Hashable, Comparable, Sendable {
    /// The group and element packed as `0xGGGGEEEE`.
    public let rawValue: UInt32

    /// Creates a tag from its packed form `0xGGGGEEEE`.
    @inlinable
    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Creates a tag from its group and element numbers.
    @inlinable
    public init(group: UInt16, element: UInt16) {
        self.rawValue = UInt32(group) << 16 | UInt32(element)
    }

    /// The group number, the first half of the tag.
    @inlinable
    public var group: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }

    /// The element number, the second half of the tag.
    @inlinable
    public var element: UInt16 { UInt16(truncatingIfNeeded: rawValue) }

    @inlinable
    public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.rawValue < rhs.rawValue }
}

// MARK: - Kinds of tag

extension Tag {
    /// Private data elements have an odd group number (PS3.5 §7.8.1), except groups 0001, 0003,
    /// 0005 and 0007 and FFFF, which may not be used.
    public var isPrivate: Bool {
        group & 1 == 1 && group > 0x0007 && group != 0xFFFF
    }

    /// A private creator element (gggg,0010–00FF) reserves a block of 256 private elements
    /// (PS3.5 §7.8.1).
    public var isPrivateCreator: Bool {
        isPrivate && (0x0010...0x00FF).contains(element)
    }

    /// For a private element (gggg,xxee) with `xx` ≥ 0x10, the tag of the private creator element
    /// that reserves its block: (gggg,00xx).
    public var privateCreatorTag: Tag? {
        guard isPrivate, element >= 0x1000 else { return nil }
        return Tag(group: group, element: element >> 8)
    }

    /// Group length elements (gggg,0000) give the byte length of the rest of their group
    /// (PS3.5 §7.2). Retired outside groups 0000 and 0002, still met in files.
    public var isGroupLength: Bool { element == 0x0000 }

    /// The item, item delimitation and sequence delimitation tags of group FFFE (PS3.5 §7.5).
    public var isDelimiter: Bool { group == 0xFFFE }

    /// File meta information elements, group 0002 (PS3.10 §7.1).
    public var isFileMetaInformation: Bool { group == 0x0002 }

    /// Command elements, group 0000 (PS3.7 §6.3).
    public var isCommand: Bool { group == 0x0000 }
}

// MARK: - Structural tags

extension Tag {
    /// (FFFE,E000) Item (PS3.5 §7.5).
    public static let item = Tag(0xFFFE_E000)
    /// (FFFE,E00D) Item Delimitation Item (PS3.5 §7.5).
    public static let itemDelimitationItem = Tag(0xFFFE_E00D)
    /// (FFFE,E0DD) Sequence Delimitation Item (PS3.5 §7.5).
    public static let sequenceDelimitationItem = Tag(0xFFFE_E0DD)
}

// MARK: - Text form

extension Tag: CustomStringConvertible {
    /// `(gggg,eeee)` in lower-case hexadecimal, as DCMTK prints tags.
    public var description: String {
        // Eleven bytes: a small string, built without an intermediate array (dumps print one
        // per element).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 11) { text in
            text[0] = UInt8(ascii: "(")
            Tag.writeHex4(group, into: text, at: 1)
            text[5] = UInt8(ascii: ",")
            Tag.writeHex4(element, into: text, at: 6)
            text[10] = UInt8(ascii: ")")
            return String(decoding: text, as: UTF8.self)
        }
    }

    static func hex4(_ value: UInt16) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { text in
            writeHex4(value, into: text, at: 0)
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// Writes the four lower-case hexadecimal digits of `value` at `offset`.
    @inline(__always)
    static func writeHex4(_ value: UInt16, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<4 {
            let digit = UInt8(truncatingIfNeeded: value >> UInt16(12 - 4 * index)) & 0xF
            text[offset + index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
        }
    }
}

extension Tag {
    /// Parses `(gggg,eeee)`, `gggg,eeee` or `ggggeeee` in hexadecimal, either case.
    public init?(parsing text: some StringProtocol) {
        let hex = String(text.filter { $0 != "(" && $0 != ")" && $0 != "," && $0 != " " })
        guard hex.count == 8, let value = UInt32(hex, radix: 16) else { return nil }
        self.init(value)
    }
}
