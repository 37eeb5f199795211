internal import NIOCore

extension PDU {
    /// The Asynchronous Operations Window Sub-Item (item-type 53H, PS3.7 §D.3.3.3, Table D.3-7 for
    /// the A-ASSOCIATE-RQ and D.3-8 for the -AC). A value of 0 means "unlimited".
    public struct AsynchronousOperationsWindowSubItem: Hashable, Sendable {
        /// Maximum-number-operations-invoked: how many operations the requestor may invoke (or, in
        /// the -AC, the acceptor allows it to invoke) without waiting for their responses.
        public var maximumNumberOperationsInvoked: UInt16

        /// Maximum-number-operations-performed: how many operations the requestor may perform (or,
        /// in the -AC, the acceptor allows it to perform) without sending their responses.
        public var maximumNumberOperationsPerformed: UInt16

        /// Creates the sub-item.
        public init(maximumNumberOperationsInvoked: UInt16, maximumNumberOperationsPerformed: UInt16) {
            self.maximumNumberOperationsInvoked = maximumNumberOperationsInvoked
            self.maximumNumberOperationsPerformed = maximumNumberOperationsPerformed
        }
    }
}

extension PDU.AsynchronousOperationsWindowSubItem {
    /// Decodes the two 2-byte fields that fill the sub-item (item-length 0004H).
    init(from reader: inout PDUFieldReader) throws(PDUDecodingError) {
        self.init(
            maximumNumberOperationsInvoked: try reader.readInteger("Maximum-number-operations-invoked"),
            maximumNumberOperationsPerformed: try reader.readInteger("Maximum-number-operations-performed")
        )
        try reader.expectEnd("Asynchronous Operations Window Sub-Item")
    }

    func write(to buffer: inout ByteBuffer) throws(PDUEncodingError) {
        try buffer.writePDUItem(type: PDU.ItemType.asynchronousOperationsWindow) { (buffer) throws(PDUEncodingError) in
            buffer.writeMultipleIntegers(maximumNumberOperationsInvoked, maximumNumberOperationsPerformed, endianness: .big)
        }
    }
}
