public import NIOCore

/// User Identity Negotiation in an A-ASSOCIATE response (PS3.7 D.3.3.7.2): the acceptor's
/// positive response to a request that asked for one.
public struct UserIdentityResponse: Hashable, Sendable {
    /// The Kerberos server ticket, SAML response or JSON Web Token for identity types 3 to 5;
    /// empty for types 1 and 2 (PS3.7 Table D.3-15).
    public var serverResponse: ByteBuffer

    /// Creates the response.
    public init(serverResponse: ByteBuffer = ByteBuffer()) {
        self.serverResponse = serverResponse
    }
}

// MARK: - Wire value

extension UserIdentityResponse {
    /// The value of an A-ASSOCIATE-AC User Identity Sub-Item (59H).
    init(_ wire: PDU.UserIdentityACSubItem) {
        self.init(serverResponse: wire.serverResponse)
    }

    var wireValue: PDU.UserIdentityACSubItem {
        PDU.UserIdentityACSubItem(serverResponse: serverResponse)
    }
}
