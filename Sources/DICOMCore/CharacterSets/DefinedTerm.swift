/// What one Defined Term of Specific Character Set (0008,0005) stands for (PS3.3 §C.12.1.1.2,
/// Tables C.12-2 to C.12-5).
enum DefinedTerm: Hashable, Sendable {
    /// A term whose code elements are a G0 set, a G1 set, or both. `codeExtensions` is true for
    /// the "ISO 2022 …" terms, which allow escape sequences (Tables C.12-3 and C.12-4).
    case codeElements(g0: GraphicCharacterSet?, g1: GraphicCharacterSet?, codeExtensions: Bool)
    /// ISO_IR 192, UTF-8 (Table C.12-5); no code extensions.
    case utf8
    /// GB18030 (Table C.12-5); no code extensions.
    case gb18030
    /// GBK (Table C.12-5); no code extensions.
    case gbk

    /// The term `text` names, or nil for a term DICOM does not define. Accepts the misspellings
    /// seen in the wild that still name one term unambiguously ("ISO_IR_100", "ISO-IR 100",
    /// "iso 2022 ir 87"): letters are compared case-insensitively and the separators ' ', '_' and
    /// '-' are ignored, as pydicom's correction does.
    init?(_ text: String) {
        if let term = Self.byName[text] {
            self = term
            return
        }
        let squeezed = String(text.uppercased().filter { $0 != " " && $0 != "_" && $0 != "-" })
        guard let term = Self.bySqueezedName[squeezed] else { return nil }
        self = term
    }

    /// The Defined Terms, spelled as PS3.3 Tables C.12-2 to C.12-5 spell them.
    static let byName: [String: DefinedTerm] = {
        var terms: [String: DefinedTerm] = [
            "": .codeElements(g0: .ascii, g1: nil, codeExtensions: false),
            "ISO_IR 6": .codeElements(g0: .ascii, g1: nil, codeExtensions: false),
            "ISO 2022 IR 6": .codeElements(g0: .ascii, g1: nil, codeExtensions: true),
            "ISO_IR 13": .codeElements(g0: .jisX0201Romaji, g1: .jisX0201Katakana, codeExtensions: false),
            "ISO 2022 IR 13": .codeElements(g0: .jisX0201Romaji, g1: .jisX0201Katakana, codeExtensions: true),
            "ISO 2022 IR 87": .codeElements(g0: .jisX0208, g1: nil, codeExtensions: true),
            "ISO 2022 IR 159": .codeElements(g0: .jisX0212, g1: nil, codeExtensions: true),
            "ISO 2022 IR 149": .codeElements(g0: nil, g1: .ksX1001, codeExtensions: true),
            "ISO 2022 IR 58": .codeElements(g0: nil, g1: .gb2312, codeExtensions: true),
            "ISO_IR 192": .utf8,
            "GB18030": .gb18030,
            "GBK": .gbk,
        ]
        let rightHalves: [(Int, GraphicCharacterSet)] = [
            (100, .latin1), (101, .latin2), (109, .latin3), (110, .latin4), (144, .cyrillic),
            (127, .arabic), (126, .greek), (138, .hebrew), (148, .latin5), (203, .latin9), (166, .thai),
        ]
        for (number, set) in rightHalves {
            terms["ISO_IR \(number)"] = .codeElements(g0: .ascii, g1: set, codeExtensions: false)
            terms["ISO 2022 IR \(number)"] = .codeElements(g0: .ascii, g1: set, codeExtensions: true)
        }
        return terms
    }()

    private static let bySqueezedName: [String: DefinedTerm] = Dictionary(
        byName.map { (String($0.key.filter { $0 != " " && $0 != "_" && $0 != "-" }), $0.value) },
        uniquingKeysWith: { first, _ in first })

    /// Whether Foundation on this platform has every codec the term needs.
    var isAvailable: Bool {
        switch self {
        case .codeElements(let g0, let g1, _):
            (g0?.isAvailable ?? true) && (g1?.isAvailable ?? true)
        case .utf8:
            true
        case .gb18030:
            MultiByteCodec.gb18030.isAvailable
        case .gbk:
            MultiByteCodec.gbk.isAvailable
        }
    }
}
