import Foundation

/// The variable-length Chinese character sets, which DICOM uses without code extensions
/// (PS3.3 Table C.12-5), decoded and encoded whole by Foundation.
///
/// Foundation's GB 18030 follows the 2005/2022 editions: 20 two-byte codes that GB 18030-2000
/// (and Python's codec) map to private-use characters read as the characters later assigned
/// (0xA6D9 is U+FE10, 0xFE59 is U+9FB4, …).
enum MultiByteCodec: Hashable, Sendable {
    /// GB 18030: one, two or four bytes per character.
    case gb18030
    /// GBK: one or two bytes per character (read and written as Microsoft code page 936).
    case gbk

    private var encoding: String.Encoding {
        switch self {
        case .gb18030: FoundationCodecs.gb18030
        case .gbk: FoundationCodecs.gbk
        }
    }

    /// Whether Foundation on this platform has the codec (asked with 中, 0xD6 0xD0, once).
    var isAvailable: Bool {
        switch self {
        case .gb18030: Self.gb18030Available
        case .gbk: Self.gbkAvailable
        }
    }

    private static let gb18030Available = FoundationCodecs.decode([0xD6, 0xD0], as: FoundationCodecs.gb18030) == "中"
    private static let gbkAvailable = FoundationCodecs.decode([0xD6, 0xD0], as: FoundationCodecs.gbk) == "中"

    /// Decodes `bytes`; a malformed or unmapped character becomes U+FFFD, the rest still decodes.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let whole = FoundationCodecs.decode(Array(bytes), as: encoding) { return whole }
        // Foundation rejects the whole value for one bad character: decode character by character.
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = characterLength(in: bytes, at: index)
            let character = Array(bytes[index..<index + length])
            if length == 1, character[0] < 0x80 {
                scalars.append(Unicode.Scalar(character[0]))
            } else if let decoded = FoundationCodecs.decode(character, as: encoding) {
                scalars.append(contentsOf: decoded.unicodeScalars)
            } else {
                scalars.append(SingleByteTable.replacement)
            }
            index += length
        }
        return String(scalars)
    }

    /// Encodes `string`, or nil when a character has no code in the set.
    func encode(_ string: String) -> [UInt8]? {
        FoundationCodecs.encode(string, as: encoding)
    }

    /// The length of the character starting at `index` by the shape of GB 18030's codes (GBK's are
    /// the one- and two-byte ones): 0x81–0xFE then 0x30–0x39, 0x81–0xFE, 0x30–0x39 is four bytes,
    /// 0x81–0xFE then 0x40–0x7E or 0x80–0xFE is two, anything else one.
    private func characterLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        guard (0x81...0xFE).contains(lead), index + 1 < bytes.count else { return 1 }
        let second = bytes[index + 1]
        if self == .gb18030, (0x30...0x39).contains(second), index + 3 < bytes.count,
           (0x81...0xFE).contains(bytes[index + 2]), (0x30...0x39).contains(bytes[index + 3]) {
            return 4
        }
        return (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) ? 2 : 1
    }
}
