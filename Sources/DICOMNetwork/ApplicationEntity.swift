public import DICOMCore
public import DICOMNetworkCore

/// A DICOM application entity: the local end of associations, as pynetdicom's `ApplicationEntity`,
/// as a Swift value.
///
/// Configure it (AE title, timeouts, presentation contexts), then ``associate(host:port:calledAETitle:contexts:maximumPDUSize:userIdentity:bindAddress:)``
/// as a requestor, or ``startServer(host:port:handlers:)`` as an acceptor. The defaults are
/// pynetdicom's.
public struct ApplicationEntity: Sendable {
    /// This AE's title: 1–16 characters of the AE VR, not all spaces (PS3.5 Table 6.2-1).
    public var aeTitle: String

    /// How long to wait for association messages (A-ASSOCIATE-AC/RJ, A-RELEASE-RP), and the ARTIM
    /// timer (PS3.8 §9.1.5). Default 30 s.
    public var acseTimeout: Duration = .seconds(30)
    /// How long to wait for a DIMSE response. Default 30 s.
    public var dimseTimeout: Duration = .seconds(30)
    /// How long the peer may stay silent before the association is aborted; `nil` waits forever.
    /// Not counted while this AE performs an operation the peer asked for (the peer waits for
    /// its response). Default 60 s.
    public var networkTimeout: Duration? = .seconds(60)
    /// How long a requestor waits for the TCP connection to be made (pynetdicom's
    /// `connection_timeout`, DCMTK's `-to`); `nil`, the default, waits ``networkTimeout`` (or,
    /// without one, ``acseTimeout``).
    public var connectionTimeout: Duration?
    /// How many associations a server accepts at once; past it, A-ASSOCIATE-RQs are rejected
    /// (transient, service-provider presentation, local limit exceeded). Default 10.
    public var maximumAssociations = AssociationAcceptancePolicy.defaultMaximumAssociations
    /// The Maximum Length Received this AE announces (PS3.8 Annex D.1): the largest P-DATA-TF it
    /// accepts; 0 means unlimited. Default 16382, as pynetdicom's.
    public var maximumPDUSize: UInt32 = ApplicationEntity.defaultMaximumPDUSize
    /// The largest P-DATA-TF this AE sends, below the peer's Maximum Length Received (DCMTK's
    /// `--max-send-pdu`): for a peer or a network device that announces more than it handles.
    /// nil, the default, sends PDUs as large as the peer accepts.
    public var maximumSendPDUSize: UInt32?
    /// As an acceptor, the calling AE titles accepted; empty accepts any (pynetdicom's
    /// `require_calling_aet`). Others are rejected with reason 3, calling AE title not recognized.
    public var requireCallingAETitle: [String] = []
    /// As an acceptor, whether the called AE title must be this AE's; if so, others are rejected
    /// with reason 7, called AE title not recognized. Default false.
    public var requireCalledAETitle = false
    /// The Implementation Class UID sent in associations (PS3.7 D.3.3.2).
    public var implementationClassUID: UID = FileMetaInformation.implementationClassUID
    /// The Implementation Version Name sent in associations (PS3.7 D.3.3.2), at most 16 characters.
    public var implementationVersionName: String? = FileMetaInformation.implementationVersionName

    /// The presentation contexts requested and supported.
    public var contexts = PresentationContextList()

    /// The largest P-DATA-TF to send to a peer whose Maximum Length Received is
    /// `peerMaximumLength` (0 or nil: unlimited): the smaller of it and ``maximumSendPDUSize``,
    /// 0 when neither limits.
    func sentPDULength(toPeerReceiving peerMaximumLength: UInt32?) -> UInt32 {
        let limits = [peerMaximumLength ?? 0, maximumSendPDUSize ?? 0].filter { $0 != 0 }
        return limits.min() ?? 0
    }

    /// pynetdicom's default maximum PDU size: 16382 bytes.
    public static let defaultMaximumPDUSize: UInt32 = 16382

    /// The asynchronous operations window this AE grants as acceptor when a requestor proposes
    /// one (PS3.7 D.3.3.3), in the standard's terms, which are the requestor's: invoked is how
    /// many operations the requestor may have outstanding (so how many this AE performs at once),
    /// performed how many this AE may invoke on the requestor. The answer is each proposed number
    /// narrowed to these. nil grants none: one operation at a time, as pynetdicom and DCMTK do.
    public var asynchronousOperationsWindow: AsynchronousOperationsWindow?

    /// Whose order picks the transfer syntax of an accepted context as acceptor: this AE's
    /// supported list (pynetdicom's rule, the default) or the requestor's proposal (a Storage
    /// SCP that keeps each instance in the encoding its sender chose first).
    public var transferSyntaxPreference: PresentationNegotiation.TransferSyntaxPreference = .acceptor

    /// How this AE as acceptor answers a proposed abstract syntax that no supported context names
    /// and that the UID registry does not know, a private SOP class (a vendor's): as this
    /// context says (its transfer syntaxes and roles; its abstract syntax is ignored), its
    /// C-STOREs going to the store handler like any other's. DCMTK storescp's promiscuous mode
    /// (-pm). nil, the default, rejects such a context (abstract syntax not supported).
    public var unknownSOPClassContext: PresentationContext?

    /// The contexts to negotiate `proposed` against: the supported ones, and one per proposed
    /// unknown SOP class when ``unknownSOPClassContext`` accepts them.
    func supportedContexts(answering proposed: [PresentationContext]) -> [PresentationContext] {
        let supported = supportedContexts
        guard let unknown = unknownSOPClassContext else { return supported }
        var named = Set(supported.map(\.abstractSyntax))
        var extended = supported
        for context in proposed where !named.contains(context.abstractSyntax) && UIDRegistry.name(for: context.abstractSyntax) == nil {
            var answer = unknown
            answer.abstractSyntax = context.abstractSyntax
            extended.append(answer)
            named.insert(context.abstractSyntax)
        }
        return extended
    }

    /// Creates an AE with pynetdicom's defaults.
    public init(aeTitle: String = "NETDICOM") {
        self.aeTitle = aeTitle
    }

    // MARK: - Presentation contexts

    /// The presentation contexts proposed when requesting associations.
    public var requestedContexts: [PresentationContext] { contexts.requestedContexts }
    /// The presentation contexts accepted when acting as acceptor.
    public var supportedContexts: [PresentationContext] { contexts.supportedContexts }

    /// Adds a presentation context to propose as requestor. The same abstract syntax may be
    /// requested more than once (with other transfer syntaxes); at most 128 contexts.
    public mutating func addRequestedContext(
        _ abstractSyntax: UID,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) {
        try contexts.addRequestedContext(abstractSyntax, transferSyntaxes: transferSyntaxes, scuRole: scuRole, scpRole: scpRole)
    }

    /// Removes requested contexts for `abstractSyntax`, or only the given transfer syntaxes from
    /// them (a context left without any is removed).
    public mutating func removeRequestedContext(_ abstractSyntax: UID, transferSyntaxes: [UID]? = nil) {
        contexts.removeRequestedContext(abstractSyntax, transferSyntaxes: transferSyntaxes)
    }

    /// Adds a presentation context to accept as acceptor; transfer syntaxes merge into an
    /// existing context for the same abstract syntax, and the roles are updated.
    public mutating func addSupportedContext(
        _ abstractSyntax: UID,
        transferSyntaxes: [UID] = PresentationContext.defaultTransferSyntaxes,
        scuRole: Bool? = nil,
        scpRole: Bool? = nil
    ) throws(ACSEError) {
        try contexts.addSupportedContext(abstractSyntax, transferSyntaxes: transferSyntaxes, scuRole: scuRole, scpRole: scpRole)
    }

    /// Removes the supported context for `abstractSyntax`, or only the given transfer syntaxes.
    public mutating func removeSupportedContext(_ abstractSyntax: UID, transferSyntaxes: [UID]? = nil) {
        contexts.removeSupportedContext(abstractSyntax, transferSyntaxes: transferSyntaxes)
    }

    // MARK: - Derived configuration

    /// The user information this AE sends: maximum length, implementation class and version.
    var userInformation: AAssociate.UserInformation {
        var information = AAssociate.UserInformation.netDICOM
        information.maximumLengthReceived = maximumPDUSize
        information.implementationClassUID = implementationClassUID
        information.implementationVersionName = implementationVersionName
        return information
    }

    /// The acceptance rules this AE applies as acceptor.
    var acceptancePolicy: AssociationAcceptancePolicy {
        AssociationAcceptancePolicy(
            aeTitle: aeTitle,
            requireCalledAETitle: requireCalledAETitle,
            requiredCallingAETitles: requireCallingAETitle,
            maximumAssociations: maximumAssociations)
    }

    /// How this AE answers an A-ASSOCIATE-RQ's user information.
    var acceptorConfiguration: AssociationNegotiation.AcceptorConfiguration {
        var configuration = AssociationNegotiation.AcceptorConfiguration()
        configuration.maximumLengthReceived = maximumPDUSize
        configuration.implementationClassUID = implementationClassUID
        configuration.implementationVersionName = implementationVersionName
        configuration.asynchronousOperationsWindow = asynchronousOperationsWindow
        configuration.transferSyntaxPreference = transferSyntaxPreference
        return configuration
    }
}
