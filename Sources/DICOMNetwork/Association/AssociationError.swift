public import DICOMNetworkCore

/// Why an association could not be made, or ended before its user was done with it. Each case
/// says what the peer (or the network) did, in the standard's words.
public struct AssociationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: String, Hashable, Sendable {
            case connectionFailed, rejected, aborted, providerAborted, timedOut, closed
            case noAcceptedContext, protocolViolation, invalidConfiguration, invalidInput, cancelled
        }

        let base: Base

        /// The TCP connection could not be opened.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The acceptor answered with an A-ASSOCIATE-RJ (see ``AssociationError/rejection``).
        public static let rejected = Code(base: .rejected)
        /// The peer sent an A-ABORT (see ``AssociationError/abort``).
        public static let aborted = Code(base: .aborted)
        /// The upper layer aborted: an invalid PDU, or the transport closed under the association.
        public static let providerAborted = Code(base: .providerAborted)
        /// A timeout expired: ACSE (association messages), DIMSE (a response) or network (silence).
        public static let timedOut = Code(base: .timedOut)
        /// The association is already released or aborted.
        public static let closed = Code(base: .closed)
        /// No accepted presentation context fits the request (abstract and transfer syntax).
        public static let noAcceptedContext = Code(base: .noAcceptedContext)
        /// The peer broke DIMSE or ACSE rules (an unexpected message, a malformed command).
        public static let protocolViolation = Code(base: .protocolViolation)
        /// The local configuration cannot make a valid request (an AE title too long, no contexts).
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// What was to be sent cannot be read or encoded (an unreadable file, a data set that
        /// cannot be converted to any accepted transfer syntax); the association goes on.
        public static let invalidInput = Code(base: .invalidInput)
        /// The request was not sent: what it was part of was cancelled while it waited to go
        /// out (a retrieve's sub-operation read ahead, after a C-CANCEL); the association goes on.
        public static let cancelled = Code(base: .cancelled)

        public var description: String { base.rawValue }
    }

    /// What happened.
    public var code: Code
    /// For ``Code/rejected``: the A-ASSOCIATE-RJ's result, source and reason.
    public var rejection: PDU.AssociateRJ?
    /// For ``Code/aborted``: the A-ABORT's source and reason.
    public var abort: PDU.Abort?
    /// Details for a person.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String, rejection: PDU.AssociateRJ? = nil, abort: PDU.Abort? = nil) {
        self.code = code
        self.detail = detail
        self.rejection = rejection
        self.abort = abort
    }

    public var description: String {
        if let rejection {
            return detail.isEmpty
                ? "association rejected: result \(rejection.result), source \(rejection.source), \(rejection.reason)"
                : "association rejected: " + detail
        }
        if let abort {
            return "association aborted by the peer: source \(abort.source), reason \(abort.reason)" + (detail.isEmpty ? "" : " — " + detail)
        }
        return "\(code): \(detail)"
    }
}
