import Foundation

/// The right half (bytes 0x80–0xFF) of a single-byte character set, read once from Foundation's
/// codec and then used without Foundation, both ways. Bytes 0x00–0x7F are ASCII in every set
/// DICOM defines (PS3.3 Table C.12-2), so they are not in the table.
struct SingleByteTable: Sendable {
    /// The scalar value of bytes 0x80–0xFF; 0 where the set has no character.
    private let scalars: [UInt32]
    /// The byte of each scalar the table holds.
    private let bytes: [UInt32: UInt8]

    /// Reads the table of `set` from Foundation. A set Foundation lacks gets an empty table, in
    /// which every byte is U+FFFD; `GraphicCharacterSet.isAvailable` tells callers beforehand.
    init(_ set: GraphicCharacterSet) {
        var scalars = [UInt32](repeating: 0, count: 128)
        var bytes: [UInt32: UInt8] = [:]
        if let source = Source(set) {
            for byte in source.defined {
                guard let scalar = source.decode(byte) else { continue }
                scalars[Int(byte) - 0x80] = scalar.value
                if bytes[scalar.value] == nil { bytes[scalar.value] = byte }
            }
        }
        self.scalars = scalars
        self.bytes = bytes
    }

    /// The character of `byte` (0x80–0xFF), U+FFFD when the set has none.
    @inline(__always)
    func scalar(for byte: UInt8) -> Unicode.Scalar {
        let value = scalars[Int(byte & 0x7F)]
        return value == 0 ? Self.replacement : Unicode.Scalar(value) ?? Self.replacement
    }

    /// The byte (0x80–0xFF) of `scalar`, nil when the set has no such character.
    func byte(for scalar: Unicode.Scalar) -> UInt8? {
        bytes[scalar.value]
    }

    static let replacement: Unicode.Scalar = "\u{FFFD}"

    static let jisX0201Katakana = SingleByteTable(.jisX0201Katakana)
    static let latin1 = SingleByteTable(.latin1)
    static let latin2 = SingleByteTable(.latin2)
    static let latin3 = SingleByteTable(.latin3)
    static let latin4 = SingleByteTable(.latin4)
    static let cyrillic = SingleByteTable(.cyrillic)
    static let arabic = SingleByteTable(.arabic)
    static let greek = SingleByteTable(.greek)
    static let hebrew = SingleByteTable(.hebrew)
    static let latin5 = SingleByteTable(.latin5)
    static let latin9 = SingleByteTable(.latin9)
    static let thai = SingleByteTable(.thai)
}

// MARK: - Source

extension SingleByteTable {
    /// Where a set's table comes from: a Foundation codec and the bytes the set defines.
    struct Source {
        var encoding: String.Encoding
        /// The bytes to read; the others have no character.
        var defined: ClosedRange<UInt8>
        /// A byte every variant of the set defines, to ask whether Foundation has the codec.
        var sampleByte: UInt8

        /// The source of a single-byte G1 set, nil for the other sets.
        init?(_ set: GraphicCharacterSet) {
            defined = 0x80...0xFF
            sampleByte = 0xE9
            switch set {
            case .jisX0201Katakana:
                // Shift_JIS's single bytes 0xA1–0xDF are exactly JIS X 0201's katakana half.
                encoding = FoundationCodecs.shiftJIS
                defined = 0xA1...0xDF
                sampleByte = 0xB1
            case .latin1: encoding = FoundationCodecs.latin1
            case .latin2: encoding = FoundationCodecs.latin2
            case .latin3: encoding = FoundationCodecs.latin3
            case .latin4: encoding = FoundationCodecs.latin4
            case .cyrillic: encoding = FoundationCodecs.cyrillic
            case .arabic: encoding = FoundationCodecs.arabic
            case .greek: encoding = FoundationCodecs.greek
            case .hebrew: encoding = FoundationCodecs.hebrew
            case .latin5: encoding = FoundationCodecs.latin5
            case .latin9: encoding = FoundationCodecs.latin9
            case .thai: encoding = FoundationCodecs.thai
            case .ascii, .jisX0201Romaji, .jisX0208, .jisX0212, .ksX1001, .gb2312: return nil
            }
        }

        /// Foundation's character for one byte, nil when it has none.
        func decode(_ byte: UInt8) -> Unicode.Scalar? {
            guard let string = FoundationCodecs.decode([byte], as: encoding) else { return nil }
            let scalars = string.unicodeScalars
            return scalars.count == 1 ? scalars.first : nil
        }
    }
}
