public import NIOCore

extension PDU {
    /// The User Identity Sub-Item of an A-ASSOCIATE-AC (item-type 59H, PS3.7 §D.3.3.7.2, Table
    /// D.3-15): the acceptor's positive response to a User Identity Sub-Item that asked for one.
    public struct UserIdentityACSubItem: Hashable, Sendable {
        /// The Server-response: the Kerberos server ticket (type 3), the SAML response (4) or the
        /// JSON Web Token (5); empty for types 1 and 2.
        public var serverResponse: ByteBuffer

        /// Creates the sub-item.
        public init(serverResponse: ByteBuffer = ByteBuffer()) {
            self.serverResponse = serverResponse
        }
    }
}

extension PDU.UserIdentityACSubItem {
    /// Decodes the length-prefixed Server-response, which fills the sub-item.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let length: UInt16 = try reader.readInteger("Server-response-length")
        let response = try reader.readSlice("Server-response", length: Int(length))
        try reader.expectEnd("User Identity Sub-Item")
        self.init(serverResponse: response)
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.userIdentityAC) { (buffer) throws(PDUEncodingError) in
            try buffer.writePDULengthPrefixed("Server-response", buffer: serverResponse)
        }
    }
}
