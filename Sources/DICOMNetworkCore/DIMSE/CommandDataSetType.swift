/// The Command Data Set Type (0000,0800): whether a data set follows the command (PS3.7 §E.1).
///
/// PS3.7 gives one value a meaning, 0101H for "no data set"; every other value says a data set is
/// present. A raw-value struct keeps whatever the peer sent.
public struct CommandDataSetType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public let rawValue: UInt16

    /// Wraps a value from the wire.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The value for "a data set follows".
    public init(hasDataSet: Bool) {
        self = hasDataSet ? .present : .absent
    }

    /// 0101H, the one value meaning no data set follows (PS3.7 §E.1, "Null").
    public static let absent = CommandDataSetType(rawValue: 0x0101)

    /// 0001H, the value NetDICOM sends when a data set follows; any value but 0101H would do.
    public static let present = CommandDataSetType(rawValue: 0x0001)

    /// Whether a data set follows the command: any value but 0101H.
    public var isPresent: Bool { rawValue != CommandDataSetType.absent.rawValue }

    public var description: String {
        isPresent ? "data set present (\(CommandField.hex(rawValue)))" : "no data set"
    }
}
