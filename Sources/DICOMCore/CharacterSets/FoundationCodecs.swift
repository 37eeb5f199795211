import Foundation

/// The Foundation string encodings the character-set tables and the multi-byte decoders are built
/// from, and what was found about them on Linux (swift-corelibs-foundation, Swift 6.3).
///
/// Encodings Foundation does not name are reached through their CoreFoundation numbers:
/// `CFStringConvertEncodingToNSStringEncoding` sets bit 31 of a `CFStringEncoding` (values from
/// `CFStringEncodingExt.h`), which gives the same raw `String.Encoding` values on Darwin and Linux.
///
/// Probed on Linux (x86_64, Swift 6.3.1):
/// - Work: ISO 8859-1/-2/-3/-4/-5/-6/-7/-8/-9/-11/-15, Shift_JIS, ISO-2022-JP, ISO-2022-JP-1/-2
///   (JIS X 0212 through `ESC $ ( D`), EUC-KR, EUC-CN, GB 18030, CP936 (GBK).
/// - Do not work: `.japaneseEUC` and CF EUC-JP (0x0920) return nil even for ASCII input;
///   CF GB_2312_80 (0x0630), KSC_5601_87 (0x0640), JIS_X0201_76 (0x0620), JIS_X0212_90 (0x0623)
///   and ISO-2022-JP-3 (0x0823) return nil for every input. Hence JIS X 0208 is read through
///   ISO-2022-JP, JIS X 0212 through ISO-2022-JP-1, KS X 1001 through EUC-KR and GB 2312 through
///   EUC-CN, never through the EUC-JP form.
/// - Differ from the published mapping tables (Unicode's JIS0208.TXT, KSC5601 2002 amendment,
///   GB2312.TXT) in a handful of cells; `DoubleByteTable` corrects them.
enum FoundationCodecs {
    /// ISO 8859-1 (Latin alphabet No. 1).
    static let latin1 = String.Encoding.isoLatin1
    /// ISO 8859-2 (Latin alphabet No. 2).
    static let latin2 = String.Encoding.isoLatin2
    /// ISO 8859-3: kCFStringEncodingISOLatin3 (0x0203).
    static let latin3 = coreFoundation(0x0203)
    /// ISO 8859-4: kCFStringEncodingISOLatin4 (0x0204).
    static let latin4 = coreFoundation(0x0204)
    /// ISO 8859-5: kCFStringEncodingISOLatinCyrillic (0x0205).
    static let cyrillic = coreFoundation(0x0205)
    /// ISO 8859-6: kCFStringEncodingISOLatinArabic (0x0206).
    static let arabic = coreFoundation(0x0206)
    /// ISO 8859-7: kCFStringEncodingISOLatinGreek (0x0207).
    static let greek = coreFoundation(0x0207)
    /// ISO 8859-8: kCFStringEncodingISOLatinHebrew (0x0208).
    static let hebrew = coreFoundation(0x0208)
    /// ISO 8859-9: kCFStringEncodingISOLatin5 (0x0209).
    static let latin5 = coreFoundation(0x0209)
    /// ISO 8859-11 (TIS 620-2533 plus NBSP at 0xA0): kCFStringEncodingISOLatinThai (0x020B).
    static let thai = coreFoundation(0x020B)
    /// ISO 8859-15: kCFStringEncodingISOLatin9 (0x020F).
    static let latin9 = coreFoundation(0x020F)
    /// Shift_JIS, whose single bytes 0xA1–0xDF are the JIS X 0201 katakana.
    static let shiftJIS = String.Encoding.shiftJIS
    /// ISO-2022-JP, for JIS X 0208 (`ESC $ B`).
    static let iso2022JP = String.Encoding.iso2022JP
    /// ISO-2022-JP-1, for JIS X 0212 (`ESC $ ( D`): kCFStringEncodingISO_2022_JP_1 (0x0822).
    static let iso2022JP1 = coreFoundation(0x0822)
    /// EUC-KR, whose two-byte codes are KS X 1001 with both high bits set:
    /// kCFStringEncodingEUC_KR (0x0940).
    static let eucKR = coreFoundation(0x0940)
    /// EUC-CN, whose two-byte codes are GB 2312 with both high bits set:
    /// kCFStringEncodingEUC_CN (0x0930).
    static let eucCN = coreFoundation(0x0930)
    /// GB 18030: kCFStringEncodingGB_18030_2000 (0x0632).
    static let gb18030 = coreFoundation(0x0632)
    /// GBK as Microsoft code page 936: kCFStringEncodingDOSChineseSimplif (0x0421).
    static let gbk = coreFoundation(0x0421)

    /// The `String.Encoding` of a `CFStringEncoding`, as `CFStringConvertEncodingToNSStringEncoding`
    /// computes it.
    private static func coreFoundation(_ cfStringEncoding: UInt) -> String.Encoding {
        String.Encoding(rawValue: 0x8000_0000 | cfStringEncoding)
    }

    /// Decodes `bytes` with `encoding`, or nil when Foundation rejects them (or lacks the encoding).
    static func decode(_ bytes: [UInt8], as encoding: String.Encoding) -> String? {
        String(bytes: bytes, encoding: encoding)
    }

    /// Encodes `string` with `encoding`, or nil when a character has no code in it.
    static func encode(_ string: String, as encoding: String.Encoding) -> [UInt8]? {
        string.data(using: encoding, allowLossyConversion: false).map { [UInt8]($0) }
    }
}
