/// The A-ABORT service primitive (PS3.8 §7.3): an abrupt end of the association by a service-user,
/// or the indication of an A-ABORT PDU received.
///
/// PS3.8 §7.3.1.1 gives the indication an Abort Source; pynetdicom's `A_ABORT` adds the reason the
/// A-ABORT PDU carries, which PS3.8 Table 9-26 makes significant only when the service-provider
/// aborted. A received PDU from the service-provider is better read as an ``APAbort``
/// (PS3.8 Table 9-9, AA-3).
public struct AAbort: Hashable, Sendable, CustomStringConvertible {
    /// Who aborted.
    public var source: Source

    /// Why, when the service-provider aborted; `nil` for the service-user, whose reason is not
    /// significant (PS3.8 Table 9-26).
    public var reason: UpperLayerStateMachine.ProviderAbortReason?

    /// Creates the primitive; the default is a service-user abort, what a local A-ABORT request
    /// sends.
    public init(source: Source = .serviceUser, reason: UpperLayerStateMachine.ProviderAbortReason? = nil) {
        self.source = source
        self.reason = reason
    }

    /// The Abort Source of PS3.8 §7.3.1.1, the Source field of the A-ABORT PDU (Table 9-26);
    /// values outside the table are carried as they are.
    public struct Source: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The Source byte.
        public let rawValue: UInt8

        /// Wraps a Source byte.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: DICOM UL service-user (initiated abort).
        public static let serviceUser = Source(rawValue: 0)
        /// 2: DICOM UL service-provider (initiated abort).
        public static let serviceProvider = Source(rawValue: 2)

        /// The source in the words of PS3.8 Table 9-26.
        public var description: String {
            switch rawValue {
            case 0: "DICOM UL service-user"
            case 1: "reserved source 1"
            case 2: "DICOM UL service-provider"
            default: "unknown source \(rawValue)"
            }
        }
    }

    /// "aborted by the DICOM UL service-provider: unexpected-PDU".
    public var description: String {
        if let reason { "aborted by the \(source): \(reason)" } else { "aborted by the \(source)" }
    }
}

// MARK: - Wire value

extension AAbort {
    /// The indication of a received A-ABORT PDU. The reason is kept for any source but the
    /// service-user; a reserved reason value reads as `reasonNotSpecified`.
    public init(_ pdu: PDU.Abort) {
        let source = Source(rawValue: pdu.source.rawValue)
        self.init(
            source: source,
            reason: source == .serviceUser
                ? nil
                : UpperLayerStateMachine.ProviderAbortReason(rawValue: pdu.reason.rawValue) ?? .reasonNotSpecified
        )
    }

    /// The A-ABORT PDU that sends this abort; a service-user abort carries reason 0.
    public var pdu: PDU.Abort {
        PDU.Abort(
            source: PDU.Abort.Source(rawValue: source.rawValue),
            reason: PDU.Abort.Reason(rawValue: reason?.rawValue ?? 0)
        )
    }
}
