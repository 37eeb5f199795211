public import NIOCore

extension PDU {
    /// A Presentation-data-value Item of a P-DATA-TF (PS3.8 §9.3.5.1, Table 9-23): one fragment of a
    /// DIMSE command or data set, with the message control header of PS3.8 Annex E.2.
    public struct PresentationDataValueItem: Hashable, Sendable {
        /// The Presentation-context-ID the fragment belongs to.
        public var presentationContextID: UInt8

        /// The message control header: command or data set, last fragment or not.
        public var messageControlHeader: MessageControlHeader

        /// The message fragment: the bytes after the message control header, a slice of the
        /// received PDU.
        public var fragment: ByteBuffer

        /// Creates an item carrying `fragment`.
        public init(presentationContextID: UInt8, messageControlHeader: MessageControlHeader, fragment: ByteBuffer) {
            self.presentationContextID = presentationContextID
            self.messageControlHeader = messageControlHeader
            self.fragment = fragment
        }

        /// The bytes of the item before the fragment: item-length (4), presentation context ID (1)
        /// and message control header (1).
        public static let headerLength = 6
    }
}

extension PDU.PresentationDataValueItem {
    /// Decodes the value after the 4-byte item-length, which the caller has checked to be at
    /// least 2.
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        let id: UInt8 = try reader.readInteger("Presentation-context-ID")
        let header = PDU.MessageControlHeader(rawValue: try reader.readInteger("message control header"))
        self.init(presentationContextID: id, messageControlHeader: header, fragment: reader.readRemainingSlice())
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        guard let length = UInt32(exactly: fragment.readableBytes + 2) else {
            throw PDUEncodingError(
                .lengthOverflow,
                reason: "a fragment of \(fragment.readableBytes) bytes exceeds the 4-byte item-length"
            )
        }
        buffer.writeMultipleIntegers(length, presentationContextID, messageControlHeader.rawValue, endianness: .big)
        buffer.writeImmutableBuffer(fragment)
    }
}
