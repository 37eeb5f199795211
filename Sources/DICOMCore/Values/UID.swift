/// A unique identifier: dot-separated decimal components, at most 64 characters (PS3.5 §9).
///
/// `UID` holds the string as found, without its NUL padding; ``isValid`` says whether it follows
/// the rules, so that identifiers from sloppy peers can still be carried and reported.
public struct UID: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The identifier, without trailing NUL or space padding.
    public let string: String

    /// Wraps `string`, dropping the trailing NUL and space padding of an encoded UI value.
    public init(_ string: some StringProtocol) {
        // By UTF-8 code unit, not by Character: the padding is ASCII, and walking graphemes cost
        // more than the rest of reading a command set's UID.
        let string = String(string)
        let utf8 = string.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex {
            let previous = utf8.index(before: end)
            let byte = utf8[previous]
            guard byte == 0 || byte == UInt8(ascii: " ") else { break }
            end = previous
        }
        self.string = end == utf8.endIndex ? string : String(string[..<end])
    }

    /// Creates a UID from a literal; the literal is not checked (see ``isValid``).
    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { string }

    /// The longest UID PS3.5 §9.1 allows, in characters.
    public static let maximumLength = 64

    /// Whether the UID follows PS3.5 §9.1: 1–64 characters, components of digits separated by
    /// single dots, no component with a leading zero unless it is the single digit 0.
    public var isValid: Bool {
        let bytes = Array(string.utf8)
        guard !bytes.isEmpty, bytes.count <= UID.maximumLength else { return false }
        var componentStart = 0
        for index in 0...bytes.count {
            if index == bytes.count || bytes[index] == UInt8(ascii: ".") {
                let length = index - componentStart
                if length == 0 { return false }
                if length > 1 && bytes[componentStart] == UInt8(ascii: "0") { return false }
                componentStart = index + 1
            } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                return false
            }
        }
        return true
    }

    /// Whether the UID has 1 to 64 characters, the one rule of PS3.5 §9.1 that NetDICOM enforces
    /// where UIDs go out (in an A-ASSOCIATE-RQ or a command set): peers use UIDs with leading
    /// zeros and other slips, and refusing them helps nobody.
    public var hasValidLength: Bool {
        (1...UID.maximumLength).contains(string.utf8.count)
    }

    /// The UID as a message shows it: its first 64 characters, then "..." if there are more, with
    /// control characters as "?" (a damaged file's "UID" can be kilobytes of binary).
    public var messageText: String {
        let scalars = string.unicodeScalars
        let shown = String(String.UnicodeScalarView(scalars.prefix(UID.maximumLength).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
        return scalars.count > UID.maximumLength ? shown + "..." : shown
    }
}

extension UID {
    /// NetDICOM's UID root: the "2.25" root for UUID-derived UIDs (PS3.5 §B.2), which needs no
    /// registration.
    public static let uuidRoot = "2.25"

    /// A new UID under 2.25 made from a random UUID, as PS3.5 §B.2 describes.
    public static func generate() -> UID {
        var high = UInt64.random(in: .min ... .max)
        var low = UInt64.random(in: .min ... .max)
        // Set the version (4) and variant (10xx) bits so the integer is a valid UUID.
        high = (high & ~0xF000) | 0x4000
        low = (low & ~(0xC000_0000_0000_0000)) | 0x8000_0000_0000_0000
        return UID(uuidRoot + "." + UID.decimal(high: high, low: low))
    }

    /// The decimal digits of the 128-bit number `high << 64 | low`.
    static func decimal(high: UInt64, low: UInt64) -> String {
        guard high != 0 else { return String(low) }
        var words = [high >> 32, high & 0xFFFF_FFFF, low >> 32, low & 0xFFFF_FFFF]
        var digits: [UInt8] = []
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in words.indices {
                let value = remainder << 32 | words[index]
                words[index] = value / 10
                remainder = value % 10
            }
            digits.append(UInt8(ascii: "0") + UInt8(remainder))
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
