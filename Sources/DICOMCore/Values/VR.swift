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
    ///
    /// A switch rather than a table: explicit VR readers call this once per element, and the
    /// compiler turns it into a few comparisons, without hashing or a global to guard.
    public init?(code: UInt16) {
        switch code {
        case 0x4145: self = .AE
        case 0x4153: self = .AS
        case 0x4154: self = .AT
        case 0x4353: self = .CS
        case 0x4441: self = .DA
        case 0x4453: self = .DS
        case 0x4454: self = .DT
        case 0x464C: self = .FL
        case 0x4644: self = .FD
        case 0x4953: self = .IS
        case 0x4C4F: self = .LO
        case 0x4C54: self = .LT
        case 0x4F42: self = .OB
        case 0x4F44: self = .OD
        case 0x4F46: self = .OF
        case 0x4F4C: self = .OL
        case 0x4F56: self = .OV
        case 0x4F57: self = .OW
        case 0x504E: self = .PN
        case 0x5348: self = .SH
        case 0x534C: self = .SL
        case 0x5351: self = .SQ
        case 0x5353: self = .SS
        case 0x5354: self = .ST
        case 0x5356: self = .SV
        case 0x544D: self = .TM
        case 0x5543: self = .UC
        case 0x5549: self = .UI
        case 0x554C: self = .UL
        case 0x554E: self = .UN
        case 0x5552: self = .UR
        case 0x5553: self = .US
        case 0x5554: self = .UT
        case 0x5556: self = .UV
        default: return nil
        }
    }
}
