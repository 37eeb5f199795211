public import DICOMCore
public import DICOMNetworkCore

/// The acceptor's intervention handlers, as pynetdicom's intervention events (EVT_C_ECHO,
/// EVT_USER_ID…): each answers a peer's request. A handler left `nil` gets pynetdicom's default
/// behaviour, documented on each.
public struct ServiceHandlers: Sendable {
    /// Answers a C-ECHO request (EVT_C_ECHO). Default: success (0000H).
    public var echo: (@Sendable (EchoRequest) async -> DIMSEStatus)?

    /// Screens an A-ASSOCIATE-RQ that the acceptance policy (called AE title, calling AE titles,
    /// association limit) let through, before its contexts are negotiated (EVT_REQUESTED, where
    /// a handler may reject): rejects it, or refuses some of its contexts. Default: proceed.
    public var screenAssociation: (@Sendable (AssociationInfo) async -> AssociationScreening)?

    /// Learns of each association accepted, once the A-ASSOCIATE-AC is sent (EVT_ACCEPTED, a
    /// notification): its ``AssociationInfo/acceptance`` holds the negotiated contexts.
    /// Default: nothing.
    public var associationAccepted: (@Sendable (AssociationInfo) async -> Void)?

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

    /// Answers C-STORE requests (EVT_C_STORE), the acceptor's and, during a C-GET, the
    /// requestor's. Default: refused with 0122H (SOP class not supported).
    public var store: StoreHandler?

    /// Answers C-FIND requests (EVT_C_FIND): the matches, each sent as a pending response; the
    /// sequence's end is success, a thrown ``QueryFailure`` its status, another error C000H.
    /// C-CANCEL cancels the iterating task. Default: refused with 0122H.
    public var find: (@Sendable (QueryRequest) async throws -> AsyncThrowingStream<DataSet, any Error>)?

    /// Answers C-FIND requests with a pending status per match (FF00H, or FF01H for a match
    /// found without some optional keys, PS3.4 C.4.1.1.4). When set, it answers instead of
    /// ``find``.
    public var findMatches: FindHandler?

    /// Answers C-GET requests (EVT_C_GET): the instances, sent back as C-STORE sub-operations on
    /// the same association. Default: refused with 0122H.
    public var get: (@Sendable (QueryRequest) async throws -> RetrieveResult)?

    /// Answers C-MOVE requests (EVT_C_MOVE): the instances, sent as C-STORE sub-operations over
    /// a new association to the destination, found in ``moveDestinations``. Default: refused
    /// with 0122H.
    public var move: (@Sendable (QueryRequest) async throws -> RetrieveResult)?

    /// Answers N-service requests (EVT_N_GET, EVT_N_SET, EVT_N_ACTION, EVT_N_CREATE,
    /// EVT_N_DELETE, EVT_N_EVENT_REPORT), the acceptor's and, for N-EVENT-REPORTs, the
    /// requestor's. Default: answered 0122H (SOP class not supported).
    public var nService: (@Sendable (NServiceRequest) async -> NServiceResult)?

    /// The C-MOVE destinations this AE knows, by AE title; another title is answered with A801H.
    public var moveDestinations: [String: MoveDestination] = [:]

    /// How often a C-GET or C-MOVE answers with a pending response while its sub-operations run
    /// (PS3.4 C.4.2.3, C.4.3.3: they are the SCP's choice): after the first sub-operation, which
    /// tells the requestor how many there are, then after a sub-operation only once this long
    /// has passed since the last. Default zero: after every sub-operation but the last, as
    /// pynetdicom and DCMTK answer. Each one costs the requestor a message to take in, between
    /// a C-GET's C-STOREs too.
    public var retrievePendingInterval: Duration = .zero

    /// The handlers of the other AE titles the server answers as: an association whose Called
    /// AE Title (leading and trailing spaces aside) is a key here is served by that key's
    /// handlers instead of these, from its A-ASSOCIATE-RQ on, and sees that title as its
    /// ``AssociationInfo/localAETitle``. One listener for several application entities, as
    /// dcmqrscp serves each storage area of its AETable. Acceptors only. Default: none.
    public var otherAETitles: [String: ServiceHandlers] = [:]

    /// Creates handlers; every one is optional.
    public init(
        echo: (@Sendable (EchoRequest) async -> DIMSEStatus)? = nil,
        store: StoreHandler? = nil,
        find: (@Sendable (QueryRequest) async throws -> AsyncThrowingStream<DataSet, any Error>)? = nil,
        get: (@Sendable (QueryRequest) async throws -> RetrieveResult)? = nil,
        move: (@Sendable (QueryRequest) async throws -> RetrieveResult)? = nil,
        moveDestinations: [String: MoveDestination] = [:],
        nService: (@Sendable (NServiceRequest) async -> NServiceResult)? = nil,
        userIdentity: (@Sendable (UserIdentityRequest, AssociationInfo) async -> AssociationNegotiation.UserIdentityVerdict)? = nil,
        sopClassExtendedNegotiation: (@Sendable ([SOPClassExtendedNegotiation], AssociationInfo) async -> [SOPClassExtendedNegotiation])? = nil,
        sopClassCommonExtendedNegotiation: (@Sendable ([SOPClassCommonExtendedNegotiation], AssociationInfo) async -> Void)? = nil
    ) {
        self.echo = echo
        self.store = store
        self.find = find
        self.get = get
        self.move = move
        self.moveDestinations = moveDestinations
        self.nService = nService
        self.userIdentity = userIdentity
        self.sopClassExtendedNegotiation = sopClassExtendedNegotiation
        self.sopClassCommonExtendedNegotiation = sopClassCommonExtendedNegotiation
    }
}

/// What a handler knows of the association a request arrived on, and the way to send requests
/// on it (``handle``).
public struct AssociationInfo: Sendable {
    /// The requestor's A-ASSOCIATE-RQ.
    public var request: AAssociate
    /// Which side of the association the local AE is.
    public var role: Association.Role
    /// The peer's AE title: the calling AE title for an acceptor, the called one for a requestor.
    public var peerAETitle: String
    /// The local AE's title.
    public var localAETitle: String
    /// The acceptor's answer (A-ASSOCIATE-AC): as a requestor received it, as an acceptor sent
    /// it; nil while the acceptor is still deciding (in the user identity and extended
    /// negotiation handlers).
    public var acceptance: AAssociate?
    /// The peer's address, "host:port".
    public var peer: String
    /// The association's number in this process (as in log lines and events).
    public var associationID: Int
    /// The association's endpoint, once established; held weakly (see ``EndpointReference``).
    let endpointReference = EndpointReference()

    init(role: Association.Role, request: AAssociate, peerAETitle: String, localAETitle: String, acceptance: AAssociate? = nil, peer: String, associationID: Int) {
        self.role = role
        self.request = request
        self.peerAETitle = peerAETitle
        self.localAETitle = localAETitle
        self.acceptance = acceptance
        self.peer = peer
        self.associationID = associationID
    }

    /// The requestor's AE title.
    public var callingAETitle: String { request.callingAETitle }
    /// The AE title the requestor called.
    public var calledAETitle: String { request.calledAETitle }

    /// The association itself, to send requests on: pynetdicom's `event.assoc`. A handler of
    /// either role may send any request on the association its request arrived on
    /// (``Association/nEventReport(sopClass:sopInstance:eventTypeID:information:)`` after an
    /// N-ACTION, a C-ECHO, a C-STORE…), on the accepted contexts, with the association's DIMSE
    /// timeout and operations window.
    ///
    /// When: while answering (before the handler returns), or after the response has gone out
    /// with ``NServiceResult/afterResponse``, or later from a task of the handler's own. A
    /// handler that waits on a request of its own before it returns still holds its place in
    /// the operations window; with the default window of one, a peer that sends another
    /// request meanwhile holds up the association until one of them times out, so prefer
    /// ``NServiceResult/afterResponse``. The C-ECHO handler runs on the association's read
    /// loop: it may start a request in a task, but must not wait for its response.
    ///
    /// Lifetime: the handle does not own the association. Dropping it changes nothing;
    /// keeping it keeps the association's memory, not its connection: once the peer releases
    /// or aborts, ``Association/isEstablished`` is false and every request throws
    /// ``AssociationError/Code/closed``. Nil before the association is established (in the
    /// user identity and extended negotiation handlers) and after it is gone.
    public var handle: Association? {
        endpointReference.endpoint.map { Association(handleOf: $0) }
    }
}

/// A C-ECHO request, as the echo handler sees it.
public struct EchoRequest: Sendable {
    /// The request's message.
    public var message: CEchoRequest
    /// The association it arrived on.
    public var association: AssociationInfo
}
