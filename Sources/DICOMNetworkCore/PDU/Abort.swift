internal import NIOCore

extension PDU {
    /// An A-ABORT PDU (type 07H, PS3.8 §9.3.8, Table 9-26).
    public struct Abort: Hashable, Sendable {
        /// Who aborted.
        public var source: Source

        /// Why, when the provider aborted; PS3.8 Table 9-26 says it is not significant when the
        /// service-user aborted (send ``Reason/reasonNotSpecified``).
        public var reason: Reason

        /// Creates an abort.
        public init(source: Source, reason: Reason = .reasonNotSpecified) {
            self.source = source
            self.reason = reason
        }
    }
}

extension PDU.Abort {
    /// The Source field (byte 9); values outside PS3.8 Table 9-26 are carried as they are.
    public struct Source: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: DICOM UL service-user (initiated abort).
        public static let serviceUser = Source(rawValue: 0)
        /// 1: reserved.
        public static let reserved = Source(rawValue: 1)
        /// 2: DICOM UL service-provider (initiated abort).
        public static let serviceProvider = Source(rawValue: 2)

        public var description: String {
            switch rawValue {
            case 0: "DICOM UL service-user"
            case 1: "reserved"
            case 2: "DICOM UL service-provider"
            default: "unknown source \(rawValue)"
            }
        }
    }

    /// The Reason/Diag. field (byte 10) of a provider-initiated abort; values outside PS3.8 Table
    /// 9-26 are carried as they are.
    public struct Reason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: reason-not-specified.
        public static let reasonNotSpecified = Reason(rawValue: 0)
        /// 1: unrecognized-PDU.
        public static let unrecognizedPDU = Reason(rawValue: 1)
        /// 2: unexpected-PDU.
        public static let unexpectedPDU = Reason(rawValue: 2)
        /// 4: unrecognized-PDU parameter.
        public static let unrecognizedPDUParameter = Reason(rawValue: 4)
        /// 5: unexpected-PDU parameter.
        public static let unexpectedPDUParameter = Reason(rawValue: 5)
        /// 6: invalid-PDU-parameter value.
        public static let invalidPDUParameterValue = Reason(rawValue: 6)

        public var description: String {
            switch rawValue {
            case 0: "reason-not-specified"
            case 1: "unrecognized-PDU"
            case 2: "unexpected-PDU"
            case 3: "reserved"
            case 4: "unrecognized-PDU parameter"
            case 5: "unexpected-PDU parameter"
            case 6: "invalid-PDU-parameter value"
            default: "unknown reason \(rawValue)"
            }
        }
    }
}

extension PDU.Abort {
    /// Decodes the four bytes after the header: reserved, reserved, Source, Reason/Diag.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        try reader.skipReserved(2)
        self.init(
            source: Source(rawValue: try reader.readInteger("Source")),
            reason: Reason(rawValue: try reader.readInteger("Reason/Diag."))
        )
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(UInt8(0), UInt8(0), source.rawValue, reason.rawValue, endianness: .big)
    }
}
