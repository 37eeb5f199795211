import DICOMCore

/// Universal Matching (PS3.4 §C.2.2.2.3): "If the value specified for a Key Attribute in a
/// request is zero length, then all entities shall match this Attribute."
///
/// Besides zero length, these values are universal: only padding (spaces, which PS3.5 §6.2 makes
/// insignificant, so the value is zero length once stripped); only `*`, which §C.2.2.2.4 calls
/// equivalent to Universal Matching for the wild card VRs and which SCUs also send for dates and
/// UIDs; and a PN value with only delimiters (`^`, `=`), an empty name.
enum UniversalMatching {
    /// Whether the non-empty, stripped key value `value` asks for Universal Matching.
    static func isUniversal(_ value: String, vr: VR) -> Bool {
        if value.utf8.allSatisfy({ $0 == UInt8(ascii: "*") }) {
            return true
        }
        if vr == .PN {
            return value.utf8.allSatisfy { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "=") || $0 == 0x20 }
        }
        return false
    }
}
