import DICOMCore
public import DICOMNetworkCore

/// The acceptor's intervention handlers, as pynetdicom's intervention events (EVT_C_ECHO,
/// EVT_USER_ID…): each answers a peer's request. A handler left `nil` gets pynetdicom's default
/// behaviour, documented on each.
public struct ServiceHandlers: Sendable {
    /// Answers a C-ECHO request (EVT_C_ECHO). Default: success (0000H).
    public var echo: (@Sendable (EchoRequest) async -> DIMSEStatus)?

    /// Judges a user identity negotiation (EVT_USER_ID). Default: the identity is not checked and
    /// no response is sent, so the association goes on as if none were asked.
    public var userIdentity: (@Sendable (UserIdentityRequest, AssociationInfo) async -> AssociationNegotiation.UserIdentityVerdict)?

    /// Answers SOP Class Extended Negotiation items (EVT_SOP_EXTENDED): returns the items to send
    /// back, for SOP classes the requestor proposed. Default: no answers (PS3.7 D.3.3.5 lets the
    /// acceptor ignore them).
    public var sopClassExtendedNegotiation: (@Sendable ([SOPClassExtendedNegotiation], AssociationInfo) async -> [SOPClassExtendedNegotiation])?

    /// Sees SOP Class Common Extended Negotiation items (EVT_SOP_COMMON): the acceptor never
    /// answers them (PS3.7 D.3.3.6), but may log or act on them. Default: ignored.
    public var sopClassCommonExtendedNegotiation: (@Sendable ([SOPClassCommonExtendedNegotiation], AssociationInfo) async -> Void)?

    /// Creates handlers; every one is optional.
    public init(
        echo: (@Sendable (EchoRequest) async -> DIMSEStatus)? = nil,
        userIdentity: (@Sendable (UserIdentityRequest, AssociationInfo) async -> AssociationNegotiation.UserIdentityVerdict)? = nil,
        sopClassExtendedNegotiation: (@Sendable ([SOPClassExtendedNegotiation], AssociationInfo) async -> [SOPClassExtendedNegotiation])? = nil,
        sopClassCommonExtendedNegotiation: (@Sendable ([SOPClassCommonExtendedNegotiation], AssociationInfo) async -> Void)? = nil
    ) {
        self.echo = echo
        self.userIdentity = userIdentity
        self.sopClassExtendedNegotiation = sopClassExtendedNegotiation
        self.sopClassCommonExtendedNegotiation = sopClassCommonExtendedNegotiation
    }
}

/// What an acceptor's handler knows of the association a request arrived on.
public struct AssociationInfo: Sendable {
    /// The requestor's A-ASSOCIATE-RQ.
    public var request: AAssociate
    /// The peer's address, "host:port".
    public var peer: String
    /// The association's number in this process (as in log lines and events).
    public var associationID: Int
    /// The requestor's AE title.
    public var callingAETitle: String { request.callingAETitle }
    /// The AE title the requestor called.
    public var calledAETitle: String { request.calledAETitle }
}

/// A C-ECHO request, as the echo handler sees it.
public struct EchoRequest: Sendable {
    /// The request's message.
    public var message: CEchoRequest
    /// The association it arrived on.
    public var association: AssociationInfo
}
