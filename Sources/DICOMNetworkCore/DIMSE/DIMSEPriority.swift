/// The Priority (0000,0700) of a C-STORE, C-FIND, C-GET or C-MOVE request (PS3.7 §9.1.1,
/// §E.1): advisory, an SCP may ignore it.
///
/// A raw-value struct so that a value outside the three defined ones still decodes.
public struct DIMSEPriority: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public let rawValue: UInt16

    /// Wraps a value from the wire.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// LOW, 0002H.
    public static let low = DIMSEPriority(rawValue: 0x0002)
    /// MEDIUM, 0000H: what SCUs send unless told otherwise.
    public static let medium = DIMSEPriority(rawValue: 0x0000)
    /// HIGH, 0001H.
    public static let high = DIMSEPriority(rawValue: 0x0001)

    public var description: String {
        switch rawValue {
        case 0x0000: "medium"
        case 0x0001: "high"
        case 0x0002: "low"
        default: "priority \(CommandField.hex(rawValue))"
        }
    }
}
