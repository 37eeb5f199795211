public import DICOMCore

/// The checks an association-acceptor makes on an A-ASSOCIATE-RQ before negotiating it, as a pure
/// function: the request and the count of running associations in, accept or the exact rejection
/// of PS3.8 Table 9-21 out.
///
/// The settings and their defaults are pynetdicom's `ApplicationEntity` attributes
/// (`require_called_aet`, `require_calling_aet`, `maximum_associations`). The checks, first
/// failure wins:
///
/// | check | rejection (result, source, diagnostic) |
/// |---|---|
/// | Protocol-version bit 0 not set (PS3.8 Table 9-11) | permanent (1), service-provider ACSE (2), protocol-version-not-supported (2) |
/// | no presentation context proposed (PS3.8 §7.1.1.13: one or more) | permanent (1), service-provider ACSE (2), no-reason-given (1) |
/// | called AE title all spaces (PS3.8 §9.3.2: shall not be used) | permanent (1), service-user (1), called-AE-title-not-recognized (7) |
/// | calling AE title all spaces | permanent (1), service-user (1), calling-AE-title-not-recognized (3) |
/// | ``maximumAssociations`` already running | transient (2), service-provider presentation (3), local-limit-exceeded (2) |
/// | application context not in ``supportedApplicationContextNames`` | permanent (1), service-user (1), application-context-name-not-supported (2) |
/// | called AE title not ``aeTitle`` (with ``requireCalledAETitle``) | permanent (1), service-user (1), called-AE-title-not-recognized (7) |
/// | calling AE title not in ``requiredCallingAETitles`` (when not empty) | permanent (1), service-user (1), calling-AE-title-not-recognized (3) |
///
/// The service-provider's checks come first, as the provider answers before the user sees the
/// indication (PS3.8 Table 9-6, AE-6), and a request PS3.8 forbids (a ``Defect``) is rejected
/// whatever the load; among the user's, a wrong called AE title wins over a wrong calling one, as
/// in pynetdicom.
public struct AssociationAcceptancePolicy: Hashable, Sendable {
    /// The acceptor's AE title.
    public var aeTitle: String

    /// Whether the Called AE Title must be ``aeTitle`` (leading and trailing spaces aside);
    /// default `false`, as pynetdicom's `require_called_aet`.
    public var requireCalledAETitle: Bool

    /// The Calling AE Titles allowed; empty (the default, as pynetdicom's `require_calling_aet`)
    /// allows any.
    public var requiredCallingAETitles: [String]

    /// The most associations the acceptor runs at once; default 10, pynetdicom's
    /// `maximum_associations`.
    public var maximumAssociations: Int

    /// The application context names the acceptor supports; default the DICOM one
    /// (PS3.7 Annex A.2.1).
    public var supportedApplicationContextNames: Set<UID>

    /// Creates a policy; the defaults accept any request for the DICOM application context while
    /// fewer than 10 associations run.
    public init(
        aeTitle: String,
        requireCalledAETitle: Bool = false,
        requiredCallingAETitles: [String] = [],
        maximumAssociations: Int = AssociationAcceptancePolicy.defaultMaximumAssociations,
        supportedApplicationContextNames: Set<UID> = [AAssociate.dicomApplicationContextName]
    ) {
        self.aeTitle = aeTitle
        self.requireCalledAETitle = requireCalledAETitle
        self.requiredCallingAETitles = requiredCallingAETitles
        self.maximumAssociations = maximumAssociations
        self.supportedApplicationContextNames = supportedApplicationContextNames
    }

    /// pynetdicom's default `maximum_associations`.
    public static let defaultMaximumAssociations = 10

    /// Accept the request, or reject it.
    public enum Decision: Hashable, Sendable {
        /// The request passes; negotiate it.
        case accept
        /// Send an A-ASSOCIATE-RJ with this rejection.
        case reject(AAssociate.Rejection)
    }

    /// Judges `request`.
    ///
    /// - Parameters:
    ///   - request: The A-ASSOCIATE-RQ received.
    ///   - currentAssociations: How many associations the acceptor already runs, not counting this
    ///     one; it is rejected when that number has reached ``maximumAssociations``.
    public func decide(_ request: PDU.AssociateRQ, currentAssociations: Int) -> Decision {
        if request.protocolVersion & PDU.protocolVersion1 == 0 {
            return .reject(.protocolVersionNotSupported)
        }
        if let defect = Defect(of: request) {
            return .reject(defect.rejection)
        }
        if currentAssociations >= maximumAssociations {
            return .reject(.localLimitExceeded)
        }
        if !supportedApplicationContextNames.contains(request.applicationContextName) {
            return .reject(.applicationContextNameNotSupported)
        }
        if requireCalledAETitle, !AETitle.matches(request.calledAETitle, aeTitle) {
            return .reject(.calledAETitleNotRecognized)
        }
        if !requiredCallingAETitles.isEmpty,
            !requiredCallingAETitles.contains(where: { AETitle.matches($0, request.callingAETitle) })
        {
            return .reject(.callingAETitleNotRecognized)
        }
        return .accept
    }
}

extension AssociationAcceptancePolicy {
    /// What makes an A-ASSOCIATE-RQ one that PS3.8 forbids a requestor to send, beyond what
    /// decoding checks; each is rejected, and the acceptor logs the defect to say why.
    public enum Defect: Hashable, Sendable, CustomStringConvertible {
        /// No Presentation Context Item (PS3.8 §7.1.1.13 asks for one or more).
        case noPresentationContext
        /// A Called-AE-title of spaces only (PS3.8 §9.3.2: "shall not be used").
        case blankCalledAETitle
        /// A Calling-AE-title of spaces only.
        case blankCallingAETitle
        /// A presentation context ID that is even (PS3.8 §9.3.2.2 asks for odd ones, 1 to 255):
        /// no answer could name that context.
        case evenPresentationContextID(UInt8)
        /// Two presentation contexts with one ID (PS3.8 §7.1.1.13).
        case duplicatePresentationContextID(UInt8)

        /// The first defect of `request`, or nil.
        public init?(of request: PDU.AssociateRQ) {
            var ids = Set<UInt8>()
            if request.presentationContexts.isEmpty {
                self = .noPresentationContext
            } else if let even = request.presentationContexts.first(where: { !PresentationContext.isValidContextID($0.presentationContextID) }) {
                self = .evenPresentationContextID(even.presentationContextID)
            } else if let twice = request.presentationContexts.first(where: { !ids.insert($0.presentationContextID).inserted }) {
                self = .duplicatePresentationContextID(twice.presentationContextID)
            } else if AETitle.significant(request.calledAETitle).isEmpty {
                self = .blankCalledAETitle
            } else if AETitle.significant(request.callingAETitle).isEmpty {
                self = .blankCallingAETitle
            } else {
                return nil
            }
        }

        /// The rejection it gets.
        public var rejection: AAssociate.Rejection {
            switch self {
            // The answer to a request without a usable context: rejected permanently by the
            // ACSE provider, no reason given.
            case .noPresentationContext, .evenPresentationContextID, .duplicatePresentationContextID: .noPresentationContext
            case .blankCalledAETitle: .calledAETitleNotRecognized
            case .blankCallingAETitle: .callingAETitleNotRecognized
            }
        }

        public var description: String {
            switch self {
            case .noPresentationContext: "the request proposes no presentation context"
            case .blankCalledAETitle: "the called AE title is all spaces"
            case .blankCallingAETitle: "the calling AE title is all spaces"
            case .evenPresentationContextID(let id): "the request proposes presentation context ID \(id), which is even (PS3.8 §9.3.2.2)"
            case .duplicatePresentationContextID(let id): "the request proposes two presentation contexts with ID \(id) (PS3.8 §7.1.1.13)"
            }
        }
    }
}
