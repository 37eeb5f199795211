public import DICOMCore

/// The A-ASSOCIATE service primitive (PS3.8 §7.1, Table 7-2): one value for the request,
/// indication, response and confirmation, with every parameter of PS3.8 §7.1.1 and of pynetdicom's
/// `A_ASSOCIATE`.
///
/// A request fills the AE titles, the presentation addresses, the
/// ``presentationContextDefinitionList`` and the requestor's ``userInformation``. A response adds
/// the ``result``, the ``resultSource`` and, for a rejection, the ``diagnostic``; an acceptance
/// adds the ``presentationContextDefinitionResultList`` and carries the acceptor's
/// ``userInformation``. `PDU.AssociateRQ`, `PDU.AssociateAC` and `PDU.AssociateRJ` convert to and
/// from it (AAssociate+PDU.swift).
public struct AAssociate: Hashable, Sendable {
    /// The Application Context Name (PS3.8 §7.1.1.2); DICOM defines one, 1.2.840.10008.3.1.1.1
    /// (PS3.7 Annex A.2.1).
    public var applicationContextName: UID

    /// The Calling AE Title: the requestor's AE title (PS3.8 §7.1.1.3).
    public var callingAETitle: String

    /// The Called AE Title: the AE title the requestor wants to reach (PS3.8 §7.1.1.4).
    public var calledAETitle: String

    /// The User Information (PS3.8 §7.1.1.6, PS3.7 Annex D.3.3): the requestor's in a request, the
    /// acceptor's in an acceptance, empty in a rejection.
    public var userInformation: UserInformation

    /// The Result (PS3.8 §7.1.1.7); `nil` in a request.
    public var result: Result?

    /// The Result Source (PS3.8 §7.1.1.8); `nil` in a request. An acceptance comes from the UL
    /// service-user.
    public var resultSource: ResultSource?

    /// The Diagnostic (PS3.8 §7.1.1.9) of a rejection; its meaning depends on ``resultSource``.
    public var diagnostic: Diagnostic?

    /// The Calling Presentation Address: the requestor's TCP/IP address (PS3.8 §7.1.1.10).
    public var callingPresentationAddress: PresentationAddress?

    /// The Called Presentation Address: the acceptor's TCP/IP address (PS3.8 §7.1.1.11).
    public var calledPresentationAddress: PresentationAddress?

    /// The Presentation Context Definition List: the proposed contexts, each with an ID
    /// (PS3.8 §7.1.1.13).
    public var presentationContextDefinitionList: [PresentationContext]

    /// The Presentation Context Definition Result List: the outcome of each proposed context, in
    /// any order (PS3.8 §7.1.1.14).
    public var presentationContextDefinitionResultList: [PresentationContext]

    /// Creates a primitive; the defaults make a request from the DICOM application context with
    /// NetDICOM's user information (``UserInformation/netDICOM``).
    public init(
        applicationContextName: UID = AAssociate.dicomApplicationContextName,
        callingAETitle: String,
        calledAETitle: String,
        userInformation: UserInformation = .netDICOM,
        result: Result? = nil,
        resultSource: ResultSource? = nil,
        diagnostic: Diagnostic? = nil,
        callingPresentationAddress: PresentationAddress? = nil,
        calledPresentationAddress: PresentationAddress? = nil,
        presentationContextDefinitionList: [PresentationContext] = [],
        presentationContextDefinitionResultList: [PresentationContext] = []
    ) {
        self.applicationContextName = applicationContextName
        self.callingAETitle = callingAETitle
        self.calledAETitle = calledAETitle
        self.userInformation = userInformation
        self.result = result
        self.resultSource = resultSource
        self.diagnostic = diagnostic
        self.callingPresentationAddress = callingPresentationAddress
        self.calledPresentationAddress = calledPresentationAddress
        self.presentationContextDefinitionList = presentationContextDefinitionList
        self.presentationContextDefinitionResultList = presentationContextDefinitionResultList
    }

    /// The DICOM Application Context Name, 1.2.840.10008.3.1.1.1 (PS3.7 Annex A.2.1), pynetdicom's
    /// `APPLICATION_CONTEXT_NAME`.
    public static let dicomApplicationContextName: UID = "1.2.840.10008.3.1.1.1"
}

// MARK: - Fixed and derived parameters

extension AAssociate {
    /// The Responding AE Title (PS3.8 §7.1.1.5): the ``calledAETitle``, since the A-ASSOCIATE-AC
    /// echoes the request's Called-AE-title (PS3.8 Table 9-17) and has no field of its own; the
    /// same alias as pynetdicom's.
    public var respondingAETitle: String {
        calledAETitle
    }

    /// The Responding Presentation Address (PS3.8 §7.1.1.12): the ``calledPresentationAddress``,
    /// as in pynetdicom.
    public var respondingPresentationAddress: PresentationAddress? {
        calledPresentationAddress
    }

    /// The Mode (PS3.8 §7.1.1.1): always "normal" in DICOM.
    public var mode: String {
        "normal"
    }

    /// The Presentation Requirements (PS3.8 §7.1.1.15): always "Presentation Kernel".
    public var presentationRequirements: String {
        "Presentation Kernel"
    }

    /// The Session Requirements (PS3.8 §7.1.1.16): always empty.
    public var sessionRequirements: String {
        ""
    }

    /// The Maximum Length Received of the ``userInformation`` (PS3.8 Annex D.1); 0 means no limit.
    public var maximumLengthReceived: UInt32? {
        get { userInformation.maximumLengthReceived }
        set { userInformation.maximumLengthReceived = newValue }
    }

    /// The Implementation Class UID of the ``userInformation`` (PS3.7 D.3.3.2).
    public var implementationClassUID: UID? {
        get { userInformation.implementationClassUID }
        set { userInformation.implementationClassUID = newValue }
    }

    /// The Implementation Version Name of the ``userInformation`` (PS3.7 D.3.3.2).
    public var implementationVersionName: String? {
        get { userInformation.implementationVersionName }
        set { userInformation.implementationVersionName = newValue }
    }

    /// The rejection this primitive carries, when its ``result`` is a rejection and its
    /// ``resultSource`` and ``diagnostic`` form one of PS3.8 Table 9-21.
    public var rejection: Rejection? {
        guard let result, let resultSource, let diagnostic else { return nil }
        return try? Rejection(result: result, source: resultSource, diagnostic: diagnostic)
    }

    /// The SCP/SCU role selections a request proposes: those of ``userInformation``, then, for SOP
    /// classes these leave out, those the ``presentationContextDefinitionList`` asks for through
    /// ``PresentationContext/scuRole`` and ``PresentationContext/scpRole``
    /// (``RoleSelection/proposals(for:)``). The first selection of a SOP class counts.
    public var proposedRoleSelections: [RoleSelection] {
        var seen = Set<UID>()
        return (userInformation.roleSelections + RoleSelection.proposals(for: presentationContextDefinitionList))
            .filter { seen.insert($0.sopClassUID).inserted }
    }
}

// MARK: - Descriptions

extension AAssociate {
    /// The ``result`` in words ("accepted", "rejected (permanent)" …), or "(none)" for a request.
    public var resultDescription: String {
        result?.description ?? "(none)"
    }

    /// The ``resultSource`` in words ("DICOM UL service-user" …), or "(none)".
    public var sourceDescription: String {
        resultSource?.description ?? "(none)"
    }

    /// The ``diagnostic`` in the words of PS3.8 Table 9-21, read against the ``resultSource``
    /// ("called AE title not recognized" …), or "(none)".
    public var reasonDescription: String {
        guard let diagnostic else { return "(none)" }
        return diagnostic.description(for: resultSource)
    }
}

// MARK: - Presentation address

extension AAssociate {
    /// A presentation address: the TCP/IP host and port of an association's end (PS3.8 §7.1.1.10
    /// to §7.1.1.12 and §9.1.2).
    public struct PresentationAddress: Hashable, Sendable, CustomStringConvertible {
        /// The host name or IP address.
        public var host: String

        /// The TCP port.
        public var port: Int

        /// Creates an address.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// "host:port", with an IPv6 address in brackets.
        public var description: String {
            host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}
