/// A value representation: the data type and encoding of an element's value (PS3.5 §6.2,
/// Table 6.2-1). The raw value is the two-character code that explicit VR encodings carry.
public enum VR: String, CaseIterable, Sendable, Hashable {
    /// Application Entity.
    case AE
    /// Age String.
    case AS
    /// Attribute Tag.
    case AT
    /// Code String.
    case CS
    /// Date.
    case DA
    /// Decimal String.
    case DS
    /// Date Time.
    case DT
    /// Floating Point Single.
    case FL
    /// Floating Point Double.
    case FD
    /// Integer String.
    case IS
    /// Long String.
    case LO
    /// Long Text.
    case LT
    /// Other Byte.
    case OB
    /// Other Double.
    case OD
    /// Other Float.
    case OF
    /// Other Long.
    case OL
    /// Other 64-bit Very Long.
    case OV
    /// Other Word.
    case OW
    /// Person Name.
    case PN
    /// Short String.
    case SH
    /// Signed Long.
    case SL
    /// Sequence of Items.
    case SQ
    /// Signed Short.
    case SS
    /// Short Text.
    case ST
    /// Signed 64-bit Very Long.
    case SV
    /// Time.
    case TM
    /// Unlimited Characters.
    case UC
    /// Unique Identifier.
    case UI
    /// Unsigned Long.
    case UL
    /// Unknown.
    case UN
    /// Universal Resource Identifier or Locator.
    case UR
    /// Unsigned Short.
    case US
    /// Unlimited Text.
    case UT
    /// Unsigned 64-bit Very Long.
    case UV
}

extension VR {
    /// The two code bytes packed big-end first, as they appear on the wire: `"PN"` is 0x504E.
    @inlinable
    public var code: UInt16 {
        let utf8 = rawValue.utf8
        return UInt16(utf8.first!) << 8 | UInt16(utf8.last!)
    }

    /// The VR whose two code bytes are `code` (first byte in the high half), if any.
    public init?(code: UInt16) {
        guard let vr = VR.byCode[code] else { return nil }
        self = vr
    }

    private static let byCode: [UInt16: VR] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.code, $0) })
}
