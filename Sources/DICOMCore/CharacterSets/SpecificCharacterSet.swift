/// The character sets of a data set's text, as Specific Character Set (0008,0005) names them
/// (PS3.3 §C.12.1.1.2; PS3.5 §6.1).
///
/// Decodes the bytes of LO, LT, PN, SH, ST, UC and UT values to `String` and encodes them back.
/// It knows every Defined Term of PS3.3 Tables C.12-2 to C.12-5: the default repertoire, the
/// single-byte sets ISO_IR 100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 13 and 166, UTF-8
/// (ISO_IR 192), GB18030 and GBK, and the ISO 2022 code extensions of all of them plus JIS X 0208
/// (ISO 2022 IR 87), JIS X 0212 (159), KS X 1001 (149) and GB 2312 (58).
///
/// Decoding never fails. A term this type does not know, or whose codec Foundation lacks on this
/// platform, is listed in ``unsupportedTerms`` and read with a fallback (ISO 8859-1 as value 1,
/// ignored elsewhere); bytes that have no character become U+FFFD.
///
/// ```swift
/// let characterSet = SpecificCharacterSet("\\ISO 2022 IR 87")
/// let name = characterSet.decode(bytes, vr: .PN)   // "Yamada^Tarou=山田^太郎=やまだ^たろう"
/// ```
public struct SpecificCharacterSet: Sendable, Hashable {
    /// The terms of (0008,0005), trimmed of padding. Value 1 may be empty (the default
    /// repertoire, PS3.5 §6.1.2.5.2); empty later values are dropped. The default repertoire has no
    /// terms.
    public let terms: [String]

    /// The terms read with a fallback, because DICOM does not define them (after forgiving case
    /// and separator misspellings such as "ISO_IR_100") or because Foundation lacks their codec
    /// here. Callers warn about them.
    public let unsupportedTerms: [String]

    /// How the terms read and write text.
    let scheme: CharacterSetScheme

    /// The character sets of a raw (0008,0005) value: backslash-separated terms, possibly padded,
    /// with a possibly empty first term.
    public init(_ value: String) {
        self.init(terms: value.split(separator: "\\", omittingEmptySubsequences: false).map(String.init))
    }

    /// The character sets named by `terms`, the values of (0008,0005) in order.
    public init(terms: [String]) {
        var trimmed: [String] = []
        for (position, term) in terms.enumerated() {
            let term = Self.trimmingPadding(term)
            if position == 0 || !term.isEmpty { trimmed.append(term) }
        }
        if trimmed == [""] { trimmed = [] }
        self.terms = trimmed
        (scheme, unsupportedTerms) = CharacterSetScheme.resolve(trimmed)
    }

    /// The character sets of a raw (0008,0005) value's bytes. A single term, as nearly every data
    /// set carries ("ISO_IR 100", "ISO_IR 192"), comes from a table of the Defined Terms made
    /// once: parsing it again for every data set read cost about 6 µs, 2% of an archive's CPU
    /// sending files it had to open.
    static func parsing<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> SpecificCharacterSet {
        var value = bytes[...]
        while let last = value.last, last == UInt8(ascii: " ") || last == 0 { value = value.dropLast() }
        while let first = value.first, first == UInt8(ascii: " ") { value = value.dropFirst() }
        if let known = singleTerms.first(where: { $0.bytes.elementsEqual(value) }) { return known.characterSet }
        return SpecificCharacterSet(String(decoding: bytes, as: UTF8.self))
    }

    /// Every Defined Term alone, as bytes, with its character set.
    private static let singleTerms: [(bytes: [UInt8], characterSet: SpecificCharacterSet)] =
        DefinedTerm.byName.keys.filter { !$0.isEmpty }.sorted().map { (Array($0.utf8), SpecificCharacterSet(terms: [$0])) }

    /// The default repertoire (ISO-IR 6, ASCII): what applies when (0008,0005) is absent or empty.
    public static let defaultRepertoire = SpecificCharacterSet(terms: [])

    /// Whether two character sets have the same terms (after trimming).
    public static func == (lhs: SpecificCharacterSet, rhs: SpecificCharacterSet) -> Bool {
        lhs.terms == rhs.terms
    }

    /// Hashes the terms, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(terms)
    }

    /// `term` without the leading and trailing spaces and NULs that pad values (PS3.5 §6.2).
    private static func trimmingPadding(_ term: String) -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\0" }
        guard let first = term.firstIndex(where: { !isPadding($0) }),
              let last = term.lastIndex(where: { !isPadding($0) }) else { return "" }
        return String(term[first...last])
    }
}
