public import NIOCore

/// User Identity Negotiation in an A-ASSOCIATE request (PS3.7 D.3.3.7.1): the requestor's
/// credentials, and whether it wants the acceptor to confirm them.
public struct UserIdentityRequest: Hashable, Sendable {
    /// What ``primaryField`` and ``secondaryField`` hold.
    public var identityType: IdentityType

    /// Whether the requestor asks for a ``UserIdentityResponse`` in the A-ASSOCIATE response.
    public var positiveResponseRequested: Bool

    /// The username (types 1 and 2, UTF-8), the Kerberos service ticket (3), the SAML assertion
    /// (4) or the JSON Web Token (5).
    public var primaryField: ByteBuffer

    /// The passcode for type 2; empty otherwise.
    public var secondaryField: ByteBuffer

    /// Creates the request.
    public init(
        identityType: IdentityType,
        positiveResponseRequested: Bool = false,
        primaryField: ByteBuffer,
        secondaryField: ByteBuffer = ByteBuffer()
    ) {
        self.identityType = identityType
        self.positiveResponseRequested = positiveResponseRequested
        self.primaryField = primaryField
        self.secondaryField = secondaryField
    }

    /// A username (type 1), or a username and passcode (type 2) when `passcode` is given, both
    /// encoded as UTF-8.
    public static func username(
        _ username: String,
        passcode: String? = nil,
        positiveResponseRequested: Bool = false
    ) -> UserIdentityRequest {
        UserIdentityRequest(
            identityType: passcode == nil ? .username : .usernameAndPasscode,
            positiveResponseRequested: positiveResponseRequested,
            primaryField: ByteBuffer(string: username),
            secondaryField: ByteBuffer(string: passcode ?? "")
        )
    }
}

extension UserIdentityRequest {
    /// The User-Identity-Type of PS3.7 Table D.3-14; other values are carried as they are.
    public struct IdentityType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The User-Identity-Type byte.
        public let rawValue: UInt8

        /// Wraps a User-Identity-Type byte.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 1: username.
        public static let username = IdentityType(rawValue: 1)
        /// 2: username and passcode.
        public static let usernameAndPasscode = IdentityType(rawValue: 2)
        /// 3: Kerberos service ticket.
        public static let kerberosServiceTicket = IdentityType(rawValue: 3)
        /// 4: SAML assertion.
        public static let samlAssertion = IdentityType(rawValue: 4)
        /// 5: JSON Web Token.
        public static let jsonWebToken = IdentityType(rawValue: 5)

        /// Whether a positive response carries a server response (types 3, 4 and 5) rather than
        /// an empty one (types 1 and 2; PS3.7 Table D.3-15).
        public var hasServerResponse: Bool {
            rawValue >= 3 && rawValue <= 5
        }

        /// The identity type in the words of PS3.7 Table D.3-14.
        public var description: String {
            switch rawValue {
            case 1: "username"
            case 2: "username and passcode"
            case 3: "Kerberos service ticket"
            case 4: "SAML assertion"
            case 5: "JSON Web Token"
            default: "unknown user identity type \(rawValue)"
            }
        }
    }
}

// MARK: - Wire value

extension UserIdentityRequest {
    /// The value of an A-ASSOCIATE-RQ User Identity Sub-Item (58H).
    init(_ wire: PDU.UserIdentityRQSubItem) {
        self.init(
            identityType: IdentityType(rawValue: wire.userIdentityType.rawValue),
            positiveResponseRequested: wire.positiveResponseRequested,
            primaryField: wire.primaryField,
            secondaryField: wire.secondaryField
        )
    }

    var wireValue: PDU.UserIdentityRQSubItem {
        PDU.UserIdentityRQSubItem(
            userIdentityType: PDU.UserIdentityRQSubItem.UserIdentityType(rawValue: identityType.rawValue),
            positiveResponseRequested: positiveResponseRequested,
            primaryField: primaryField,
            secondaryField: secondaryField
        )
    }
}
