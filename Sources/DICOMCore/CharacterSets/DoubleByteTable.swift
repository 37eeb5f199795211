import Foundation

/// A 94 × 94 double-byte character set (JIS X 0208, JIS X 0212, KS X 1001, GB 2312), read once
/// from Foundation's codec, corrected where Foundation departs from the published mapping, and
/// then used without Foundation, both ways.
///
/// Codes are kept in their 7-bit form (row and column 0x21–0x7E, as JIS X 0208 writes them); G1
/// sets appear on the wire with both high bits set (PS3.5 §6.1.2.5.1).
struct DoubleByteTable: Sendable {
    /// A code in 7-bit form: row and column 0x21–0x7E.
    struct Code: Hashable, Sendable {
        var row: UInt8
        var column: UInt8
    }

    /// The scalar value of each cell, row-major from (0x21, 0x21); 0 where the set has no character.
    private let cells: [UInt32]
    /// The code of each scalar the set may encode.
    private let codes: [UInt32: Code]

    /// Reads the table of `set` from Foundation. A set Foundation lacks gets an empty table, in
    /// which every code is U+FFFD; `GraphicCharacterSet.isAvailable` tells callers beforehand.
    init(_ set: GraphicCharacterSet) {
        var cells = [UInt32](repeating: 0, count: 94 * 94)
        var codes: [UInt32: Code] = [:]
        if let source = Source(set) {
            for row in UInt8(0x21)...0x7E {
                let base = (Int(row) - 0x21) * 94
                if let whole = source.decode(row: row) {
                    for (offset, scalar) in whole.enumerated() { cells[base + offset] = scalar.value }
                } else {
                    for column in UInt8(0x21)...0x7E {
                        cells[base + Int(column) - 0x21] = source.decode(row: row, column: column)?.value ?? 0
                    }
                }
            }
            for (code, scalar) in source.corrections {
                cells[(Int(code >> 8) - 0x21) * 94 + Int(code & 0xFF) - 0x21] = scalar
            }
            for row in UInt8(0x21)...0x7E where source.encodableRows.contains(where: { $0.contains(row) }) {
                for column in UInt8(0x21)...0x7E {
                    let value = cells[(Int(row) - 0x21) * 94 + Int(column) - 0x21]
                    // Foundation fills unassigned cells of some sets with private-use characters;
                    // those are decoded leniently but never written.
                    guard value != 0, !(0xE000...0xF8FF).contains(value), codes[value] == nil else { continue }
                    codes[value] = Code(row: row, column: column)
                }
            }
        }
        self.cells = cells
        self.codes = codes
    }

    /// The character of a code (row and column 0x21–0x7E; high bits are ignored), U+FFFD when the
    /// set has none.
    @inline(__always)
    func scalar(row: UInt8, column: UInt8) -> Unicode.Scalar {
        let value = cells[(Int(row & 0x7F) - 0x21) * 94 + Int(column & 0x7F) - 0x21]
        return value == 0 ? SingleByteTable.replacement : Unicode.Scalar(value) ?? SingleByteTable.replacement
    }

    /// The code of `scalar`, nil when the set has no such character.
    func code(for scalar: Unicode.Scalar) -> Code? {
        codes[scalar.value]
    }

    static let jisX0208 = DoubleByteTable(.jisX0208)
    static let jisX0212 = DoubleByteTable(.jisX0212)
    static let ksX1001 = DoubleByteTable(.ksX1001)
    static let gb2312 = DoubleByteTable(.gb2312)
}

// MARK: - Source

extension DoubleByteTable {
    /// Where a set's table comes from: a Foundation codec, how codes are framed for it, and the
    /// cells where the codec departs from the set's published mapping.
    struct Source {
        var encoding: String.Encoding
        /// The escape sequence that frames 7-bit codes for an ISO-2022-JP codec, or nil for an EUC
        /// codec, which takes codes with both high bits set.
        var designation: [UInt8]?
        /// Cells (row << 8 | column) whose character Foundation gets wrong or lacks.
        var corrections: [UInt16: UInt32]
        /// The rows the set defines; cells elsewhere are vendor extensions, read but never written.
        var encodableRows: [ClosedRange<UInt8>]

        /// The source of a double-byte set, nil for the single-byte sets.
        init?(_ set: GraphicCharacterSet) {
            switch set {
            case .jisX0208:
                encoding = FoundationCodecs.iso2022JP
                designation = GraphicCharacterSet.jisX0208.escapeSequence
                // ICU maps these six cells as Microsoft's CP932 does; JIS X 0208 (Unicode's
                // JIS0208.TXT, Python's and pydicom's codecs) gives WAVE DASH, DOUBLE VERTICAL
                // LINE, MINUS SIGN, CENT SIGN, POUND SIGN and NOT SIGN.
                corrections = [0x2141: 0x301C, 0x2142: 0x2016, 0x215D: 0x2212,
                               0x2171: 0x00A2, 0x2172: 0x00A3, 0x224C: 0x00AC]
                // Rows 1–8 and 16–84; ICU also reads NEC's row 13 and IBM's rows 89–92.
                encodableRows = [0x21...0x28, 0x30...0x74]
            case .jisX0212:
                encoding = FoundationCodecs.iso2022JP1
                designation = GraphicCharacterSet.jisX0212.escapeSequence
                corrections = [:]
                encodableRows = [0x21...0x7E]
            case .ksX1001:
                encoding = FoundationCodecs.eucKR
                designation = nil
                // EURO SIGN and REGISTERED SIGN, added by KS X 1001:1998; ICU's EUC-KR predates them.
                corrections = [0x2266: 0x20AC, 0x2267: 0x00AE]
                // Rows 0x49 and 0x7E are user-defined (ICU reads them as private use).
                encodableRows = [0x21...0x48, 0x4A...0x7D]
            case .gb2312:
                encoding = FoundationCodecs.eucCN
                designation = nil
                // ICU's EUC-CN reads 0x2327 as ACUTE ACCENT; GB 2312 (GB2312.TXT) has FULLWIDTH
                // APOSTROPHE there.
                corrections = [0x2327: 0xFF07]
                encodableRows = [0x21...0x7E]
            case .ascii, .jisX0201Romaji, .jisX0201Katakana, .latin1, .latin2, .latin3, .latin4,
                 .cyrillic, .arabic, .greek, .hebrew, .latin5, .latin9, .thai:
                return nil
            }
        }

        /// Foundation's characters for a whole row, nil unless it reads all 94 cells.
        func decode(row: UInt8) -> [Unicode.Scalar]? {
            var codes: [UInt8] = []
            codes.reserveCapacity(2 * 94)
            for column in UInt8(0x21)...0x7E { codes += [row, column] }
            guard let scalars = decode(codes), scalars.count == 94 else { return nil }
            return scalars
        }

        /// Foundation's character for one cell, nil when it has none.
        func decode(row: UInt8, column: UInt8) -> Unicode.Scalar? {
            guard let scalars = decode([row, column]), scalars.count == 1 else { return nil }
            return scalars.first
        }

        private func decode(_ codes: [UInt8]) -> [Unicode.Scalar]? {
            let bytes: [UInt8]
            if let designation {
                bytes = designation + codes + GraphicCharacterSet.ascii.escapeSequence
            } else {
                bytes = codes.map { $0 | 0x80 }
            }
            return FoundationCodecs.decode(bytes, as: encoding).map { Array($0.unicodeScalars) }
        }
    }
}
