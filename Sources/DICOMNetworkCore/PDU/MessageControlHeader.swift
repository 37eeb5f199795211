extension PDU {
    /// The message control header, the first byte of a Presentation-data-value (PS3.8 §E.2).
    ///
    /// Bits 2-7 are sent as 0 and not tested on receipt; they are kept as received.
    public struct MessageControlHeader: OptionSet, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// Bit 0: the fragment holds command information (set) or data set information (clear).
        public static let command = MessageControlHeader(rawValue: 0x01)

        /// Bit 1: the fragment is the last one of its command or data set.
        public static let lastFragment = MessageControlHeader(rawValue: 0x02)

        /// Whether the fragment holds command information rather than data set information.
        public var isCommand: Bool { contains(.command) }

        /// Whether the fragment is the last one of its command or data set.
        public var isLastFragment: Bool { contains(.lastFragment) }

        public var description: String {
            (isCommand ? "command" : "data set") + (isLastFragment ? ", last fragment" : "")
        }
    }
}
