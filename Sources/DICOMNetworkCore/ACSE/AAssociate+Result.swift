extension AAssociate {
    /// The Result parameter (PS3.8 §7.1.1.7); values outside PS3.8 are carried as they are.
    public struct Result: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The value: 0 in an A-ASSOCIATE-AC, the Result field of an A-ASSOCIATE-RJ otherwise.
        public let rawValue: UInt8

        /// Wraps a value.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: accepted.
        public static let accepted = Result(rawValue: 0)
        /// 1: rejected (permanent).
        public static let rejectedPermanent = Result(rawValue: 1)
        /// 2: rejected (transient).
        public static let rejectedTransient = Result(rawValue: 2)

        /// Whether this is one of the two rejections.
        public var isRejection: Bool {
            self == .rejectedPermanent || self == .rejectedTransient
        }

        /// The result in words.
        public var description: String {
            switch rawValue {
            case 0: "accepted"
            case 1: "rejected (permanent)"
            case 2: "rejected (transient)"
            default: "unknown result \(rawValue)"
            }
        }
    }

    /// The Result Source parameter (PS3.8 §7.1.1.8, Table 9-21); values outside the table are
    /// carried as they are.
    public struct ResultSource: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The Source field of an A-ASSOCIATE-RJ.
        public let rawValue: UInt8

        /// Wraps a value.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 1: DICOM UL service-user.
        public static let serviceUser = ResultSource(rawValue: 1)
        /// 2: DICOM UL service-provider (ACSE related function).
        public static let serviceProviderACSE = ResultSource(rawValue: 2)
        /// 3: DICOM UL service-provider (Presentation related function).
        public static let serviceProviderPresentation = ResultSource(rawValue: 3)

        /// The source in the words of PS3.8 Table 9-21.
        public var description: String {
            switch rawValue {
            case 1: "DICOM UL service-user"
            case 2: "DICOM UL service-provider (ACSE related function)"
            case 3: "DICOM UL service-provider (Presentation related function)"
            default: "unknown source \(rawValue)"
            }
        }
    }

    /// The Diagnostic parameter (PS3.8 §7.1.1.9), the Reason/Diag. field of an A-ASSOCIATE-RJ,
    /// whose meaning depends on the ``ResultSource`` (PS3.8 Table 9-21). The constants are grouped
    /// by source; equal values from different groups compare equal.
    public struct Diagnostic: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The Reason/Diag. byte.
        public let rawValue: UInt8

        /// Wraps a value.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        // Source 1, DICOM UL service-user.
        /// 1: no-reason-given (service-user, or service-provider ACSE related function).
        public static let noReasonGiven = Diagnostic(rawValue: 1)
        /// 2: application-context-name-not-supported (service-user).
        public static let applicationContextNameNotSupported = Diagnostic(rawValue: 2)
        /// 3: calling-AE-title-not-recognized (service-user).
        public static let callingAETitleNotRecognized = Diagnostic(rawValue: 3)
        /// 7: called-AE-title-not-recognized (service-user).
        public static let calledAETitleNotRecognized = Diagnostic(rawValue: 7)

        // Source 2, DICOM UL service-provider (ACSE related function).
        /// 2: protocol-version-not-supported (service-provider, ACSE related function).
        public static let protocolVersionNotSupported = Diagnostic(rawValue: 2)

        // Source 3, DICOM UL service-provider (Presentation related function).
        /// 1: temporary-congestion (service-provider, Presentation related function).
        public static let temporaryCongestion = Diagnostic(rawValue: 1)
        /// 2: local-limit-exceeded (service-provider, Presentation related function).
        public static let localLimitExceeded = Diagnostic(rawValue: 2)

        /// The diagnostic in the words of PS3.8 Table 9-21 for `source`, or "reserved" for a value
        /// the table does not define for it.
        public func description(for source: ResultSource?) -> String {
            switch (source?.rawValue, rawValue) {
            case (1, 1), (2, 1): "no reason given"
            case (1, 2): "application context name not supported"
            case (1, 3): "calling AE title not recognized"
            case (1, 7): "called AE title not recognized"
            case (2, 2): "protocol version not supported"
            case (3, 1): "temporary congestion"
            case (3, 2): "local limit exceeded"
            case (let source?, _): "reserved diagnostic \(rawValue) for source \(source)"
            case (nil, _): "diagnostic \(rawValue)"
            }
        }

        /// The bare value; use ``description(for:)`` for its meaning.
        public var description: String {
            "diagnostic \(rawValue)"
        }
    }
}

// MARK: - Rejection

extension AAssociate {
    /// The Result, Result Source and Diagnostic of a rejected association: one of the eight
    /// combinations PS3.8 Table 9-21 defines (either result with source 1 and diagnostic 1, 2, 3
    /// or 7; source 2 and diagnostic 1 or 2; source 3 and diagnostic 1 or 2).
    public struct Rejection: Hashable, Sendable, CustomStringConvertible {
        /// Rejected permanently or transiently.
        public let result: Result

        /// Who rejected the association.
        public let source: ResultSource

        /// Why.
        public let diagnostic: Diagnostic

        /// Creates a rejection, checked against PS3.8 Table 9-21.
        ///
        /// - Throws: ``ACSEError/Code/invalidRejection`` when the table does not define the
        ///   combination.
        public init(result: Result, source: ResultSource, diagnostic: Diagnostic) throws(ACSEError) {
            guard result.isRejection else {
                throw ACSEError(.invalidRejection, reason: "result \(result.rawValue) is not a rejection (PS3.8 Table 9-21 allows 1 and 2)")
            }
            guard Self.isDefined(source: source, diagnostic: diagnostic) else {
                throw ACSEError(
                    .invalidRejection,
                    reason: "diagnostic \(diagnostic.rawValue) is not defined for source \(source.rawValue) (PS3.8 Table 9-21)"
                )
            }
            self.init(unchecked: result, source, diagnostic)
        }

        private init(unchecked result: Result, _ source: ResultSource, _ diagnostic: Diagnostic) {
            self.result = result
            self.source = source
            self.diagnostic = diagnostic
        }

        static func isDefined(source: ResultSource, diagnostic: Diagnostic) -> Bool {
            switch (source.rawValue, diagnostic.rawValue) {
            case (1, 1), (1, 2), (1, 3), (1, 7), (2, 1), (2, 2), (3, 1), (3, 2): true
            default: false
            }
        }

        /// Rejected permanently by the service-user: no reason given.
        public static let noReasonGiven = Rejection(unchecked: .rejectedPermanent, .serviceUser, .noReasonGiven)

        /// Rejected permanently by the service-user: the application context name is not
        /// supported.
        public static let applicationContextNameNotSupported = Rejection(
            unchecked: .rejectedPermanent, .serviceUser, .applicationContextNameNotSupported
        )

        /// Rejected permanently by the service-user: the calling AE title is not recognized.
        public static let callingAETitleNotRecognized = Rejection(
            unchecked: .rejectedPermanent, .serviceUser, .callingAETitleNotRecognized
        )

        /// Rejected permanently by the service-user: the called AE title is not recognized.
        public static let calledAETitleNotRecognized = Rejection(
            unchecked: .rejectedPermanent, .serviceUser, .calledAETitleNotRecognized
        )

        /// Rejected permanently by the service-provider (ACSE): the protocol version is not
        /// supported.
        public static let protocolVersionNotSupported = Rejection(
            unchecked: .rejectedPermanent, .serviceProviderACSE, .protocolVersionNotSupported
        )

        /// Rejected permanently by the service-provider (ACSE), no reason given: the answer to
        /// a request that proposes no presentation context.
        public static let noPresentationContext = Rejection(
            unchecked: .rejectedPermanent, .serviceProviderACSE, .noReasonGiven
        )

        /// Rejected transiently by the service-provider (ACSE), no reason given: pynetdicom's
        /// answer when the user identity fails verification.
        public static let userIdentityNotVerified = Rejection(
            unchecked: .rejectedTransient, .serviceProviderACSE, .noReasonGiven
        )

        /// Rejected transiently by the service-provider (Presentation): temporary congestion.
        public static let temporaryCongestion = Rejection(
            unchecked: .rejectedTransient, .serviceProviderPresentation, .temporaryCongestion
        )

        /// Rejected transiently by the service-provider (Presentation): a local limit, such as the
        /// most associations at once, is exceeded.
        public static let localLimitExceeded = Rejection(
            unchecked: .rejectedTransient, .serviceProviderPresentation, .localLimitExceeded
        )

        /// "rejected (permanent) by the DICOM UL service-user: called AE title not recognized".
        public var description: String {
            "\(result) by the \(source): \(diagnostic.description(for: source))"
        }
    }
}

// MARK: - Wire values

extension AAssociate.Rejection {
    /// The A-ASSOCIATE-RJ PDU of this rejection.
    public var pdu: PDU.AssociateRJ {
        PDU.AssociateRJ(
            result: PDU.AssociateRJ.Result(rawValue: result.rawValue),
            source: PDU.AssociateRJ.Source(rawValue: source.rawValue),
            reason: PDU.AssociateRJ.Reason(rawValue: diagnostic.rawValue)
        )
    }
}
