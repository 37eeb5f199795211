public import NIOCore

extension PDU {
    /// The User Identity Sub-Item of an A-ASSOCIATE-RQ (item-type 58H, PS3.7 §D.3.3.7.1, Table
    /// D.3-14): the requestor's credentials.
    public struct UserIdentityRQSubItem: Hashable, Sendable {
        /// The User-Identity-Type: what ``primaryField`` and ``secondaryField`` hold.
        public var userIdentityType: UserIdentityType

        /// Positive-response-requested: whether the requestor asks for a User Identity Sub-Item in
        /// the A-ASSOCIATE-AC. Any non-zero byte decodes as `true`.
        public var positiveResponseRequested: Bool

        /// The Primary-field: the username (types 1 and 2, UTF-8), the Kerberos service ticket
        /// (3), the SAML assertion (4) or the JSON Web Token (5).
        public var primaryField: ByteBuffer

        /// The Secondary-field: the passcode for type 2, empty otherwise.
        public var secondaryField: ByteBuffer

        /// Creates the sub-item.
        public init(
            userIdentityType: UserIdentityType,
            positiveResponseRequested: Bool,
            primaryField: ByteBuffer,
            secondaryField: ByteBuffer = ByteBuffer()
        ) {
            self.userIdentityType = userIdentityType
            self.positiveResponseRequested = positiveResponseRequested
            self.primaryField = primaryField
            self.secondaryField = secondaryField
        }
    }
}

extension PDU.UserIdentityRQSubItem {
    /// The User-Identity-Type field of PS3.7 Table D.3-14; other values are carried as they are.
    public struct UserIdentityType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The byte on the wire.
        public let rawValue: UInt8

        /// Wraps a byte from the wire.
        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// 1: username as a UTF-8 string.
        public static let username = UserIdentityType(rawValue: 1)
        /// 2: username and passcode as UTF-8 strings.
        public static let usernameAndPasscode = UserIdentityType(rawValue: 2)
        /// 3: Kerberos service ticket.
        public static let kerberosServiceTicket = UserIdentityType(rawValue: 3)
        /// 4: SAML assertion.
        public static let samlAssertion = UserIdentityType(rawValue: 4)
        /// 5: JSON Web Token.
        public static let jsonWebToken = UserIdentityType(rawValue: 5)

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

extension PDU.UserIdentityRQSubItem {
    /// Decodes type, flag, and the two length-prefixed fields, which fill the sub-item.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let type = UserIdentityType(rawValue: try reader.readInteger("User-Identity-Type"))
        let positiveResponseRequested: UInt8 = try reader.readInteger("Positive-response-requested")
        let primaryLength: UInt16 = try reader.readInteger("Primary-field-length")
        let primary = try reader.readSlice("Primary-field", length: Int(primaryLength))
        let secondaryLength: UInt16 = try reader.readInteger("Secondary-field-length")
        let secondary = try reader.readSlice("Secondary-field", length: Int(secondaryLength))
        try reader.expectEnd("User Identity Sub-Item")
        self.init(
            userIdentityType: type,
            positiveResponseRequested: positiveResponseRequested != 0,
            primaryField: primary,
            secondaryField: secondary
        )
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.userIdentityRQ) { (buffer) throws(PDUEncodingError) in
            buffer.writeMultipleIntegers(userIdentityType.rawValue, UInt8(positiveResponseRequested ? 1 : 0), endianness: .big)
            try buffer.writePDULengthPrefixed("Primary-field", buffer: primaryField)
            try buffer.writePDULengthPrefixed("Secondary-field", buffer: secondaryField)
        }
    }
}
