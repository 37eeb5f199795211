/// How a Specific Character Set's terms read and write text, resolved once from the terms
/// (PS3.5 §6.1.2.4 and §6.1.2.5; PS3.3 §C.12.1.1.2).
enum CharacterSetScheme: Hashable, Sendable {
    /// The default repertoire, ASCII (ISO-IR 6). Bytes above 0x7F, which it does not allow, are
    /// read leniently as ISO 8859-1, as pydicom does.
    case defaultRepertoire
    /// One single-byte set without code extensions: ASCII in G0 and `g1` in G1.
    case singleByte(g1: GraphicCharacterSet)
    /// ISO_IR 192: UTF-8, without code extensions.
    case utf8
    /// GB18030 or GBK, without code extensions.
    case multiByte(MultiByteCodec)
    /// ISO 2022 code extensions: escape sequences switch the sets in G0 and G1.
    case codeExtensions(CodeExtensions)

    /// The fallback for a first term that is unknown or that Foundation cannot read here:
    /// ISO 8859-1, which keeps every byte and so writes back what it read.
    static let fallback = DefinedTerm.codeElements(g0: .ascii, g1: .latin1, codeExtensions: false)

    /// Resolves `terms` (already trimmed, possibly empty) and lists the terms read with a fallback.
    ///
    /// Value 1 decides the scheme. UTF-8, GB18030 and GBK exclude code extensions (PS3.5
    /// §6.1.2.5.4 d), so the terms after them are ignored. A single term without code extensions is
    /// read without escape sequences; anything else uses code extensions, reading an "ISO_IR n"
    /// term among several as its "ISO 2022 IR n" twin, as pydicom does.
    static func resolve(_ terms: [String]) -> (scheme: CharacterSetScheme, unsupportedTerms: [String]) {
        guard !terms.isEmpty else { return (.defaultRepertoire, []) }
        var unsupported: [String] = []
        let resolved: [DefinedTerm?] = terms.map { text in
            guard let term = DefinedTerm(text), term.isAvailable else {
                unsupported.append(text)
                return nil
            }
            return term
        }
        let first = resolved[0] ?? fallback
        switch first {
        case .utf8:
            return (.utf8, unsupported)
        case .gb18030:
            return (.multiByte(.gb18030), unsupported)
        case .gbk:
            return (.multiByte(.gbk), unsupported)
        case .codeElements(let g0, let g1, let codeExtensions):
            if terms.count == 1, !codeExtensions {
                return (g1.map { .singleByte(g1: $0) } ?? .defaultRepertoire, unsupported)
            }
            var designatable: [GraphicCharacterSet] = []
            for term in [first] + resolved.dropFirst().compactMap({ $0 }) {
                guard case .codeElements(let g0, let g1, _) = term else { continue }
                for set in [g0, g1].compactMap({ $0 }) where set != .ascii && set != .jisX0201Romaji {
                    if !designatable.contains(set) { designatable.append(set) }
                }
            }
            let initialG0 = g0.flatMap { $0.isDoubleByte ? nil : $0 } ?? .ascii
            return (.codeExtensions(CodeExtensions(initialG0: initialG0, initialG1: g1, designatable: designatable)), unsupported)
        }
    }
}
