/// A graphic character set (a code element) that a Specific Character Set term puts in G0 or G1,
/// with the ISO 2022 escape sequence that designates it (PS3.3 Tables C.12-3 and C.12-4;
/// PS3.5 §6.1.2.5).
///
/// G0 sets are read from bytes 0x00–0x7F (GL), G1 sets from bytes 0x80–0xFF (GR). The two
/// JIS X 0201 halves decode like ASCII and like half-width katakana: pydicom and Python's codecs
/// read byte 0x5C as REVERSE SOLIDUS and 0x7E as TILDE in ISO-IR 14, and DICOM needs 0x5C as the
/// value delimiter in every character set anyway (PS3.5 §6.1.3).
enum GraphicCharacterSet: CaseIterable, Hashable, Sendable {
    /// ISO-IR 6, ASCII (G0).
    case ascii
    /// ISO-IR 14, JIS X 0201 romaji (G0), read as ASCII.
    case jisX0201Romaji
    /// ISO-IR 13, JIS X 0201 katakana (G1, bytes 0xA1–0xDF).
    case jisX0201Katakana
    /// ISO-IR 100, the right half of ISO 8859-1 (G1).
    case latin1
    /// ISO-IR 101, the right half of ISO 8859-2 (G1).
    case latin2
    /// ISO-IR 109, the right half of ISO 8859-3 (G1).
    case latin3
    /// ISO-IR 110, the right half of ISO 8859-4 (G1).
    case latin4
    /// ISO-IR 144, the right half of ISO 8859-5 (G1).
    case cyrillic
    /// ISO-IR 127, the right half of ISO 8859-6 (G1).
    case arabic
    /// ISO-IR 126, the right half of ISO 8859-7 (G1).
    case greek
    /// ISO-IR 138, the right half of ISO 8859-8 (G1).
    case hebrew
    /// ISO-IR 148, the right half of ISO 8859-9 (G1).
    case latin5
    /// ISO-IR 203, the right half of ISO 8859-15 (G1).
    case latin9
    /// ISO-IR 166, TIS 620-2533, the right half of ISO 8859-11 (G1).
    case thai
    /// ISO-IR 87, JIS X 0208 kanji (G0, two bytes 0x21–0x7E each).
    case jisX0208
    /// ISO-IR 159, JIS X 0212 supplementary kanji (G0, two bytes 0x21–0x7E each).
    case jisX0212
    /// ISO-IR 149, KS X 1001 (G1, two bytes 0xA1–0xFE each).
    case ksX1001
    /// ISO-IR 58, GB 2312 (G1, two bytes 0xA1–0xFE each).
    case gb2312

    /// Whether the set is invoked in G1 (GR bytes) rather than G0 (GL bytes).
    var isG1: Bool {
        switch self {
        case .ascii, .jisX0201Romaji, .jisX0208, .jisX0212: false
        case .jisX0201Katakana, .latin1, .latin2, .latin3, .latin4, .cyrillic, .arabic, .greek,
             .hebrew, .latin5, .latin9, .thai, .ksX1001, .gb2312: true
        }
    }

    /// Whether a character takes two bytes.
    var isDoubleByte: Bool {
        switch self {
        case .jisX0208, .jisX0212, .ksX1001, .gb2312: true
        case .ascii, .jisX0201Romaji, .jisX0201Katakana, .latin1, .latin2, .latin3, .latin4,
             .cyrillic, .arabic, .greek, .hebrew, .latin5, .latin9, .thai: false
        }
    }

    /// The escape sequence that designates the set, ESC included (PS3.3 Tables C.12-3, C.12-4).
    var escapeSequence: [UInt8] {
        switch self {
        case .ascii: [0x1B, 0x28, 0x42]  // ESC ( B
        case .jisX0201Romaji: [0x1B, 0x28, 0x4A]  // ESC ( J
        case .jisX0201Katakana: [0x1B, 0x29, 0x49]  // ESC ) I
        case .latin1: [0x1B, 0x2D, 0x41]  // ESC - A
        case .latin2: [0x1B, 0x2D, 0x42]  // ESC - B
        case .latin3: [0x1B, 0x2D, 0x43]  // ESC - C
        case .latin4: [0x1B, 0x2D, 0x44]  // ESC - D
        case .cyrillic: [0x1B, 0x2D, 0x4C]  // ESC - L
        case .arabic: [0x1B, 0x2D, 0x47]  // ESC - G
        case .greek: [0x1B, 0x2D, 0x46]  // ESC - F
        case .hebrew: [0x1B, 0x2D, 0x48]  // ESC - H
        case .latin5: [0x1B, 0x2D, 0x4D]  // ESC - M
        case .latin9: [0x1B, 0x2D, 0x62]  // ESC - b
        case .thai: [0x1B, 0x2D, 0x54]  // ESC - T
        case .jisX0208: [0x1B, 0x24, 0x42]  // ESC $ B
        case .jisX0212: [0x1B, 0x24, 0x28, 0x44]  // ESC $ ( D
        case .ksX1001: [0x1B, 0x24, 0x29, 0x43]  // ESC $ ) C
        case .gb2312: [0x1B, 0x24, 0x29, 0x41]  // ESC $ ) A
        }
    }

    /// The set whose escape sequence starts at `index` (which holds ESC) and the sequence's
    /// length, or nil when the bytes there designate no set DICOM defines.
    static func designated(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (set: GraphicCharacterSet, length: Int)? {
        for set in allCases {
            let sequence = set.escapeSequence
            guard index + sequence.count <= bytes.count else { continue }
            var matches = true
            for offset in 1..<sequence.count where bytes[index + offset] != sequence[offset] {
                matches = false
                break
            }
            if matches { return (set, sequence.count) }
        }
        return nil
    }
}

// MARK: - Tables

extension GraphicCharacterSet {
    /// The table of a single-byte G1 set, nil for the G0 sets and the double-byte sets.
    var singleByteTable: SingleByteTable? {
        switch self {
        case .jisX0201Katakana: .jisX0201Katakana
        case .latin1: .latin1
        case .latin2: .latin2
        case .latin3: .latin3
        case .latin4: .latin4
        case .cyrillic: .cyrillic
        case .arabic: .arabic
        case .greek: .greek
        case .hebrew: .hebrew
        case .latin5: .latin5
        case .latin9: .latin9
        case .thai: .thai
        case .ascii, .jisX0201Romaji, .jisX0208, .jisX0212, .ksX1001, .gb2312: nil
        }
    }

    /// The table of a double-byte set, nil for the single-byte sets.
    var doubleByteTable: DoubleByteTable? {
        switch self {
        case .jisX0208: .jisX0208
        case .jisX0212: .jisX0212
        case .ksX1001: .ksX1001
        case .gb2312: .gb2312
        case .ascii, .jisX0201Romaji, .jisX0201Katakana, .latin1, .latin2, .latin3, .latin4,
             .cyrillic, .arabic, .greek, .hebrew, .latin5, .latin9, .thai: nil
        }
    }

    /// Whether Foundation on this platform has the codec the set's table is read from. Asks for
    /// one known character rather than building the whole table.
    var isAvailable: Bool {
        Self.availability[self] ?? false
    }

    private static let availability: [GraphicCharacterSet: Bool] = Dictionary(
        uniqueKeysWithValues: allCases.map { set in
            let available: Bool
            if set == .ascii || set == .jisX0201Romaji {
                available = true
            } else if let probe = SingleByteTable.Source(set) {
                available = probe.decode(probe.sampleByte) != nil
            } else if let probe = DoubleByteTable.Source(set) {
                available = probe.decode(row: 0x30, column: 0x21) != nil
            } else {
                available = false
            }
            return (set, available)
        })

    /// The code of `scalar` in this set as it appears on the wire (GR bytes for G1 sets, GL bytes
    /// for G0 sets), or nil when the set has no such character. ASCII is not asked for here.
    func code(for scalar: Unicode.Scalar) -> [UInt8]? {
        if let table = singleByteTable {
            return table.byte(for: scalar).map { [$0] }
        }
        if let table = doubleByteTable, let code = table.code(for: scalar) {
            let high: UInt8 = isG1 ? 0x80 : 0
            return [code.row | high, code.column | high]
        }
        return nil
    }
}
