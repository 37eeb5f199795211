extension PresentationContext {
    /// The outcome of negotiating one presentation context: the Result/Reason of PS3.8 §7.1.1.14
    /// and Table 9-18. Values outside the table are carried as they are.
    public struct Result: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The Result/Reason byte.
        public let rawValue: UInt8

        /// Wraps a Result/Reason byte.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 0: acceptance.
        public static let acceptance = Result(rawValue: 0)
        /// 1: user-rejection.
        public static let userRejection = Result(rawValue: 1)
        /// 2: no-reason (provider rejection).
        public static let noReason = Result(rawValue: 2)
        /// 3: abstract-syntax-not-supported (provider rejection).
        public static let abstractSyntaxNotSupported = Result(rawValue: 3)
        /// 4: transfer-syntaxes-not-supported (provider rejection).
        public static let transferSyntaxesNotSupported = Result(rawValue: 4)

        /// The result in words, after PS3.8 Table 9-18.
        public var description: String {
            switch rawValue {
            case 0: "accepted"
            case 1: "rejected by the user"
            case 2: "rejected by the provider, no reason given"
            case 3: "rejected by the provider, abstract syntax not supported"
            case 4: "rejected by the provider, transfer syntaxes not supported"
            default: "unknown result \(rawValue)"
            }
        }
    }
}

// MARK: - Wire value

extension PresentationContext.Result {
    /// The Result/Reason field of an A-ASSOCIATE-AC Presentation Context Item.
    init(_ wire: PDU.PresentationContextACItem.ResultReason) {
        self.init(rawValue: wire.rawValue)
    }

    var wireValue: PDU.PresentationContextACItem.ResultReason {
        PDU.PresentationContextACItem.ResultReason(rawValue: rawValue)
    }
}
