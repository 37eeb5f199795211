internal import NIOCore

extension PDU {
    /// An A-ASSOCIATE-RJ PDU (type 03H, PS3.8 §9.3.4, Table 9-21): the rejection of an association.
    public struct AssociateRJ: Hashable, Sendable {
        /// Whether the rejection is permanent or transient.
        public var result: Result

        /// Who rejected the association.
        public var source: Source

        /// Why; the meaning of the value depends on ``source``.
        public var reason: Reason

        /// Creates a rejection.
        public init(result: Result, source: Source, reason: Reason) {
            self.result = result
            self.source = source
            self.reason = reason
        }
    }
}

extension PDU.AssociateRJ {
    /// The Result field (byte 8); values outside PS3.8 Table 9-21 are carried as they are.
    public struct Result: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 1: rejected-permanent.
        public static let rejectedPermanent = Result(rawValue: 1)
        /// 2: rejected-transient.
        public static let rejectedTransient = Result(rawValue: 2)

        public var description: String {
            switch rawValue {
            case 1: "rejected-permanent"
            case 2: "rejected-transient"
            default: "unknown result \(rawValue)"
            }
        }
    }

    /// The Source field (byte 9); values outside PS3.8 Table 9-21 are carried as they are.
    public struct Source: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 1: DICOM UL service-user.
        public static let serviceUser = Source(rawValue: 1)
        /// 2: DICOM UL service-provider (ACSE related function).
        public static let serviceProviderACSE = Source(rawValue: 2)
        /// 3: DICOM UL service-provider (Presentation related function).
        public static let serviceProviderPresentation = Source(rawValue: 3)

        public var description: String {
            switch rawValue {
            case 1: "DICOM UL service-user"
            case 2: "DICOM UL service-provider (ACSE related function)"
            case 3: "DICOM UL service-provider (Presentation related function)"
            default: "unknown source \(rawValue)"
            }
        }
    }

    /// The Reason/Diag. field (byte 10), whose meaning depends on the ``Source`` (PS3.8 Table
    /// 9-21); the constants are grouped by source, and equal raw values from different groups
    /// compare equal.
    public struct Reason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        // Source 1, DICOM UL service-user.
        /// 1: no-reason-given (service-user, or service-provider ACSE related function).
        public static let noReasonGiven = Reason(rawValue: 1)
        /// 2: application-context-name-not-supported (service-user).
        public static let applicationContextNameNotSupported = Reason(rawValue: 2)
        /// 3: calling-AE-title-not-recognized (service-user).
        public static let callingAETitleNotRecognized = Reason(rawValue: 3)
        /// 7: called-AE-title-not-recognized (service-user).
        public static let calledAETitleNotRecognized = Reason(rawValue: 7)

        // Source 2, DICOM UL service-provider (ACSE related function).
        /// 2: protocol-version-not-supported (service-provider, ACSE related function).
        public static let protocolVersionNotSupported = Reason(rawValue: 2)

        // Source 3, DICOM UL service-provider (Presentation related function).
        /// 1: temporary-congestion (service-provider, Presentation related function).
        public static let temporaryCongestion = Reason(rawValue: 1)
        /// 2: local-limit-exceeded (service-provider, Presentation related function).
        public static let localLimitExceeded = Reason(rawValue: 2)

        public var description: String {
            "reason/diag \(rawValue)"
        }
    }

    /// The reason in the words of PS3.8 Table 9-21, read against the source.
    public var reasonDescription: String {
        switch (source.rawValue, reason.rawValue) {
        case (1, 1), (2, 1): "no-reason-given"
        case (1, 2): "application-context-name-not-supported"
        case (1, 3): "calling-AE-title-not-recognized"
        case (1, 7): "called-AE-title-not-recognized"
        case (2, 2): "protocol-version-not-supported"
        case (3, 1): "temporary-congestion"
        case (3, 2): "local-limit-exceeded"
        default: "reserved reason \(reason.rawValue) for source \(source.rawValue)"
        }
    }
}

extension PDU.AssociateRJ {
    /// Decodes the four bytes after the header: reserved, Result, Source, Reason/Diag.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        try reader.skipReserved(1)
        self.init(
            result: Result(rawValue: try reader.readInteger("Result")),
            source: Source(rawValue: try reader.readInteger("Source")),
            reason: Reason(rawValue: try reader.readInteger("Reason/Diag."))
        )
    }

    func write(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(UInt8(0), result.rawValue, source.rawValue, reason.rawValue, endianness: .big)
    }
}
